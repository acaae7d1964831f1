package io.warden.coordinator.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.node.NodeStatus;
import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A clean restart brings a node back exactly as it was: the same tree (digest, counts, applied
 * index), the same sessions — each client resumes its own session with its id and password
 * within its timeout, its ephemerals still there — and sequence counters that continue rather
 * than repeat. Run twice: recovering from the log alone, and from a snapshot plus the log
 * after it.
 */
class RestartTest {
  private static final int SESSION_TIMEOUT_MS = 10_000;

  enum Recovery {
    LOG_ONLY(100_000),
    SNAPSHOT_AND_LOG(25);

    final int snapCount;

    Recovery(int snapCount) {
      this.snapCount = snapCount;
    }
  }

  @TempDir
  Path dir;

  private final List<ZooKeeper> clients = new ArrayList<>();
  private WardenServer server;

  @AfterEach
  void stop() {
    clients.forEach(Clients::closeQuietly);
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Recovery.class)
  void treeSessionsAndEphemeralsSurviveACleanRestart(Recovery recovery) throws Exception {
    server = WardenServer.start(TestServers.config(dir).snapCount(recovery.snapCount).build());
    ZooKeeper owner = client(Clients.connect(server.connectString(), SESSION_TIMEOUT_MS));
    ZooKeeper other = client(Clients.connect(server.connectString(), SESSION_TIMEOUT_MS));
    ZooKeeper leaver = client(Clients.connect(server.connectString(), SESSION_TIMEOUT_MS));
    buildTree(owner, other, leaver);
    leaver.close(); // its ephemeral goes now, and must stay gone
    if (recovery == Recovery.SNAPSHOT_AND_LOG) {
      await("a snapshot").atMost(Duration.ofSeconds(30)).until(() -> status().lastSnapshotIndex() > 0);
      for (int i = 0; i < 5; i++) {
        owner.setData("/app/config", ("v" + i).getBytes(StandardCharsets.UTF_8), -1); // log after the snapshot
      }
    }
    NodeStatus before = status();
    assertThat(before.ephemeralCount()).isEqualTo(3);
    long ownerId = owner.getSessionId();
    byte[] ownerPassword = owner.getSessionPasswd();
    long otherId = other.getSessionId();
    byte[] otherPassword = other.getSessionPasswd();

    server.close();
    // The handles cannot reach the stopped server, so closing them cannot close the sessions.
    CompletableFuture.allOf(CompletableFuture.runAsync(() -> Clients.closeQuietly(owner)),
        CompletableFuture.runAsync(() -> Clients.closeQuietly(other))).get(30, TimeUnit.SECONDS);
    server = WardenServer.start(TestServers.config(dir).snapCount(recovery.snapCount).build());

    NodeStatus after = status();
    assertThat(after.treeDigest()).as("tree digest").isEqualTo(before.treeDigest());
    // Nothing lost; a restarted leader may add its own no-op entry for its new term.
    assertThat(after.appliedIndex()).isGreaterThanOrEqualTo(before.appliedIndex());
    assertThat(after.znodeCount()).isEqualTo(before.znodeCount());
    assertThat(after.ephemeralCount()).isEqualTo(before.ephemeralCount());
    assertThat(after.sessionCount()).isEqualTo(before.sessionCount()).isEqualTo(2);
    if (recovery == Recovery.SNAPSHOT_AND_LOG) {
      assertThat(after.lastSnapshotIndex()).as("recovered from a snapshot").isPositive()
          .isLessThan(after.appliedIndex());
    } else {
      assertThat(after.lastSnapshotIndex()).as("recovered from the log alone").isZero();
    }

    ZooKeeper ownerAgain = client(Clients.connect(server.connectString(), SESSION_TIMEOUT_MS, ownerId, ownerPassword));
    ZooKeeper otherAgain = client(Clients.connect(server.connectString(), SESSION_TIMEOUT_MS, otherId, otherPassword));
    assertThat(ownerAgain.getSessionId()).isEqualTo(ownerId);
    assertThat(otherAgain.getSessionId()).isEqualTo(otherId);
    assertThat(ownerAgain.getEphemerals("/")).containsExactlyInAnyOrder("/app/lock", "/app/members/owner");
    assertThat(otherAgain.getEphemerals("/")).containsExactly("/app/members/other");
    assertThat(ownerAgain.exists("/app/members/leaver", false)).as("closed session's ephemeral").isNull();
    Stat lock = ownerAgain.exists("/app/lock", false);
    assertThat(lock.getEphemeralOwner()).isEqualTo(ownerId);

    // Sequence numbers continue from the parent's counter; nothing is handed out twice.
    String next = ownerAgain.create("/app/queue/item-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_SEQUENTIAL);
    assertThat(next).isEqualTo("/app/queue/item-0000000003");

    // The resumed session is the live owner: closing it removes its ephemerals.
    ownerAgain.close();
    assertThat(otherAgain.getEphemerals("/")).containsExactly("/app/members/other");
    assertThat(otherAgain.exists("/app/lock", false)).isNull();
  }

  private void buildTree(ZooKeeper owner, ZooKeeper other, ZooKeeper leaver) throws KeeperException,
      InterruptedException {
    create(owner, "/app", "root", CreateMode.PERSISTENT);
    create(owner, "/app/config", "v", CreateMode.PERSISTENT);
    create(owner, "/app/members", "", CreateMode.PERSISTENT);
    create(owner, "/app/queue", "", CreateMode.PERSISTENT);
    create(owner, "/app/members/owner", "o", CreateMode.EPHEMERAL);
    create(other, "/app/members/other", "x", CreateMode.EPHEMERAL);
    create(leaver, "/app/members/leaver", "l", CreateMode.EPHEMERAL);
    create(owner, "/app/lock", "", CreateMode.EPHEMERAL);
    for (int i = 0; i < 3; i++) {
      owner.create("/app/queue/item-", ("item" + i).getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT_SEQUENTIAL);
    }
    owner.create("/app/container", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    create(owner, "/app/container/child", "c", CreateMode.PERSISTENT);
    owner.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
    owner.create("/app/private", "p".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.CREATOR_ALL_ACL,
        CreateMode.PERSISTENT);
    for (int i = 0; i < 40; i++) {
      create(other, "/app/bulk-" + i, "data-" + i, CreateMode.PERSISTENT);
      other.setData("/app/bulk-" + i, ("changed-" + i).getBytes(StandardCharsets.UTF_8), 0);
    }
    other.delete("/app/bulk-7", 1);
  }

  private static void create(ZooKeeper zk, String path, String data, CreateMode mode) throws KeeperException,
      InterruptedException {
    zk.create(path, data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, mode);
  }

  private ZooKeeper client(ZooKeeper zk) {
    clients.add(zk);
    return zk;
  }

  /** The node's status, read on its core thread (exact, not the ~100 ms published copy). */
  private NodeStatus status() throws Exception {
    return server.runtime().query(NodeLoop::status).get(10, TimeUnit.SECONDS);
  }
}
