package io.warden.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir
  Path dir;

  @Test
  void officialClientCreatesReadsAndWatches() throws Exception {
    try (WardenServer server = TestServers.start(dir)) {
      CountDownLatch connected = new CountDownLatch(1);
      ZooKeeper zk = new ZooKeeper(server.connectString(), 5000, e -> {
        if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
          connected.countDown();
        }
      });
      try {
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        String p = zk.create("/a", "x".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(p).isEqualTo("/a");
        CountDownLatch changed = new CountDownLatch(1);
        Stat stat = new Stat();
        byte[] data = zk.getData("/a", e -> changed.countDown(), stat);
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("x");
        assertThat(stat.getVersion()).isZero();
        zk.setData("/a", "y".getBytes(StandardCharsets.UTF_8), 0);
        assertThat(changed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(zk.getChildren("/", false)).contains("a", "zookeeper");
      } finally {
        zk.close();
      }
    }
  }
}
