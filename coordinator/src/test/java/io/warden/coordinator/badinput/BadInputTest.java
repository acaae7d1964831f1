package io.warden.coordinator.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import io.warden.protocol.Acl;
import io.warden.protocol.AuthPacket;
import io.warden.protocol.CheckVersionRequest;
import io.warden.protocol.ConnectRequest;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.DeleteContainerRequest;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.ExistsRequest;
import io.warden.protocol.GetChildrenRequest;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.GetDataResponse;
import io.warden.protocol.GetSaslRequest;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.JuteWriter;
import io.warden.protocol.OpCode;
import io.warden.protocol.SetDataRequest;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and broken clients on a raw socket, one case per test, each checked against what
 * ZooKeeper does (reference §2–§7): an error code in a reply header, or a connection closed
 * with nothing sent. Throughout, a well-behaved official-client session ({@link Keeper}) keeps
 * writing on the same server and must see no failure and lose no write; the server must log
 * each bad connection at most once and never with a stack trace, and must release every
 * connection afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final int MAX_FRAME_BYTES = 64 * 1024;
  private static final int SESSIONLESS_TIMEOUT_MS = 1000;
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private static final int RANDOM_FRAMES = 400;

  @TempDir
  static Path dir;

  private WardenServer server;
  private int port;
  private Keeper keeper;
  private LogCapture logs;
  private long keeperWritesBefore;
  private int connectionsBefore;
  private final List<WireClient> opened = new ArrayList<>();

  @BeforeAll
  void startServer() {
    server = WardenServer.start(TestServers.config(dir)
        .juteMaxBufferBytes(MAX_FRAME_BYTES)
        .sessionlessConnectionTimeoutMs(SESSIONLESS_TIMEOUT_MS)
        .build());
    port = server.clientPort();
    keeper = new Keeper(server.connectString());
    logs = LogCapture.attach();
  }

  @AfterAll
  void stopServer() throws InterruptedException {
    logs.detach();
    keeper.close();
    server.close();
  }

  @BeforeEach
  void mark() throws Exception {
    logs.clear();
    keeperWritesBefore = keeper.writes();
    connectionsBefore = connections();
  }

  @AfterEach
  void serverIsFine() {
    opened.forEach(WireClient::close);
    opened.clear();
    keeper.assertHealthy(keeperWritesBefore);
    assertThat(logs.serverStackTraces()).as("stack traces logged by the server").isEmpty();
    assertThat(server.terminated()).as("the node stopped").isNotDone();
    await("connections released").atMost(Duration.ofSeconds(10)).until(() -> connections() <= connectionsBefore);
  }

  // ---- framing --------------------------------------------------------------------------

  @Test
  void aTruncatedFrameFollowedByTheClientClosingIsJustCleanedUp() {
    WireClient beforeHandshake = raw();
    beforeHandshake.sendRaw(new JuteWriter().writeInt(100).writeRaw(new byte[10], 0, 10).toByteArray());
    WireClient afterHandshake = session();
    afterHandshake.sendRaw(new JuteWriter().writeInt(100).writeInt(1).writeInt(OpCode.GET_DATA).toByteArray());
    int p1 = beforeHandshake.localPort();
    int p2 = afterHandshake.localPort();
    beforeHandshake.close();
    afterHandshake.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> connections() <= connectionsBefore);
    assertThat(logs.aboutClientPort(p1)).hasSizeLessThanOrEqualTo(1);
    assertThat(logs.aboutClientPort(p2)).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void aNegativeLengthClosesTheConnectionWithoutAReply() {
    WireClient first = raw();
    first.sendRaw(new JuteWriter().writeInt(-2).toByteArray());
    assertClosedSilentlyAndLoggedOnce(first);

    WireClient later = session();
    later.sendRaw(new JuteWriter().writeInt(-1).writeInt(1).writeInt(OpCode.PING).toByteArray());
    assertClosedSilentlyAndLoggedOnce(later);
  }

  @Test
  void aLengthAboveJuteMaxBufferClosesTheConnectionWithoutAReply() {
    WireClient first = raw();
    first.sendRaw(new JuteWriter().writeInt(MAX_FRAME_BYTES + 1).toByteArray());
    assertClosedSilentlyAndLoggedOnce(first);

    WireClient later = session();
    later.sendRaw(new JuteWriter().writeInt(Integer.MAX_VALUE).writeInt(1).toByteArray());
    assertClosedSilentlyAndLoggedOnce(later);
  }

  @Test
  void aFrameOfExactlyJuteMaxBufferIsServed() {
    WireClient c = session();
    assertThat(c.call(1, OpCode.CREATE, create("/exact", new byte[0])).err()).isZero();
    byte[] header = WireClient.requestFrame(2, OpCode.SET_DATA, new SetDataRequest("/exact", new byte[0], -1));
    int dataBytes = MAX_FRAME_BYTES - (header.length - 4);
    byte[] frame = WireClient.requestFrame(2, OpCode.SET_DATA, new SetDataRequest("/exact", new byte[dataBytes], -1));
    assertThat(frame.length - 4).isEqualTo(MAX_FRAME_BYTES);
    c.sendRaw(frame);
    assertThat(c.readReply().err()).isZero();
    WireClient.Reply r = c.call(3, OpCode.GET_DATA, new GetDataRequest("/exact", false));
    assertThat(GetDataResponse.read(r.bodyReader()).data()).hasSize(dataBytes);
  }

  @Test
  void aFirstFrameThatIsNotAConnectRequestClosesTheConnectionWithoutAReply() {
    WireClient tooShort = raw();
    tooShort.sendFrame(new byte[] {1, 2, 3});
    assertClosedSilentlyAndLoggedOnce(tooShort);

    // protocolVersion, lastZxidSeen, timeout, sessionId, then a password length past the frame
    WireClient garbage = raw();
    garbage.sendFrame(new JuteWriter().writeInt(0).writeLong(0).writeInt(30_000).writeLong(0).writeInt(0x7FFF_FFFF)
        .writeRaw(new byte[] {9, 9, 9}, 0, 3).toByteArray());
    assertClosedSilentlyAndLoggedOnce(garbage);

    WireClient pingFirst = raw();
    pingFirst.send(-2, OpCode.PING, null);
    assertClosedSilentlyAndLoggedOnce(pingFirst);
  }

  @Test
  void requestsPipelinedBehindTheConnectRequestAreAnsweredInOrderAfterTheHandshake() {
    WireClient c = raw();
    ByteArrayOutputStream burst = new ByteArrayOutputStream();
    burst.writeBytes(new JuteWriter().writeFrame(
        new ConnectRequest(0, 0, 10_000, 0, new byte[16], false, true), null).toByteArray());
    burst.writeBytes(WireClient.requestFrame(1, OpCode.CREATE,
        create("/pipelined", "v".getBytes(StandardCharsets.UTF_8))));
    burst.writeBytes(WireClient.requestFrame(2, OpCode.GET_DATA, new GetDataRequest("/pipelined", false)));
    burst.writeBytes(WireClient.requestFrame(-4, OpCode.AUTH, new AuthPacket(0, "digest",
        "bob:pw".getBytes(StandardCharsets.UTF_8))));
    burst.writeBytes(WireClient.requestFrame(3, OpCode.EXISTS, new ExistsRequest("/pipelined", false)));
    burst.writeBytes(WireClient.requestFrame(-2, OpCode.PING, null));
    c.sendRaw(burst.toByteArray());

    ConnectResponse hello = c.readConnectResponse();
    assertThat(hello.timeoutMs()).isPositive();
    assertThat(hello.sessionId()).isNotZero();
    List<WireClient.Reply> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(c.readReply());
    }
    assertThat(replies).allSatisfy(r -> assertThat(r.err()).isZero());
    // auth (xid -4) may overtake; the ordinary replies keep the request order
    assertThat(replies.stream().mapToInt(WireClient.Reply::xid).filter(x -> x != -4).toArray())
        .containsExactly(1, 2, 3, -2);
    WireClient.Reply read = replies.stream().filter(r -> r.xid() == 2).findFirst().orElseThrow();
    assertThat(GetDataResponse.read(read.bodyReader()).data()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFrameShorterThanARequestHeaderClosesTheConnectionWithoutAReply() {
    WireClient five = session();
    five.sendFrame(new byte[] {0, 0, 0, 1, 0});
    assertClosedSilentlyAndLoggedOnce(five);

    WireClient empty = session();
    empty.sendFrame(new byte[0]);
    assertClosedSilentlyAndLoggedOnce(empty);
  }

  // ---- opcodes and bodies ---------------------------------------------------------------

  /** Unknown, server-internal and refused opcodes: Unimplemented with zxid -1, then close (§5). */
  @ParameterizedTest
  @ValueSource(ints = {999, 0, 10, -10, -1, OpCode.CHECK, OpCode.DELETE_CONTAINER, OpCode.SASL})
  void anUnimplementedOpcodeIsAnsweredWithUnimplementedThenClosed(int opcode) {
    WireClient setup = session();
    setup.call(1, OpCode.CREATE_CONTAINER, create("/box-" + (opcode & 0xFFFF), new byte[0]));
    setup.call(2, OpCode.CREATE, create("/box-" + (opcode & 0xFFFF) + "/child", new byte[0]));

    WireClient c = session();
    c.send(1, OpCode.GET_DATA, new GetDataRequest("/keeper", false));
    c.sendRaw(WireClient.requestFrame(2, opcode, bodyFor(opcode)));
    c.send(3, OpCode.GET_DATA, new GetDataRequest("/keeper", false));
    assertThat(c.readReply().xid()).isEqualTo(1);
    WireClient.Reply refused = c.readReply();
    assertThat(refused.xid()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo(ErrorCode.UNIMPLEMENTED.code());
    assertThat(refused.zxid()).isEqualTo(-1);
    assertThat(refused.body()).isEmpty();
    assertThat(c.readUntilClosed(CLOSE_WAIT)).as("nothing after the Unimplemented reply").isEmpty();
    assertThat(logs.aboutClientPort(c.localPort())).hasSize(1);

    WireClient.Reply box = setup.call(3, OpCode.EXISTS, new ExistsRequest("/box-" + (opcode & 0xFFFF), false));
    assertThat(box.err()).as("a refused deleteContainer deletes nothing").isZero();
  }

  @Test
  void aMalformedBodyIsAMarshallingErrorAndTheConnectionStaysUsable() {
    WireClient c = session();
    int zxidBefore = (int) c.call(1, OpCode.GET_DATA, new GetDataRequest("/keeper", false)).zxid();

    // getData whose path claims 1000 bytes; create with a negative ACL count; a cut-off setData
    c.sendFrame(new JuteWriter().writeInt(2).writeInt(OpCode.GET_DATA).writeInt(1000).writeRaw(new byte[] {'/'}, 0, 1)
        .toByteArray());
    c.sendFrame(new JuteWriter().writeInt(3).writeInt(OpCode.CREATE).writeString("/malformed").writeBuffer(new byte[0])
        .writeInt(-5).writeInt(0).toByteArray());
    c.sendFrame(new JuteWriter().writeInt(4).writeInt(OpCode.SET_DATA).writeString("/keeper").toByteArray());
    c.sendFrame(new JuteWriter().writeInt(5).writeInt(OpCode.MULTI).writeInt(999).writeBool(false).writeInt(-1)
        .toByteArray());
    for (int xid = 2; xid <= 5; xid++) {
      WireClient.Reply r = c.readReply();
      assertThat(r.xid()).isEqualTo(xid);
      assertThat(r.err()).as("xid %d", xid).isEqualTo(ErrorCode.MARSHALLING_ERROR.code());
      assertThat(r.zxid()).isGreaterThanOrEqualTo(zxidBefore);
      assertThat(r.body()).isEmpty();
    }
    assertThat(c.call(6, OpCode.EXISTS, new ExistsRequest("/malformed", false)).err())
        .as("the malformed create created nothing").isEqualTo(ErrorCode.NO_NODE.code());
    assertThat(c.call(7, OpCode.GET_DATA, new GetDataRequest("/keeper", false)).err()).isZero();
    assertThat(logs.aboutClientPort(c.localPort())).as("one line per bad request").hasSize(4);
  }

  /**
   * Writes validate paths (BadArguments), reads do not (NoNode) — reference §9.6. A create
   * looks up the parent before it validates the whole path, as ZooKeeper's
   * PrepRequestProcessor does, so a malformed path under a missing parent is NoNode.
   */
  @Test
  void invalidPathsAreBadArgumentsForWritesAndNoNodeForReads() {
    WireClient c = session();
    int xid = 1;
    for (String bad : List.of("noslash", "", "/keeper/", "/keeper/.", "/keeper/..", "/keeper/ctl\u0001x")) {
      assertThat(c.call(xid++, OpCode.CREATE, create(bad, new byte[0])).err()).as("create '%s'", bad)
          .isEqualTo(ErrorCode.BAD_ARGUMENTS.code());
    }
    for (String badUnderMissingParent : List.of("/a//b", "/missing/x/", "/missing/./b")) {
      assertThat(c.call(xid++, OpCode.CREATE, create(badUnderMissingParent, new byte[0])).err())
          .as("create '%s'", badUnderMissingParent).isEqualTo(ErrorCode.NO_NODE.code());
    }
    for (String bad : List.of("noslash", "", "/trailing/", "/a//b", "/a/./b", "/a/../b", "/ctl\u0001x")) {
      assertThat(c.call(xid++, OpCode.SET_DATA, new SetDataRequest(bad, new byte[0], -1)).err())
          .as("setData '%s'", bad).isEqualTo(ErrorCode.BAD_ARGUMENTS.code());
    }
    for (String bad : List.of("noslash", "/trailing/", "/a//b", "/a/./b")) {
      assertThat(c.call(xid++, OpCode.GET_DATA, new GetDataRequest(bad, false)).err()).as("getData '%s'", bad)
          .isEqualTo(ErrorCode.NO_NODE.code());
      assertThat(c.call(xid++, OpCode.EXISTS, new ExistsRequest(bad, false)).err()).as("exists '%s'", bad)
          .isEqualTo(ErrorCode.NO_NODE.code());
      assertThat(c.call(xid++, OpCode.GET_CHILDREN, new GetChildrenRequest(bad, false)).err())
          .as("getChildren '%s'", bad).isEqualTo(ErrorCode.NO_NODE.code());
    }
    assertThat(c.call(xid, OpCode.GET_DATA, new GetDataRequest("/keeper", false)).err()).isZero();
  }

  @Test
  void dataOverTheLimitClosesTheConnectionAndChangesNothing() throws Exception {
    WireClient c = session();
    assertThat(c.call(1, OpCode.CREATE, create("/big", "small".getBytes(StandardCharsets.UTF_8))).err()).isZero();
    c.send(2, OpCode.SET_DATA, new SetDataRequest("/big", new byte[MAX_FRAME_BYTES], -1));
    assertClosedSilentlyAndLoggedOnce(c);

    // The official client does not check what it sends: it sees ConnectionLoss, reconnects
    // to the same session, and the znode is unchanged.
    ZooKeeper victim = connectOfficial();
    try {
      long session = victim.getSessionId();
      assertThatThrownBy(() -> victim.setData("/big", new byte[MAX_FRAME_BYTES + 1000], -1))
          .isInstanceOf(KeeperException.ConnectionLossException.class);
      // The client reconnects on its own; until it has, reads fail with ConnectionLoss too.
      await("the client to reconnect").atMost(Duration.ofSeconds(20))
          .ignoreException(KeeperException.ConnectionLossException.class)
          .until(() -> new String(victim.getData("/big", false, null), StandardCharsets.UTF_8).equals("small"));
      assertThat(victim.getSessionId()).isEqualTo(session);
    } finally {
      victim.close();
    }
  }

  // ---- handshake ------------------------------------------------------------------------

  @Test
  void resumingWithAWrongPasswordGetsAnInvalidSessionResponseThenClose() {
    WireClient owner = raw();
    owner.sendConnect(0, 10_000, 0, new byte[16]);
    ConnectResponse session = owner.readConnectResponse();
    owner.close();

    byte[] wrong = session.password().clone();
    wrong[0] ^= 1;
    byte[] tooLong = Arrays.copyOf(session.password(), 100);
    Object[][] attempts = {{session.sessionId(), wrong}, {session.sessionId(), tooLong},
        {session.sessionId(), new byte[0]}, {session.sessionId() ^ 0x55, session.password()}};
    for (Object[] attempt : attempts) {
      WireClient thief = raw();
      thief.sendConnect(0, 10_000, (long) attempt[0], (byte[]) attempt[1]);
      ConnectResponse refused = thief.readConnectResponse();
      assertThat(refused.timeoutMs()).isZero();
      assertThat(refused.sessionId()).isZero();
      assertThat(refused.password()).isEqualTo(new byte[16]);
      assertThat(refused.hasReadOnlyByte()).isTrue();
      assertThat(thief.readUntilClosed(CLOSE_WAIT)).isEmpty();
      assertThat(logs.aboutClientPort(thief.localPort())).hasSize(1);
    }

    WireClient rightful = raw();
    rightful.sendConnect(0, 10_000, session.sessionId(), session.password());
    ConnectResponse resumed = rightful.readConnectResponse();
    assertThat(resumed.sessionId()).isEqualTo(session.sessionId());
    assertThat(resumed.timeoutMs()).isPositive();
    assertThat(rightful.call(1, OpCode.GET_DATA, new GetDataRequest("/keeper", false)).err()).isZero();
  }

  /**
   * Out-of-range timeouts are clamped, not refused (§3.2 step 6); an old client's missing
   * readOnly byte is mirrored in the response (§3.4); a new session ignores the password.
   */
  @Test
  void oddButValidHandshakesAreAccepted() {
    for (int[] requestedAndNegotiated : new int[][] {{-5, 1000}, {0, 1000}, {Integer.MAX_VALUE, 10_000}}) {
      WireClient c = raw();
      c.sendConnect(0, requestedAndNegotiated[0], 0, new byte[16]);
      assertThat(c.readConnectResponse().timeoutMs()).as("negotiated from %d", requestedAndNegotiated[0])
          .isEqualTo(requestedAndNegotiated[1]);
    }
    WireClient old = raw();
    old.sendRaw(new JuteWriter().writeFrame(new ConnectRequest(0, 0, 5000, 0, new byte[16], false, false), null)
        .toByteArray());
    byte[] response = old.readFrame();
    assertThat(response).as("ConnectResponse without the readOnly byte").hasSize(36);
    assertThat(old.call(1, OpCode.GET_DATA, new GetDataRequest("/keeper", false)).err()).isZero();

    WireClient emptyPassword = raw();
    emptyPassword.sendConnect(0, 5000, 0, new byte[0]);
    assertThat(emptyPassword.readConnectResponse().sessionId()).as("a new session ignores the password").isNotZero();
  }

  @Test
  void aClientThatSawAHigherZxidIsClosedWithoutAReply() throws Exception {
    long applied = server.runtime().query(loop -> loop.stateMachine().appliedIndex()).get(10, TimeUnit.SECONDS);
    WireClient c = raw();
    c.sendConnect(applied + 1_000_000, 10_000, 0, new byte[16]);
    assertClosedSilentlyAndLoggedOnce(c);
  }

  @Test
  void aConnectionThatNeverSpeaksIsClosedAfterTheSessionlessTimeout() {
    for (byte[] sent : List.of(new byte[0], new byte[] {0, 0})) {
      long t0 = System.nanoTime();
      WireClient c = raw();
      c.sendRaw(sent);
      assertThat(c.readUntilClosed(Duration.ofSeconds(10))).isEmpty();
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(elapsedMs).as("closed by the timer, not at once")
          .isGreaterThanOrEqualTo(SESSIONLESS_TIMEOUT_MS * 8 / 10);
      assertThat(logs.aboutClientPort(c.localPort())).hasSize(1);
    }
  }

  @Test
  void aClientSendingOneByteAtATimeIsServedJustSlowly() throws InterruptedException {
    WireClient c = raw();
    trickle(c, new JuteWriter().writeFrame(
        new ConnectRequest(0, 0, 10_000, 0, new byte[16], false, true), null).toByteArray(), 1);
    assertThat(c.readConnectResponse().timeoutMs()).isPositive();
    // Past the sessionless timeout: an established session is not subject to it.
    long t0 = System.nanoTime();
    trickle(c, WireClient.requestFrame(1, OpCode.CREATE, create("/slow", "s".getBytes(StandardCharsets.UTF_8))), 25);
    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThan(SESSIONLESS_TIMEOUT_MS);
    WireClient.Reply r = c.readReply();
    assertThat(r.xid()).isEqualTo(1);
    assertThat(r.err()).isZero();
  }

  @Test
  void aHandshakeTrickledSlowerThanTheSessionlessTimeoutIsCutOff() throws InterruptedException {
    WireClient c = raw();
    byte[] hello = new JuteWriter().writeFrame(
        new ConnectRequest(0, 0, 10_000, 0, new byte[16], false, true), null).toByteArray();
    long t0 = System.nanoTime();
    Thread writer = new Thread(() -> {
      try {
        trickle(c, hello, 100); // 4.9 s in all: far past the timeout
      } catch (RuntimeException e) {
        // the server hung up on us: expected
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "slowloris");
    writer.setDaemon(true);
    writer.start();
    assertThat(c.readUntilClosed(Duration.ofSeconds(10))).isEmpty();
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(hello.length * 100L);
    c.close();
    writer.join(10_000);
  }

  /**
   * Seeded fuzzing: random bodies under every opcode. Each frame must get its reply (any
   * error code) with the connection still answering a ping — or, only after Unimplemented,
   * AuthFailed or closeSession, a close. Replay with {@code -Dwarden.badinput.seed=<seed>}.
   */
  @Test
  void randomBodiesUnderEveryOpcodeGetAnAnswerNeverACrash() {
    long seed = Long.getLong("warden.badinput.seed", System.nanoTime());
    System.out.println("randomBodies seed=" + seed + " (replay with -Dwarden.badinput.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    int[] opcodes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 100, 101, 102, 103,
        104, 105, 106, 107, -11, 0, 77};
    WireClient c = session();
    int xid = 1;
    int closes = 0;
    for (int i = 0; i < RANDOM_FRAMES; i++) {
      int opcode = opcodes[random.nextInt(opcodes.length)];
      byte[] body = new byte[random.nextInt(0, 80)];
      random.nextBytes(body);
      if (random.nextBoolean() && body.length >= 4) {
        body[0] = 0; // a plausible string or count length now and then, so decoding gets further
        body[1] = 0;
      }
      int requestXid = xid++;
      c.sendFrame(new JuteWriter().writeInt(requestXid).writeInt(opcode).writeRaw(body, 0, body.length).toByteArray());
      WireClient.Reply reply = c.readReply();
      while (reply.xid() == -1) { // a watch event fired by an earlier random write
        reply = c.readReply();
      }
      String what = "opcode " + opcode + " body " + HexFormat.of().formatHex(body);
      assertThat(reply.xid()).as(what).isIn(requestXid, -4);
      boolean mayClose = reply.err() == ErrorCode.UNIMPLEMENTED.code() || reply.err() == ErrorCode.AUTH_FAILED.code()
          || opcode == OpCode.CLOSE_SESSION;
      if (mayClose) {
        assertThat(c.readUntilClosed(CLOSE_WAIT)).as(what).isEmpty();
        closes++;
        c = session();
        continue;
      }
      int pingXid = xid++;
      c.send(pingXid, OpCode.PING, null);
      WireClient.Reply pong = c.readReply();
      while (pong.xid() == -1) {
        pong = c.readReply();
      }
      assertThat(pong.xid()).as("ping after %s", what).isEqualTo(pingXid);
    }
    System.out.println("randomBodies: " + RANDOM_FRAMES + " frames, " + closes + " closed connections");
  }

  // ---- other ports and paths ------------------------------------------------------------

  @Test
  void garbageOnTheFourLetterWordPathClosesTheConnectionWithoutAReply() {
    for (String word : List.of("abcd", "RUOK", "zzzz")) {
      WireClient c = raw();
      c.sendRaw(word.getBytes(StandardCharsets.US_ASCII));
      assertThat(c.readUntilClosed(CLOSE_WAIT)).as("reply to '%s'", word).isEmpty();
      assertThat(logs.aboutClientPort(c.localPort())).hasSize(1);
    }
  }

  @Test
  void garbageOnTheAdminPortGetsA4xxAndTheAdminServerKeepsServing() {
    int admin = server.adminPort();
    assertThat(httpStatus(admin, "GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo("400");
    assertThat(httpStatus(admin, ("GET /" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: a\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII))).as("request line too long").isEqualTo("414");
    assertThat(httpStatus(admin, ("GET /health HTTP/1.1\r\nHost: a\r\nX-Huge: " + "y".repeat(20_000) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII))).as("header too large").isEqualTo("431");
    byte[] binary = new byte[512];
    new SplittableRandom(7).nextBytes(binary);
    binary[0] = 0x16; // a TLS-handshake-looking first byte
    assertThat(httpStatus(admin, binary)).as("binary garbage").matches("4\\d\\d|closed");
    assertThat(httpStatus(admin, "GET /health HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("200");
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Sends raw bytes to the admin port; the status code of the answer, or "closed" if none came. */
  private static String httpStatus(int adminPort, byte[] request) {
    try (Socket s = new Socket("127.0.0.1", adminPort)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String statusLine = in.readLine();
      if (statusLine == null) {
        return "closed";
      }
      String[] parts = statusLine.split(" ");
      assertThat(parts[0]).startsWith("HTTP/1.");
      return parts[1];
    } catch (SocketException e) {
      return "closed";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void assertClosedSilentlyAndLoggedOnce(WireClient c) {
    assertThat(c.readUntilClosed(CLOSE_WAIT)).as("bytes the server sent before closing").isEmpty();
    assertThat(logs.aboutClientPort(c.localPort())).as("log lines about the connection").hasSize(1);
  }

  /** Sends {@code bytes} one at a time, {@code gapMs} apart (the pacing is the behaviour under test). */
  private static void trickle(WireClient c, byte[] bytes, long gapMs) throws InterruptedException {
    for (byte b : bytes) {
      c.sendRaw(new byte[] {b});
      TimeUnit.MILLISECONDS.sleep(gapMs);
    }
  }

  private WireClient raw() {
    WireClient c = WireClient.connect(port);
    opened.add(c);
    return c;
  }

  private WireClient session() {
    WireClient c = WireClient.session(port, 10_000);
    opened.add(c);
    return c;
  }

  private ZooKeeper connectOfficial() throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(server.connectString(), 10_000, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    assertThat(connected.await(20, TimeUnit.SECONDS)).isTrue();
    return zk;
  }

  private int connections() throws Exception {
    return server.runtime().query(NodeLoop::status).get(10, TimeUnit.SECONDS).connectionCount();
  }

  private static CreateRequest create(String path, byte[] data) {
    return new CreateRequest(path, data, Acl.OPEN_ACL_UNSAFE, 0);
  }

  /** A well-formed body where the opcode has one, so only the opcode itself is refused. */
  private static JuteRecord bodyFor(int opcode) {
    String box = "/box-" + (opcode & 0xFFFF);
    return switch (opcode) {
      case OpCode.CHECK -> new CheckVersionRequest(box, -1);
      case OpCode.DELETE_CONTAINER -> new DeleteContainerRequest(box.getBytes(StandardCharsets.UTF_8));
      case OpCode.SASL -> new GetSaslRequest(new byte[0]);
      default -> new GetDataRequest("/keeper", false);
    };
  }
}
