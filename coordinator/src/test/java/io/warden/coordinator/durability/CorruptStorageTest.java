package io.warden.coordinator.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.node.CorruptStorageException;
import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One flipped bit in a stopped node's storage — in a log frame or in a snapshot chunk — must
 * stop the next start with a {@link CorruptStorageException} naming the damaged record, and
 * {@code warden server} must exit non-zero with that message: a node never serves from a
 * store it cannot verify.
 */
class CorruptStorageTest {
  @TempDir
  Path dir;

  @Test
  void aDamagedLogFrameStopsTheStartAndNamesTheFrame() throws Exception {
    writeSomeData(100_000);
    String damaged = damageAFrameInTheMiddleOfTheLog();

    assertThatThrownBy(() -> WardenServer.start(TestServers.config(dir).build()))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining(damaged)
        .hasMessageContaining("frame payload CRC mismatch");
  }

  /**
   * Flips a bit in a frame that valid frames follow, so it cannot pass for a torn last write
   * (which recovery drops); returns "log segment <file>, offset <n>:" as the error names it.
   */
  private String damageAFrameInTheMiddleOfTheLog() throws Exception {
    try (RawStore raw = RawStore.openDataDir(dir)) {
      List<RawStore.LogFrame> frames = raw.logFrames();
      assertThat(frames).hasSizeGreaterThan(10);
      RawStore.LogFrame damaged = frames.get(frames.size() / 2);
      raw.flipByteInLogFrame(damaged);
      return "log segment " + damaged.segment() + ", offset " + damaged.offset() + ":";
    }
  }

  @Test
  void aDamagedSnapshotChunkStopsTheStartAndNamesTheChunk() throws Exception {
    writeSomeData(10);
    long snapshot;
    try (RawStore raw = RawStore.openDataDir(dir)) {
      List<Long> snapshots = raw.snapshotIndexes();
      assertThat(snapshots).isNotEmpty();
      snapshot = snapshots.get(snapshots.size() - 1);
      raw.flipByteInSnapshotChunk(snapshot, 0);
    }
    assertThatThrownBy(() -> WardenServer.start(TestServers.config(dir).build()))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("column family 'snapshot' at snapshot " + snapshot + " chunk 0:");
  }

  @Test
  void theServerCommandExitsNonZeroWithTheMessage() throws Exception {
    writeSomeData(100_000);
    String damaged = damageAFrameInTheMiddleOfTheLog();
    Map<String, String> cfg = new LinkedHashMap<>();
    cfg.put("dataDir", dir.toString());
    cfg.put("clientPortAddress", "127.0.0.1");
    cfg.put("clientPort", "0");
    cfg.put("admin.enableServer", "false");
    try (ServerProcess p = ServerProcess.start(dir.resolve("zoo.cfg"), cfg, dir.resolve("server.log"))) {
      int exit = p.waitFor(Duration.ofSeconds(60));
      System.out.println("warden server exited with " + exit + ":\n" + p.tail(3));
      assertThat(exit).as("exit code; output:\n%s", p.tail(20)).isNotZero();
      assertThat(p.output()).as("the server's output")
          .anySatisfy(line -> assertThat(line).contains(damaged));
    }
  }

  /** Some writes, then a clean stop; with a small snapCount, waits for a snapshot first. */
  private void writeSomeData(int snapCount) throws Exception {
    try (WardenServer server = WardenServer.start(TestServers.config(dir).snapCount(snapCount).build())) {
      ZooKeeper zk = Clients.connect(server.connectString(), 10_000);
      try {
        for (int i = 0; i < 30; i++) {
          zk.create("/n" + i, ("data-" + i).getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
              CreateMode.PERSISTENT);
        }
      } finally {
        zk.close();
      }
      if (snapCount < 100_000) {
        await("a snapshot").atMost(Duration.ofSeconds(30)).until(() ->
            server.runtime().query(NodeLoop::status).get(10, TimeUnit.SECONDS).lastSnapshotIndex() > 0);
      }
    }
  }
}
