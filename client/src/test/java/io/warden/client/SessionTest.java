package io.warden.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warden.client.testing.TestServer;
import io.warden.client.testing.TestServers;
import io.warden.protocol.Acl;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.CreateMode;
import io.warden.protocol.DigestAuth;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.Id;
import io.warden.protocol.KeeperState;
import io.warden.protocol.Perms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session life against the suite's server (see TestServers): reconnecting across a server
 * restart (same addresses, same data, so the session survives) with watches and credentials
 * restored, server-side expiry (when the server can expire on demand), and local expiry when no
 * server can be reached.
 */
class SessionTest {
  private static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;
  private TestServer server;
  private WardenClient client;
  private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private WardenClient connect(WardenClient.Builder builder) throws Exception {
    client = builder.stateListener(states::add).build();
    assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
    return client;
  }

  @Test
  void reconnectsAfterAServerRestartWithSessionWatchesAndAuth() throws Exception {
    connect(WardenClient.builder(server.connectString()).sessionTimeout(Duration.ofSeconds(8))
        .digestAuth("carol:pw"));
    BlockingWardenClient sync = client.blocking();
    long session = client.sessionId();
    List<Acl> carolOnly = List.of(new Acl(Perms.ALL,
        new Id("digest", DigestAuth.digestId("carol:pw"))));
    sync.create("/keep", "v".getBytes(UTF_8), carolOnly, CreateMode.PERSISTENT);
    sync.create("/eph", null, OPEN, CreateMode.EPHEMERAL);
    WatchTest.Recorder data = new WatchTest.Recorder();
    WatchTest.Recorder recursive = new WatchTest.Recorder();
    sync.getData("/keep", data);
    sync.addWatch("/tree", recursive, AddWatchMode.PERSISTENT_RECURSIVE);

    server.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.SUSPENDED);
    Throwable whileDown = catchThrowable(() -> sync.exists("/keep"));
    assertThat(whileDown).isInstanceOf(WardenException.class);
    assertThat(((WardenException) whileDown).code()).isEqualTo(ErrorCode.CONNECTION_LOSS);
    server.restart();
    await().atMost(Duration.ofSeconds(15))
        .until(() -> client.state() == ConnectionState.RECONNECTED);

    assertThat(client.sessionId()).isEqualTo(session);
    assertThat(states).containsExactly(ConnectionState.CONNECTED, ConnectionState.SUSPENDED,
        ConnectionState.RECONNECTED);
    assertThat(sync.getData("/keep").data()).isEqualTo("v".getBytes(UTF_8)); // auth re-sent
    assertThat(sync.exists("/eph").ephemeralOwner()).isEqualTo(session);

    try (WardenClient other = WardenClient.builder(server.connectString()).digestAuth("carol:pw")
        .build()) {
      assertThat(other.awaitConnected(Duration.ofSeconds(10))).isTrue();
      other.blocking().setData("/keep", "w".getBytes(UTF_8), -1);
      other.blocking().create("/tree", null, OPEN, CreateMode.PERSISTENT);
    }
    await().atMost(Duration.ofSeconds(10)).until(() ->
        !data.nodeEvents().isEmpty() && !recursive.nodeEvents().isEmpty());
    assertThat(data.nodeEvents()).containsExactly(
        new WatchEvent(EventType.NODE_DATA_CHANGED, KeeperState.SYNC_CONNECTED, "/keep"));
    assertThat(recursive.nodeEvents()).containsExactly(
        new WatchEvent(EventType.NODE_CREATED, KeeperState.SYNC_CONNECTED, "/tree"));
    assertThat(data.events.get(0).state()).isEqualTo(KeeperState.DISCONNECTED);
  }

  @Test
  void serverSideExpiryLosesTheSessionForGood() throws Exception {
    assumeTrue(server.canExpireSessions(), "needs TestServer.expireSession");
    connect(WardenClient.builder(server.connectString()).sessionTimeout(Duration.ofSeconds(8)));
    WatchTest.Recorder watcher = new WatchTest.Recorder();
    client.blocking().exists("/nothing", watcher);
    server.expireSession(client.sessionId());
    await().atMost(Duration.ofSeconds(15)).until(() -> client.state() == ConnectionState.LOST);
    assertThat(states).endsWith(ConnectionState.LOST);
    assertThat(states).doesNotContain(ConnectionState.RECONNECTED);

    Throwable after = catchThrowable(() -> client.getData("/").toCompletableFuture()
        .get(5, TimeUnit.SECONDS));
    assertThat(after.getCause()).isInstanceOf(WardenException.class);
    assertThat(((WardenException) after.getCause()).code()).isEqualTo(ErrorCode.SESSION_EXPIRED);
    Throwable await = catchThrowable(() -> client.awaitConnected(Duration.ofSeconds(1)));
    assertThat(((WardenException) await).code()).isEqualTo(ErrorCode.SESSION_EXPIRED);
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.events.stream()
        .anyMatch(e -> e.state() == KeeperState.EXPIRED));
  }

  @Test
  void sessionExpiresLocallyWhenNoServerIsHeardFor4ThirdsOfTheTimeout() throws Exception {
    connect(WardenClient.builder(server.connectString()).sessionTimeout(Duration.ofMillis(1500)));
    int negotiatedMs = (int) client.negotiatedSessionTimeout().toMillis();
    assertThat(negotiatedMs).isEqualTo(1500);
    server.stop();
    long lostAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.LOST);
    long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt);
    assertThat(afterMs).isGreaterThanOrEqualTo(negotiatedMs);
    assertThat(states).containsExactly(ConnectionState.CONNECTED, ConnectionState.SUSPENDED,
        ConnectionState.LOST);
  }

  @Test
  void closeSendsCloseSessionAndEndsClosed() throws Exception {
    connect(WardenClient.builder(server.connectString()));
    client.blocking().create("/mine", null, OPEN, CreateMode.EPHEMERAL);
    client.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(ConnectionState.CLOSED));
    try (WardenClient other = WardenClient.builder(server.connectString()).build()) {
      assertThat(other.awaitConnected(Duration.ofSeconds(10))).isTrue();
      // a new session: Warden shows it every earlier write, ZooKeeper does not promise to
      other.blocking().sync("/mine");
      assertThat(other.blocking().exists("/mine")).isNull();
    }
  }
}
