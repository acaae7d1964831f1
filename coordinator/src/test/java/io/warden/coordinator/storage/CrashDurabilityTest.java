package io.warden.coordinator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.node.SnapshotMeta;
import io.warden.coordinator.node.SnapshotStore.SnapshotSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL and checks that everything it acknowledged survived
 * intact. (A process kill keeps what reached the OS; that the acknowledged writes had also
 * reached the disk is the job of the fsync, which a kill cannot observe.)
 *
 * <p>The kill points are random: replay with {@code -Dstorage.test.seed=<seed>}.
 */
class CrashDurabilityTest {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path directory;
  @TempDir Path logs;
  private SplittableRandom random;
  private Process child;

  @BeforeEach
  void seed() {
    long seed = Long.getLong("storage.test.seed", System.nanoTime());
    System.out.println("CrashDurabilityTest seed=" + seed
        + " (replay with -Dstorage.test.seed=" + seed + ")");
    random = new SplittableRandom(seed);
  }

  @AfterEach
  void killLeftovers() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void acknowledgedAppendsSurviveSigkill() throws Exception {
    long lastAcknowledged = 0;
    for (int round = 1; round <= 3; round++) {
      long term = round;
      int killAfter = random.nextInt(5, 150);
      List<String> lines = runAndKill("append", term, killAfter, "ack ");
      System.out.println("round " + round + ": killed after " + (lines.size() - 1) + " acks");

      Persisted persisted;
      try (RocksStorage store = RocksStorage.open(directory, StorageOptions.DEFAULTS)) {
        persisted = store.load();
      }
      List<LogEntry> entries = persisted.entries();
      assertThat(persisted.firstIndex()).isEqualTo(1);
      for (LogEntry entry : entries) {
        assertThat(TestData.isIntact(entry, entry.term())).as("entry %d", entry.index()).isTrue();
      }
      long acknowledged = lastAck(lines, "ack ");
      assertThat(acknowledged).isGreaterThan(lastAcknowledged);
      assertThat((long) entries.size()).as("entries after round %d", round)
          .isGreaterThanOrEqualTo(acknowledged);
      for (long index = lastAcknowledged + 1; index <= acknowledged; index++) {
        assertThat(entries.get((int) index - 1).term()).as("term at %d", index).isEqualTo(term);
      }
      assertThat(persisted.hardState().term()).isEqualTo(term);
      lastAcknowledged = entries.size();
    }
  }

  @Test
  void aCommittedSnapshotSurvivesSigkillAndOrphanChunksAreRemoved() throws Exception {
    long lastCommitted = 0;
    for (int round = 1; round <= 2; round++) {
      int killAfter = random.nextInt(1, 4);
      List<String> lines = runAndKill("snapshot", round, killAfter, "committed ");
      long committed = lastAck(lines, "committed ");
      System.out.println("round " + round + ": killed after snapshot " + committed);

      try (RocksStorage store = RocksStorage.open(directory, StorageOptions.DEFAULTS)) {
        SnapshotMeta latest = store.latest().orElseThrow();
        assertThat(latest.index()).isGreaterThanOrEqualTo(committed).isGreaterThan(lastCommitted);
        assertSnapshotIntact(store.openLatest().orElseThrow(), latest.index());
        lastCommitted = latest.index();
      }
      try (RawRocks raw = RawRocks.open(directory)) {
        assertThat(raw.manifests()).endsWith(lastCommitted).hasSizeLessThanOrEqualTo(2);
        assertThat(raw.chunkOwners()).isSubsetOf(raw.manifests());
      }
    }
  }

  private static void assertSnapshotIntact(SnapshotSource source, long index) {
    try (source) {
      assertThat(source.meta().chunkCount()).isEqualTo(CrashChild.chunkCount(index));
      assertThat(source.meta().membership()).isEqualTo(TestData.membership(index));
      for (int chunk = 0; source.hasNext(); chunk++) {
        assertThat(source.nextChunk())
            .isEqualTo(TestData.chunk(index, chunk, CrashChild.SNAPSHOT_CHUNK_BYTES));
      }
    }
  }

  /**
   * Starts the child, waits for {@code acks} lines starting with {@code prefix}, kills it
   * with SIGKILL, and returns every line it printed (all written before it died).
   */
  private List<String> runAndKill(String mode, long term, int acks, String prefix)
      throws Exception {
    Path stderr = logs.resolve(mode + "-" + term + ".stderr");
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                mode,
                directory.toString(),
                Long.toString(term))
            .redirectError(stderr.toFile())
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> readLines(child, lines), "crash-child-reader");
    reader.setDaemon(true);
    reader.start();

    await("child " + mode + " acknowledgements")
        .atMost(ACK_TIMEOUT)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> countWithPrefix(lines, prefix) >= acks || !child.isAlive());
    assertThat(child.isAlive())
        .as("child still writing; its stderr: %s", Files.readString(stderr))
        .isTrue();
    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    reader.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(reader.isAlive()).isFalse();
    assertThat(lines).first().isEqualTo("ready");
    return lines;
  }

  private static void readLines(Process process, List<String> lines) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("reader failed: " + e);
    }
  }

  private static long countWithPrefix(List<String> lines, String prefix) {
    return lines.stream().filter(line -> line.startsWith(prefix)).count();
  }

  /**
   * The highest acknowledged value. Acknowledgements increase, so this is the last complete
   * line; taking the maximum ignores a last line the kill cut short ("ack 12" of "ack 123").
   */
  private static long lastAck(List<String> lines, String prefix) {
    long last = 0;
    for (String line : lines) {
      if (line.startsWith(prefix) && line.length() > prefix.length()) {
        last = Math.max(last, Long.parseLong(line.substring(prefix.length())));
      }
    }
    return last;
  }
}
