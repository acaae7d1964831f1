package io.warden.coordinator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.node.SnapshotStore.SnapshotSink;
import io.warden.coordinator.node.SnapshotStore.SnapshotSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's threads at once: the storage thread appends while the snapshot thread commits
 * snapshots of what was appended and compacts the log behind them, and a third thread keeps
 * reading the latest snapshot. Afterwards (and after reopening) everything must be consistent.
 * The log's segments are small, so new ones are started while compactions delete old ones.
 */
class RocksStorageConcurrencyTest {
  private static final long LAST_INDEX = 4000;
  /** Small segments, so that appends start new ones while compactions delete old ones. */
  private static final StorageOptions OPTIONS = StorageOptions.DEFAULTS.withLogSegmentBytes(64 * 1024);
  private static final long ENTRIES_KEPT_BEHIND_SNAPSHOT = 20;

  @TempDir Path directory;
  private final ExecutorService storageThread = Executors.newSingleThreadExecutor();
  private final ExecutorService snapshotThread = Executors.newSingleThreadExecutor();
  private final ExecutorService readerThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopThreads() {
    storageThread.shutdownNow();
    snapshotThread.shutdownNow();
    readerThread.shutdownNow();
  }

  @Test
  void appendsSnapshotsCompactionsAndReadsInterleaveConsistently() throws Exception {
    long seed = Long.getLong("storage.test.seed", System.nanoTime());
    System.out.println("RocksStorageConcurrencyTest seed=" + seed
        + " (replay with -Dstorage.test.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    AtomicLong appended = new AtomicLong();
    AtomicLong compactedTo = new AtomicLong();
    long lastSnapshot;
    int snapshotsRead;
    List<String> segmentsLeft;

    try (RocksStorage store = RocksStorage.open(directory, OPTIONS)) {
      store.load();
      SplittableRandom appendRandom = random.split();
      Future<?> appends = storageThread.submit(() -> appendAll(store, appendRandom, appended));
      Future<Long> snapshots =
          snapshotThread.submit(
              () -> snapshotWhileAppending(store, appends, appended, compactedTo));
      Future<Integer> reads = readerThread.submit(() -> readWhileSnapshotting(store, snapshots));

      appends.get(30, TimeUnit.SECONDS);
      lastSnapshot = snapshots.get(30, TimeUnit.SECONDS);
      snapshotsRead = reads.get(30, TimeUnit.SECONDS);

      assertConsistent(store, compactedTo.get(), lastSnapshot);
      segmentsLeft = segmentFiles();
    }
    try (RocksStorage store = RocksStorage.open(directory, OPTIONS)) {
      assertConsistent(store, compactedTo.get(), lastSnapshot);
    }
    System.out.println("snapshots up to " + lastSnapshot + ", log compacted to "
        + compactedTo.get() + ", " + snapshotsRead + " snapshots read concurrently, log segments left: "
        + segmentsLeft);
    assertThat(compactedTo.get()).isPositive();
    // The appends rotated through several segments and the compactions deleted the oldest.
    assertThat(segmentsLeft).isNotEmpty().doesNotContain("segment-0000000000000001.log");
  }

  private List<String> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory.resolve(RocksStorage.LOG_DIRECTORY))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void appendAll(RocksStorage store, SplittableRandom random, AtomicLong appended) {
    for (long next = 1; next <= LAST_INDEX; ) {
      long last = Math.min(LAST_INDEX, next + random.nextInt(10));
      store.append(new HardState(1, 1), 0, TestData.entries(next, last, 1));
      appended.set(last);
      next = last + 1;
    }
  }

  /** Snapshots the appended prefix and compacts behind it, until the appends are done. */
  private static long snapshotWhileAppending(
      RocksStorage store, Future<?> appends, AtomicLong appended, AtomicLong compactedTo) {
    long lastSnapshot = 0;
    while (!appends.isDone() || lastSnapshot < appended.get()) {
      long index = appended.get();
      if (index <= lastSnapshot) {
        Thread.onSpinWait();
        continue;
      }
      try (SnapshotSink sink = store.begin(index, 1, TestData.membership(index))) {
        for (int chunk = 0; chunk < chunkCount(index); chunk++) {
          sink.writeChunk(TestData.chunk(index, chunk, chunkBytes(index, chunk)));
        }
        sink.commit();
      }
      lastSnapshot = index;
      long upTo = index - ENTRIES_KEPT_BEHIND_SNAPSHOT;
      if (upTo > compactedTo.get()) {
        store.compactPrefix(upTo);
        compactedTo.set(upTo);
      }
    }
    return lastSnapshot;
  }

  private static int readWhileSnapshotting(RocksStorage store, Future<Long> snapshots) {
    int read = 0;
    while (!snapshots.isDone()) {
      Optional<SnapshotSource> latest = store.openLatest();
      if (latest.isPresent()) {
        assertSnapshotIntact(latest.get());
        read++;
      }
    }
    return read;
  }

  private static void assertConsistent(RocksStorage store, long compactedTo, long lastSnapshot) {
    Persisted persisted = store.load();
    assertThat(persisted.firstIndex()).isEqualTo(compactedTo + 1);
    assertThat(persisted.entries()).hasSize((int) (LAST_INDEX - compactedTo));
    long expectedIndex = persisted.firstIndex();
    for (LogEntry entry : persisted.entries()) {
      assertThat(entry.index()).isEqualTo(expectedIndex++);
      assertThat(TestData.isIntact(entry, 1)).as("entry %d", entry.index()).isTrue();
    }
    assertThat(store.latest().orElseThrow().index()).isEqualTo(lastSnapshot);
    assertSnapshotIntact(store.openLatest().orElseThrow());
  }

  private static void assertSnapshotIntact(SnapshotSource source) {
    try (source) {
      long index = source.meta().index();
      assertThat(source.meta().chunkCount()).isEqualTo(chunkCount(index));
      for (int chunk = 0; source.hasNext(); chunk++) {
        assertThat(source.nextChunk())
            .isEqualTo(TestData.chunk(index, chunk, chunkBytes(index, chunk)));
      }
    }
  }

  private static int chunkCount(long index) {
    return 1 + (int) (index % 5);
  }

  private static int chunkBytes(long index, int chunk) {
    return 100 + (int) ((index * 31 + chunk) % 5000);
  }
}
