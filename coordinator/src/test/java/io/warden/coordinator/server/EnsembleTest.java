package io.warden.coordinator.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.badinput.LogCapture;
import io.warden.coordinator.badinput.WireClient;
import io.warden.coordinator.node.NodeStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Warden servers replicating through Raft over TCP, in one JVM, seen by the official client. */
class EnsembleTest {
  private static final Duration STABLE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private ZooKeeper connect(String connectString) {
    ZooKeeper zk;
    try {
      zk = track(new ZooKeeper(connectString, 10_000, e -> { }));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
        .until(() -> zk.getState() == ZooKeeper.States.CONNECTED);
    return zk;
  }

  private static String fourLetters(WardenServer server, String word) {
    try (WireClient c = WireClient.connect(server.clientPort())) {
      c.sendRaw(word.getBytes(StandardCharsets.US_ASCII));
      return new String(c.readUntilClosed(Duration.ofSeconds(10)), StandardCharsets.UTF_8);
    }
  }

  @Test
  void threeServersElectOneLeaderReplicateWritesAndFireWatchesOnEveryNode() throws Exception {
    TestEnsemble e = track(TestEnsemble.start(dir, 3, 0));
    int leader = e.awaitStable(STABLE);
    List<Integer> followers = e.runningIds().stream().filter(id -> id != leader).toList();
    ZooKeeper writer = connect(e.server(followers.get(0)).connectString());
    ZooKeeper reader = connect(e.server(followers.get(1)).connectString());
    ZooKeeper onLeader = connect(e.server(leader).connectString());

    writer.create("/a", "1".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    CountDownLatch changedOnReader = new CountDownLatch(1);
    CountDownLatch changedOnLeader = new CountDownLatch(1);
    reader.sync("/a", (rc, path, ctx) -> { }, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> reader.exists("/a", false) != null);
    reader.getData("/a", ev -> changedOnReader.countDown(), null);
    onLeader.getData("/a", ev -> changedOnLeader.countDown(), null);
    Stat stat = writer.setData("/a", "2".getBytes(UTF_8), 0);
    assertThat(stat.getVersion()).isEqualTo(1);
    assertThat(changedOnReader.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(changedOnLeader.await(10, TimeUnit.SECONDS)).isTrue();
    // the server a client writes through replies only after applying, so its own read sees it
    assertThat(new String(writer.getData("/a", false, null), UTF_8)).isEqualTo("2");

    // every replica applies the same commands: same index, same tree digest
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<NodeStatus> all = e.runningIds().stream().map(e::status).toList();
      return all.stream().map(NodeStatus::appliedIndex).distinct().count() == 1
          && all.stream().map(NodeStatus::treeDigest).distinct().count() == 1;
    });
    String srvr = fourLetters(e.server(leader), "srvr");
    assertThat(srvr).contains("Mode: leader").contains("Leader: " + leader).contains("Term: ");
    assertThat(fourLetters(e.server(followers.get(0)), "srvr")).contains("Mode: follower");
    String mntr = fourLetters(e.server(leader), "mntr");
    assertThat(mntr).contains("zk_server_state\tleader").contains("zk_followers\t2")
        .contains("warden_leader_id\t" + leader).contains("warden_commit_index\t");
  }

  /**
   * A restarted member applies the entries it knew were committed (the commit index its log
   * thread recorded) at once — alone, without a leader to say so. A whole ensemble restarting
   * thus applies its backlogs while it elects, instead of after.
   */
  @Test
  void aMemberRestartedAloneAppliesWhatItKnewWasCommitted() throws Exception {
    TestEnsemble e = track(TestEnsemble.start(dir, 3, 0));
    int leader = e.awaitStable(STABLE);
    int member = e.runningIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
    ZooKeeper client = connect(e.connectString());
    // writes for a second: the log threads record the commit index every 50 ms
    List<Long> writtenAtNanos = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < end) {
      client.create("/w" + writtenAtNanos.size(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      writtenAtNanos.add(System.nanoTime());
    }
    long lastNanos = writtenAtNanos.get(writtenAtNanos.size() - 1);
    int covered = 0; // the last write made at least half a second before the end
    while (covered + 1 < writtenAtNanos.size()
        && writtenAtNanos.get(covered + 1) <= lastNanos - Duration.ofMillis(500).toNanos()) {
      covered++;
    }
    String path = "/w" + covered;
    client.close();
    for (int id : e.runningIds()) {
      e.stopServer(id);
    }
    e.startServer(member);
    await().atMost(Duration.ofSeconds(20)).until(() -> e.server(member).runtime()
        .query(loop -> loop.stateMachine().tree().statOrNull(path) != null).join());
    assertThat(e.status(member).serving()).as("alone: no leader, no quorum").isFalse();
    assertThat(e.status(member).leaderId()).isZero();
  }

  @Test
  void stoppingTheLeaderElectsANewOneAndTheClientKeepsItsSessionAndEphemerals() throws Exception {
    TestEnsemble e = track(TestEnsemble.start(dir, 3, 0));
    int leader = e.awaitStable(STABLE);
    ZooKeeper client = connect(e.connectString());
    long session = client.getSessionId();
    client.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    client.create("/counter", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

    e.stopServer(leader);
    int next = e.awaitStable(STABLE);
    assertThat(next).isNotEqualTo(leader);
    assertThat(e.status(next).term()).isGreaterThan(0);
    // the client may have been on the old leader: it moves on with its session
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> client.setData("/counter", "x".getBytes(UTF_8), -1) != null);
    assertThat(client.getSessionId()).isEqualTo(session);
    ZooKeeper other = connect(e.server(next).connectString());
    other.sync("/", (rc, path, ctx) -> { }, null);
    assertThat(other.exists("/eph", false)).isNotNull();
    assertThat(other.exists("/eph", false).getEphemeralOwner()).isEqualTo(session);

    // the old leader comes back on its data and catches up
    e.startServer(leader);
    e.awaitStable(STABLE);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        e.status(leader).appliedIndex() == e.status(next).appliedIndex()
            && e.status(leader).treeDigest() == e.status(next).treeDigest());
    ZooKeeper onOld = connect(e.server(leader).connectString());
    assertThat(new String(onOld.getData("/counter", false, null), UTF_8)).isEqualTo("x");
  }

  @Test
  void fiveServersSurviveTheLossOfTwoIncludingTheLeader() throws Exception {
    TestEnsemble e = track(TestEnsemble.start(dir, 5, 0));
    int leader = e.awaitStable(STABLE);
    ZooKeeper client = connect(e.connectString());
    client.create("/five", "0".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    int other = e.runningIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
    e.stopServer(leader);
    e.stopServer(other);
    int next = e.awaitStable(STABLE);
    assertThat(next).isNotIn(leader, other);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> client.setData("/five", "1".getBytes(UTF_8), 0) != null);
    assertThat(e.runningIds()).hasSize(3).allSatisfy(id -> assertThat(e.status(id).serving()).isTrue());
    e.startServer(leader);
    e.startServer(other);
    e.awaitStable(STABLE);
    await().atMost(Duration.ofSeconds(20)).until(() -> e.runningIds().stream()
        .map(id -> e.status(id).treeDigest()).distinct().count() == 1);
  }

  @Test
  void aMemberWithoutAQuorumRefusesClientsSaysWhyAndServesAgainWhenOneReturns() throws Exception {
    LogCapture logs = LogCapture.attach();
    try {
      TestEnsemble e = track(TestEnsemble.start(dir, 3, 0));
      e.awaitStable(STABLE);
      e.stopServer(2);
      e.stopServer(3);
      await().atMost(Duration.ofSeconds(20)).until(() -> !e.status(1).serving());
      await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages().stream()
          .anyMatch(m -> m.contains("not serving: no quorum (1 of 3 reachable)")));
      assertThat(e.status(1).mode()).isEqualTo("not serving");
      // four-letter words are still answered, as by ZooKeeper
      assertThat(fourLetters(e.server(1), "srvr")).contains("not currently serving requests");
      assertThat(fourLetters(e.server(1), "ruok")).isEqualTo("imok");
      ZooKeeper refused = track(new ZooKeeper(e.server(1).connectString(), 10_000, ev -> { }));
      // the connection is accepted and then closed: the client never gets a session
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
          .until(() -> refused.getState() != ZooKeeper.States.CONNECTED);

      e.startServer(3);
      e.awaitStable(STABLE);
      await().atMost(Duration.ofSeconds(20)).until(() -> refused.getState() == ZooKeeper.States.CONNECTED);
      assertThat(refused.create("/back", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
          .isEqualTo("/back");
    } finally {
      logs.detach();
    }
  }

  @Test
  void anObserverServesReadsForwardsWritesAndDoesNotVote() throws Exception {
    TestEnsemble e = track(TestEnsemble.start(dir, 3, 1));
    int leader = e.awaitStable(STABLE);
    assertThat(leader).isNotEqualTo(4);
    assertThat(e.status(4).mode()).isEqualTo("observer");
    ZooKeeper viaObserver = connect(e.server(4).connectString());
    viaObserver.create("/o", "v".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertThat(new String(viaObserver.getData("/o", false, null), UTF_8)).isEqualTo("v");
    assertThat(fourLetters(e.server(4), "srvr")).contains("Mode: observer");
    assertThat(fourLetters(e.server(leader), "mntr")).contains("zk_followers\t3");
  }

  @Test
  void aSessionResumedOnAnotherServerMovesThereAndTheOldConnectionIsClosed() throws Exception {
    TestEnsemble e = track(TestEnsemble.start(dir, 3, 0));
    e.awaitStable(STABLE);
    List<Watcher.Event.KeeperState> firstStates = new CopyOnWriteArrayList<>();
    ZooKeeper first = track(new ZooKeeper(e.server(1).connectString(), 10_000, ev -> {
      if (ev.getType() == Watcher.Event.EventType.None) {
        firstStates.add(ev.getState());
      }
    }));
    await().atMost(Duration.ofSeconds(20)).until(() -> first.getState() == ZooKeeper.States.CONNECTED);
    first.create("/s", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    ZooKeeper second = track(new ZooKeeper(e.server(2).connectString(), 10_000, ev -> { },
        first.getSessionId(), first.getSessionPasswd()));
    await().atMost(Duration.ofSeconds(20)).until(() -> second.getState() == ZooKeeper.States.CONNECTED);
    assertThat(second.getSessionId()).isEqualTo(first.getSessionId());
    // as in ZooKeeper (reference §12.3): the old server closes the moved session's connection
    // without a reply, and the session with its ephemerals lives on
    await().atMost(Duration.ofSeconds(20)).until(() -> firstStates.contains(Watcher.Event.KeeperState.Disconnected));
    assertThat(second.exists("/s", false)).isNotNull();
    assertThat(second.exists("/s", false).getEphemeralOwner()).isEqualTo(first.getSessionId());
  }

  @Test
  void aDataDirectoryOfAnotherEnsembleIsRefused() {
    try (WardenServer standalone = WardenServer.start(TestServers.config(dir.resolve("server-1")).build())) {
      assertThat(standalone.runtime()).isNotNull();
    }
    assertThatThrownBy(() -> TestEnsemble.start(dir, 3, 0))
        .hasMessageContaining("data directory belongs to another ensemble");
  }
}
