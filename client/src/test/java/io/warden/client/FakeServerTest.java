package io.warden.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.protocol.AddWatchMode;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.ErrorResponse;
import io.warden.protocol.EventType;
import io.warden.protocol.ExistsResponse;
import io.warden.protocol.GetDataResponse;
import io.warden.protocol.JuteReader;
import io.warden.protocol.KeeperState;
import io.warden.protocol.OpCode;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.RequestHeader;
import io.warden.protocol.SetWatches;
import io.warden.protocol.SetWatches2;
import io.warden.protocol.Stat;
import io.warden.protocol.WatcherEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failure handling against a scripted fake server: silent servers, dropped connections,
 * out-of-order replies, expired sessions, oversized frames, rejected credentials, old and
 * read-only handshakes, and what a reconnect sends (session, auth, SetWatches).
 */
class FakeServerTest {
  private static final Stat STAT = new Stat(5, 5, 0, 0, 0, 0, 0, 0, 1, 0, 5);
  private static final long ZXID = 42;
  private FakeServer server;
  private WardenClient client;
  private final List<ConnectionState> states = new CopyOnWriteArrayList<>();
  private final List<Object> bodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new FakeServer();
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private WardenClient build(WardenClient.Builder builder) {
    client = builder.randomSeed(1).stateListener(states::add).build();
    return client;
  }

  private WardenClient.Builder builder(int sessionTimeoutMs) {
    return WardenClient.builder(server.connectString())
        .sessionTimeout(Duration.ofMillis(sessionTimeoutMs));
  }

  /** Answers the requests these tests use, as a healthy server would. */
  private void wellBehaved(FakeServer.Conn conn, RequestHeader h, JuteReader body)
      throws IOException {
    switch (h.type()) {
      case OpCode.AUTH -> conn.reply(ReplyHeader.AUTH_XID, 0, 0, null);
      case OpCode.SET_WATCHES -> {
        bodies.add(SetWatches.read(body));
        conn.reply(h.xid(), ZXID, 0, null);
      }
      case OpCode.SET_WATCHES2 -> {
        bodies.add(SetWatches2.read(body));
        conn.reply(h.xid(), ZXID, 0, null);
      }
      case OpCode.GET_DATA -> conn.reply(h.xid(), ZXID, 0, new GetDataResponse(new byte[1], STAT));
      case OpCode.EXISTS -> conn.reply(h.xid(), ZXID, 0, new ExistsResponse(STAT));
      case OpCode.ADD_WATCH -> conn.reply(h.xid(), ZXID, 0, new ErrorResponse(0));
      case OpCode.CLOSE_SESSION -> {
        conn.reply(h.xid(), ZXID, 0, null);
        conn.close();
      }
      default -> conn.reply(h.xid(), ZXID, ErrorCode.UNIMPLEMENTED.code(), null);
    }
  }

  private static ErrorCode failureCode(java.util.concurrent.CompletionStage<?> stage)
      throws Exception {
    try {
      stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WardenException.class);
      return ((WardenException) e.getCause()).code();
    }
    throw new AssertionError("the stage succeeded");
  }

  private void awaitState(ConnectionState state) {
    await().atMost(Duration.ofSeconds(15)).until(() -> states.contains(state));
  }

  @Test
  void pipelinedRequestsUseIncreasingXidsAndEventsArriveInWireOrder() throws Exception {
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.EXISTS) {
        conn.reply(ReplyHeader.PING_XID, ZXID, 0, null); // special xids bypass the FIFO
        conn.reply(ReplyHeader.NOTIFICATION_XID, ZXID, 0,
            new WatcherEvent(EventType.NODE_DATA_CHANGED.code(), 3, "/n"));
      }
      wellBehaved(conn, h, body);
    };
    build(builder(10_000));
    List<String> order = new CopyOnWriteArrayList<>();
    client.getData("/n", e -> order.add("event " + e.type()))
        .thenAccept(d -> order.add("getData"));
    CompletableFuture<Stat> exists = client.exists("/n").thenApply(s -> {
      order.add("exists");
      return s;
    }).toCompletableFuture();
    client.getData("/m").thenAccept(d -> order.add("getData2")).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(exists.get()).isEqualTo(STAT);
    assertThat(order).containsExactly("getData", "event NODE_DATA_CHANGED", "exists", "getData2");
    List<Integer> xids = server.connections.get(0).requests().stream()
        .map(RequestHeader::xid).toList();
    assertThat(xids).containsExactly(1, 2, 3);
    assertThat(server.connections).hasSize(1);
  }

  @Test
  void requestTimeoutFailsTheRequestThenReconnectsToTheSameSession() throws Exception {
    server.handler = (conn, h, body) -> {
      if (server.connections.size() > 1) {
        wellBehaved(conn, h, body);
      } // the first connection never answers anything but pings
    };
    build(builder(10_000).requestTimeout(Duration.ofMillis(300)));
    long start = System.nanoTime();
    assertThat(failureCode(client.getData("/slow"))).isEqualTo(ErrorCode.REQUEST_TIMEOUT);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
    awaitState(ConnectionState.RECONNECTED);
    assertThat(states).containsExactly(ConnectionState.CONNECTED, ConnectionState.SUSPENDED,
        ConnectionState.RECONNECTED);
    FakeServer.Conn second = server.connections.get(1);
    assertThat(second.connectRequest.sessionId()).isEqualTo(0x1234);
    assertThat(second.connectRequest.password()).isEqualTo(FakeServer.PASSWORD);
    assertThat(client.blocking().getData("/fast").stat()).isEqualTo(STAT);
  }

  @Test
  void aSilentServerCausesAReadTimeoutAfterPings() throws Exception {
    server.answerPings = false;
    build(builder(4500));
    awaitState(ConnectionState.CONNECTED);
    long start = System.nanoTime();
    awaitState(ConnectionState.SUSPENDED);
    long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(silentMs).isBetween(2000L, 6000L); // read timeout = 2/3 of 4.5 s
    assertThat(server.connections.get(0).received).extracting(RequestHeader::type)
        .contains(OpCode.PING);
    awaitState(ConnectionState.RECONNECTED);
    assertThat(server.connections.size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aDroppedConnectionFailsOutstandingRequestsWithConnectionLoss() throws Exception {
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.GET_DATA && server.connections.size() == 1) {
        conn.close();
      } else {
        wellBehaved(conn, h, body);
      }
    };
    build(builder(10_000));
    assertThat(failureCode(client.getData("/x"))).isEqualTo(ErrorCode.CONNECTION_LOSS);
    awaitState(ConnectionState.RECONNECTED);
    assertThat(client.blocking().getData("/x").stat()).isEqualTo(STAT);
  }

  @Test
  void anOutOfOrderReplyDropsTheConnection() throws Exception {
    List<RequestHeader> held = new CopyOnWriteArrayList<>();
    server.handler = (conn, h, body) -> {
      if (server.connections.size() == 1 && h.type() == OpCode.GET_DATA) {
        held.add(h);
        if (held.size() == 2) {
          conn.reply(held.get(1).xid(), ZXID, 0, new GetDataResponse(null, STAT));
        }
      } else {
        wellBehaved(conn, h, body);
      }
    };
    build(builder(10_000));
    CompletableFuture<NodeData> first = client.getData("/a").toCompletableFuture();
    CompletableFuture<NodeData> second = client.getData("/b").toCompletableFuture();
    assertThat(failureCode(first)).isEqualTo(ErrorCode.CONNECTION_LOSS);
    assertThat(failureCode(second)).isEqualTo(ErrorCode.CONNECTION_LOSS);
    awaitState(ConnectionState.RECONNECTED);
  }

  @Test
  void anExpiredSessionIsLostForGood() throws Exception {
    server.handshake = request -> request.sessionId() == 0 ? FakeServer.accept(request)
        : new ConnectResponse(0, 0, 0, new byte[16], false, true);
    server.handler = (conn, h, body) -> conn.close();
    build(builder(10_000));
    WatchTest.Recorder watcher = new WatchTest.Recorder();
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.EXISTS) {
        wellBehaved(conn, h, body);
      } else {
        conn.close();
      }
    };
    client.blocking().exists("/w", watcher);
    assertThat(failureCode(client.getData("/x"))).isEqualTo(ErrorCode.CONNECTION_LOSS);
    awaitState(ConnectionState.LOST);
    assertThat(failureCode(client.getData("/x"))).isEqualTo(ErrorCode.SESSION_EXPIRED);
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.events.contains(
        new WatchEvent(EventType.NONE, KeeperState.EXPIRED, null)));
    int connections = server.connections.size();
    assertThat(connections).isEqualTo(2); // no reconnect after expiry
  }

  @Test
  void aConnectResponseWithoutTheReadOnlyByteIsAccepted() throws Exception {
    server.handshake = request -> new ConnectResponse(0, request.timeoutMs(), 0x99,
        FakeServer.PASSWORD, false, false);
    build(builder(10_000));
    assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
    assertThat(client.sessionId()).isEqualTo(0x99);
    assertThat(server.connections.get(0).connectRequest.hasReadOnlyByte()).isTrue();
    assertThat(server.connections.get(0).connectRequest.lastZxidSeen()).isZero();
  }

  @Test
  void aReadOnlyServerIsRefusedUnlessAllowed() throws Exception {
    server.handshake = request -> new ConnectResponse(0, request.timeoutMs(), 0x77,
        FakeServer.PASSWORD, true, true);
    build(builder(10_000));
    assertThat(client.awaitConnected(Duration.ofMillis(1500))).isFalse();
    assertThat(server.connections.get(0).connectRequest.readOnly()).isFalse();
    client.close();

    states.clear();
    build(builder(10_000).canBeReadOnly(true));
    assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
    assertThat(client.state()).isEqualTo(ConnectionState.READ_ONLY);
  }

  @Test
  void aFrameOverTheLimitDropsTheConnection() throws Exception {
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.GET_DATA && server.connections.size() == 1) {
        conn.reply(h.xid(), ZXID, 0, new GetDataResponse(new byte[4096], STAT));
      } else {
        wellBehaved(conn, h, body);
      }
    };
    build(builder(10_000).maxFrameBytes(1024));
    assertThat(failureCode(client.getData("/big"))).isEqualTo(ErrorCode.CONNECTION_LOSS);
    awaitState(ConnectionState.RECONNECTED);
  }

  @Test
  void rejectedCredentialsEndTheClient() throws Exception {
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.AUTH) {
        conn.reply(ReplyHeader.AUTH_XID, 0, ErrorCode.AUTH_FAILED.code(), null);
        conn.close();
      }
    };
    build(builder(10_000).digestAuth("eve:wrong"));
    awaitState(ConnectionState.AUTH_FAILED);
    assertThat(failureCode(client.exists("/"))).isEqualTo(ErrorCode.AUTH_FAILED);
    assertThat(server.connections).hasSize(1);
  }

  @Test
  void unimplementedFailsTheCallAndTheClientReconnects() throws Exception {
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.WHO_AM_I) {
        conn.reply(h.xid(), -1, ErrorCode.UNIMPLEMENTED.code(), null);
        conn.close(); // what a 3.6 server does with opcode 107
      } else {
        wellBehaved(conn, h, body);
      }
    };
    build(builder(10_000));
    assertThat(failureCode(client.whoAmI())).isEqualTo(ErrorCode.UNIMPLEMENTED);
    awaitState(ConnectionState.RECONNECTED);
  }

  @Test
  void authRepliesMayOvertakeEarlierReplies() throws Exception {
    List<RequestHeader> held = new CopyOnWriteArrayList<>();
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.GET_DATA) {
        held.add(h);
      } else if (h.type() == OpCode.AUTH) {
        conn.reply(ReplyHeader.AUTH_XID, 0, 0, null);
        conn.reply(held.get(0).xid(), ZXID, 0, new GetDataResponse(null, STAT));
      }
    };
    build(builder(10_000));
    CompletableFuture<NodeData> read = client.getData("/a").toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
    client.addAuth("digest", "u:p".getBytes()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(read.get(10, TimeUnit.SECONDS).stat()).isEqualTo(STAT);
    assertThat(server.connections).hasSize(1);
  }

  @Test
  void aReconnectResendsAuthThenSetWatchesWithTheLastZxid() throws Exception {
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.SYNC) {
        conn.close();
      } else {
        wellBehaved(conn, h, body);
      }
    };
    build(builder(10_000).digestAuth("u:p"));
    BlockingWardenClient sync = client.blocking();
    sync.getData("/d", e -> { });
    sync.exists("/e", e -> { });
    sync.addWatch("/p", e -> { }, AddWatchMode.PERSISTENT);
    sync.addWatch("/r", e -> { }, AddWatchMode.PERSISTENT_RECURSIVE);
    assertThat(failureCode(client.sync("/"))).isEqualTo(ErrorCode.CONNECTION_LOSS);
    awaitState(ConnectionState.RECONNECTED);
    FakeServer.Conn second = server.connections.get(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> second.requests().size() >= 2);
    assertThat(second.connectRequest.lastZxidSeen()).isEqualTo(ZXID);
    assertThat(second.requests()).extracting(RequestHeader::type)
        .startsWith(OpCode.AUTH, OpCode.SET_WATCHES2);
    SetWatches2 restored = (SetWatches2) bodies.get(0);
    assertThat(restored.relativeZxid()).isEqualTo(ZXID);
    // exists on an existing node leaves a data watch, so /e is restored as one
    assertThat(restored.dataWatches()).containsExactlyInAnyOrder("/d", "/e");
    assertThat(restored.existWatches()).isEmpty();
    assertThat(restored.persistentWatches()).containsExactly("/p");
    assertThat(restored.persistentRecursiveWatches()).containsExactly("/r");
  }

  @Test
  void withoutPersistentWatchesTheOldSetWatchesIsUsed() throws Exception {
    server.handler = (conn, h, body) -> {
      if (h.type() == OpCode.SYNC) {
        conn.close();
      } else if (h.type() == OpCode.EXISTS) {
        conn.reply(h.xid(), ZXID, ErrorCode.NO_NODE.code(), null);
      } else {
        wellBehaved(conn, h, body);
      }
    };
    build(builder(10_000));
    assertThat(client.blocking().exists("/missing", e -> { })).isNull();
    assertThat(failureCode(client.sync("/"))).isEqualTo(ErrorCode.CONNECTION_LOSS);
    awaitState(ConnectionState.RECONNECTED);
    await().atMost(Duration.ofSeconds(5)).until(() -> !bodies.isEmpty());
    SetWatches restored = (SetWatches) bodies.get(0);
    assertThat(restored.existWatches()).containsExactly("/missing");
  }

  @Test
  void theHostShuffleIsSeededAndCoversEveryServer() throws Exception {
    try (FakeServer other = new FakeServer()) {
      // both answer closeSession, so each close() returns at once instead of after a read timeout
      server.handler = this::wellBehaved;
      other.handler = this::wellBehaved;
      String both = server.connectString() + "," + other.connectString();
      List<Boolean> firstIsOther = new ArrayList<>();
      for (long seed = 0; seed < 8; seed++) {
        for (int repeat = 0; repeat < 2; repeat++) {
          int before = other.connections.size();
          try (WardenClient c = WardenClient.builder(both).randomSeed(seed).build()) {
            assertThat(c.awaitConnected(Duration.ofSeconds(10))).isTrue();
          }
          boolean usedOther = other.connections.size() > before;
          if (repeat == 0) {
            firstIsOther.add(usedOther);
          } else {
            assertThat(usedOther).as("seed %d replays", seed)
                .isEqualTo(firstIsOther.get((int) seed));
          }
        }
      }
      assertThat(firstIsOther).contains(true, false);
    }
  }

  @Test
  void operationsBeforeTheFirstConnectionWaitForIt() throws Exception {
    server.handler = this::wellBehaved;
    List<CompletableFuture<Stat>> early = new ArrayList<>();
    build(builder(10_000));
    for (int i = 0; i < 5; i++) {
      early.add(client.exists("/" + i).toCompletableFuture());
    }
    for (CompletableFuture<Stat> f : early) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(STAT);
    }
  }
}
