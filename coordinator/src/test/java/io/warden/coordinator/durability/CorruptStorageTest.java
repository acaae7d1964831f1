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
 * One flipped bit in a stopped node's storage — in a log record or in a snapshot chunk — must
 * stop the next start with a {@link CorruptStorageException} naming the damaged record, and
 * {@code warden server} must exit non-zero with that message: a node never serves from a
 * store it cannot verify.
 */
class CorruptStorageTest {
  @TempDir
  Path dir;

  @Test
  void aDamagedLogRecordStopsTheStartAndNamesTheRecord() throws Exception {
    writeSomeData(100_000);
    long damaged;
    try (RawStore raw = RawStore.openDataDir(dir)) {
      List<Long> indexes = raw.logIndexes();
      assertThat(indexes).hasSizeGreaterThan(10);
      damaged = indexes.get(indexes.size() / 2);
      raw.flipByteInLogRecord(damaged);
    }
    assertThatThrownBy(() -> WardenServer.start(TestServers.config(dir).build()))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("column family 'log' at index " + damaged + ":");
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
    long damaged;
    try (RawStore raw = RawStore.openDataDir(dir)) {
      List<Long> indexes = raw.logIndexes();
      damaged = indexes.get(indexes.size() - 1);
      raw.flipByteInLogRecord(damaged);
    }
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
          .anySatisfy(line -> assertThat(line).contains("column family 'log' at index " + damaged + ":"));
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
