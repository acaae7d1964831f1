package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions through the official client (wire reference §3, §12): ephemerals end with their session
 * (close or expiry), other sessions are told, a session can be resumed from another handle with its
 * id and password, and a wrong password gets an expired session. Expiry is forced by cutting the
 * client off with a black-holing proxy; the server is asked directly whether the session is gone.
 */
class SessionConformanceTest extends ConformanceTest {
  /** Short enough to expire quickly, long enough not to expire by accident on a busy machine. */
  private static final int SHORT_TIMEOUT_MS = 2_000;

  private static final Duration WAIT = Duration.ofSeconds(Events.WAIT_S);


  private ZooKeeper observer;

  @BeforeEach
  void nameTheFirstSession() {
    observer = zk; // the session that watches the others
  }

  /** Creates two ephemerals (one sequential) and has the observer watch them and their parent. */
  private List<String> ephemeralsWatchedBy(ZooKeeper owner, Events watch) throws Exception {
    String a = owner.create(root + "/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    String b =
        owner.create(root + "/s-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
    assertThat(observer.exists(a, watch).getEphemeralOwner()).isEqualTo(owner.getSessionId());
    assertThat(observer.exists(b, watch).getEphemeralOwner()).isEqualTo(owner.getSessionId());
    assertThat(target.ephemeralCount(owner.getSessionId())).isEqualTo(2);
    return List.of(a, b);
  }

  private void expectDeleted(Events watch, List<String> paths) throws InterruptedException {
    assertThat(List.of(watch.next(), watch.next()))
        .containsExactlyInAnyOrder(
            new Events.Seen(EventType.NodeDeleted, paths.get(0)),
            new Events.Seen(EventType.NodeDeleted, paths.get(1)));
  }

  @Test
  void timeoutIsClampedToTheServersRange() throws Exception {
    ZooKeeper tooShort = clients.connect(target.connectString(), 100, new Events());
    ZooKeeper tooLong = clients.connect(target.connectString(), 600_000, new Events());
    assertThat(tooShort.getSessionTimeout()).isEqualTo(2 * Target.TICK_MS);
    assertThat(tooLong.getSessionTimeout()).isEqualTo(20 * Target.TICK_MS);
    assertThat(tooShort.getSessionId()).isNotEqualTo(tooLong.getSessionId()).isNotZero();
  }

  /** Pings alone keep even the shortest session alive, for several of its timeouts. */
  @Test
  void anIdleSessionWithTheMinimumTimeoutStaysAlive() throws Exception {
    ZooKeeper idle = clients.connect(target.connectString(), 2 * Target.TICK_MS, new Events());
    long id = idle.getSessionId();
    String e = idle.create(root + "/idle", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    // asked on the server: a client starved of CPU may reconnect, but must not lose its session
    await()
        .during(Duration.ofMillis(5 * Target.TICK_MS))
        .atMost(Duration.ofMillis(8 * Target.TICK_MS))
        .until(() -> target.sessionExists(id));
    assertThat(observer.exists(e, false).getEphemeralOwner()).isEqualTo(id);
  }

  @Test
  void ephemeralsVanishWhenTheSessionCloses() throws Exception {
    ZooKeeper owner = clients.connect();
    Events watch = new Events();
    List<String> paths = ephemeralsWatchedBy(owner, watch);
    long id = owner.getSessionId();
    owner.close();
    expectDeleted(watch, paths);
    assertThat(observer.getChildren(root, false)).isEmpty();
    assertThat(target.sessionExists(id)).isFalse();
    assertThat(target.ephemeralCount(id)).isZero();
  }

  @Test
  void ephemeralsVanishWhenTheSessionExpires() throws Exception {
    try (TcpProxy proxy = new TcpProxy(target.connectString())) {
      Events ownerEvents = new Events();
      ZooKeeper owner = clients.connect(proxy.connectString(), SHORT_TIMEOUT_MS, ownerEvents);
      long id = owner.getSessionId();
      Events watch = new Events();
      List<String> paths = ephemeralsWatchedBy(owner, watch);

      proxy.mode(TcpProxy.Mode.BLACK_HOLE); // the client's pings now vanish
      expectDeleted(watch, paths);
      assertThat(target.sessionExists(id)).isFalse();
      assertThat(target.ephemeralCount(id)).isZero();

      // once it can reach the server again, the client learns that its session is gone
      proxy.mode(TcpProxy.Mode.FORWARD);
      proxy.dropConnections();
      ownerEvents.awaitState(KeeperState.Expired);
      assertThat(owner.getState()).isEqualTo(ZooKeeper.States.CLOSED);
      assertThatThrownBy(() -> owner.exists(root, false))
          .isInstanceOf(KeeperException.SessionExpiredException.class);
    }
  }

  @Test
  void aSecondHandleResumesTheSessionAndTheFirstConnectionIsClosed() throws Exception {
    try (TcpProxy proxy = new TcpProxy(target.connectString())) {
      Events firstEvents = new Events();
      ZooKeeper first =
          clients.connect(proxy.connectString(), Clients.SESSION_TIMEOUT_MS, firstEvents);
      long id = first.getSessionId();
      String e = first.create(root + "/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      proxy.mode(TcpProxy.Mode.REFUSE); // the first handle cannot come back once it is cut off

      Events secondEvents = new Events();
      ZooKeeper second =
          clients.track(
              new ZooKeeper(
                  target.connectString(),
                  Clients.SESSION_TIMEOUT_MS,
                  secondEvents,
                  id,
                  first.getSessionPasswd()));
      secondEvents.awaitState(KeeperState.SyncConnected);
      assertThat(second.getSessionId()).isEqualTo(id);

      // the server hung up on the first handle's connection
      await().atMost(WAIT).until(() -> proxy.closedByServer() >= 1);
      firstEvents.awaitState(KeeperState.Disconnected);

      // same session: its ephemeral lives on and belongs to the second handle now
      assertThat(target.sessionExists(id)).isTrue();
      assertThat(second.exists(e, false).getEphemeralOwner()).isEqualTo(id);
      assertThat(second.getEphemerals()).containsExactly(e);
      second.create(root + "/e2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      assertThat(target.ephemeralCount(id)).isEqualTo(2);

      Events watch = new Events();
      observer.exists(e, watch);
      observer.exists(root + "/e2", watch);
      second.close();
      expectDeleted(watch, List.of(e, root + "/e2"));
      assertThat(target.sessionExists(id)).isFalse();
    }
  }

  /**
   * Sessions are durable state: after a restart the client resumes its session through the same
   * address, its ephemeral is still there and its watch is re-armed by setWatches.
   */
  @Test
  void aSessionAndItsEphemeralsSurviveAServerRestart() throws Exception {
    try (TcpProxy proxy = new TcpProxy(target.connectString())) {
      Events events = new Events();
      ZooKeeper owner = clients.connect(proxy.connectString(), Clients.SESSION_TIMEOUT_MS, events);
      long id = owner.getSessionId();
      String e = owner.create(root + "/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      owner.getData(root, true, null);

      target.restart();
      proxy.upstream(target.connectString());
      proxy.dropConnections();
      events.awaitState(KeeperState.Disconnected);
      events.awaitState(KeeperState.SyncConnected);
      assertThat(owner.getSessionId()).isEqualTo(id);
      assertThat(target.sessionExists(id)).isTrue();
      assertThat(owner.exists(e, false).getEphemeralOwner()).isEqualTo(id);

      Clients after = new Clients(target.connectString());
      try {
        ZooKeeper writer = after.connect();
        writer.setData(root, new byte[] {1}, -1);
        events.expect(EventType.NodeDataChanged, root);
        assertThat(writer.exists(e, false).getEphemeralOwner()).isEqualTo(id);
      } finally {
        after.close();
      }
    }
  }

  @Test
  void aWrongPasswordGetsAnExpiredSessionAndTheRealOneLivesOn() throws Exception {
    ZooKeeper owner = clients.connect();
    String e = owner.create(root + "/e", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    byte[] wrong = owner.getSessionPasswd().clone();
    wrong[0] ^= 1;
    Events impostor = new Events();
    clients.track(
        new ZooKeeper(
            target.connectString(),
            Clients.SESSION_TIMEOUT_MS,
            impostor,
            owner.getSessionId(),
            wrong));
    impostor.awaitState(KeeperState.Expired);

    assertThat(target.sessionExists(owner.getSessionId())).isTrue();
    // ZooKeeper drops the owner's connection before it checks the password (the owner then
    // reconnects); either way the session and its ephemeral survive
    await().atMost(WAIT).ignoreExceptions().until(() -> owner.exists(e, false) != null);
    assertThat(owner.exists(e, false).getEphemeralOwner()).isEqualTo(owner.getSessionId());
  }

  @Test
  void anUnknownSessionIdGetsAnExpiredSession() throws Exception {
    Events events = new Events();
    clients.track(
        new ZooKeeper(
            target.connectString(),
            Clients.SESSION_TIMEOUT_MS,
            events,
            0x0123_4567_89ABL,
            new byte[16]));
    events.awaitState(KeeperState.Expired);
  }

  @Test
  void aClosedSessionCannotBeResumed() throws Exception {
    ZooKeeper owner = clients.connect();
    long id = owner.getSessionId();
    byte[] password = owner.getSessionPasswd();
    owner.close();
    Events events = new Events();
    clients.track(
        new ZooKeeper(target.connectString(), Clients.SESSION_TIMEOUT_MS, events, id, password));
    events.awaitState(KeeperState.Expired);
  }
}
