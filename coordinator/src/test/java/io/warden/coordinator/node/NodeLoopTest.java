package io.warden.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Acl;
import io.warden.protocol.AuthPacket;
import io.warden.protocol.ConnectRequest;
import io.warden.protocol.CreateMode;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.DeleteRequest;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.GetDataResponse;
import io.warden.protocol.OpCode;
import io.warden.protocol.SetDataRequest;
import io.warden.protocol.SyncRequest;
import io.warden.protocol.WhoAmIResponse;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLoopTest {
  private final LoopHarness h = new LoopHarness(LoopHarness.options());

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static CreateRequest create(String path, String data, CreateMode mode) {
    return new CreateRequest(path, b(data), Acl.OPEN_ACL_UNSAFE, mode.flag());
  }

  private static Outbound.Reply reply(Outbound m) {
    assertThat(m).isInstanceOf(Outbound.Reply.class);
    return (Outbound.Reply) m;
  }

  @Test
  void theHandshakeIsAnsweredOnlyOnceTheSessionIsDurable() {
    h.loop.onConnectionOpened(7, new InetSocketAddress("127.0.0.1", 1));
    h.loop.onHandshake(7, new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, true));
    h.loop.flush();
    assertThat(h.received.get(7)).as("nothing before the fsync").isNull();
    h.fsyncAll();
    Outbound.Handshake hs = (Outbound.Handshake) h.take(7).get(0);
    assertThat(hs.response().timeoutMs()).as("clamped to the maximum").isEqualTo(10_000);
    assertThat(hs.response().sessionId() >>> 56).as("top byte is the server id").isEqualTo(1);
    assertThat(hs.response().password()).hasSize(16).isNotEqualTo(new byte[16]);
  }

  /**
   * A backlog of committed entries is applied a bounded batch per flush, so the core thread
   * gets back to its clock and its peers in between (a restart applying tens of thousands of
   * entries once starved the leader's heartbeats for over a second).
   */
  @Test
  void aLongBacklogOfCommittedEntriesIsAppliedABoundedBatchPerFlush() {
    h.connect(1);
    h.take(1);
    int writes = 1 + 2 * NodeLoop.APPLY_PER_FLUSH_MAX + 100;
    for (int i = 0; i < writes; i++) {
      h.request(1, i + 1, OpCode.CREATE, create("/n" + i, "x", CreateMode.PERSISTENT));
    }
    h.fsyncOne(); // the first write alone; its flush hands off one batch with all the others
    assertThat(h.take(1)).hasSize(1);
    assertThat(h.persists).hasSize(1);
    var backlog = h.persists.poll();
    h.durableIndex = backlog.lastIndex();
    h.loop.onPersisted(backlog);
    h.loop.flush();
    assertThat(h.take(1)).as("replies after one flush").hasSize(NodeLoop.APPLY_PER_FLUSH_MAX);
    assertThat(h.loop.hasWorkPending()).isTrue();
    int flushes = 1;
    List<Integer> xids = new ArrayList<>();
    while (h.loop.hasWorkPending()) {
      h.loop.flush();
      flushes++;
      h.take(1).forEach(m -> xids.add(reply(m).xid()));
    }
    assertThat(flushes).isEqualTo(3);
    assertThat(xids).hasSize(NodeLoop.APPLY_PER_FLUSH_MAX + 100)
        .startsWith(NodeLoop.APPLY_PER_FLUSH_MAX + 2).endsWith(writes).isSorted();
    assertThat(h.loop.stateMachine().tree().statOrNull("/n" + (writes - 1))).isNotNull();
  }

  @Test
  void aWriteIsAnsweredAfterItsFsyncWithItsOwnZxid() {
    h.connect(1);
    h.take(1);
    h.request(1, 1, OpCode.CREATE, create("/a", "x", CreateMode.PERSISTENT));
    assertThat(h.take(1)).isEmpty();
    h.fsyncAll();
    Outbound.Reply r = reply(h.take(1).get(0));
    assertThat(r.err()).isZero();
    assertThat(r.zxid()).isEqualTo(h.durableIndex);
  }

  @Test
  void aReadSentBeforeALaterWriteDoesNotSeeItEvenWhenBothCommitTogether() {
    h.connect(1);
    h.request(1, 1, OpCode.CREATE, create("/a", "v1", CreateMode.PERSISTENT));
    h.fsyncAll();
    h.take(1);
    // pipelined: set v2, read, set v3 — all before any fsync completes
    h.request(1, 2, OpCode.SET_DATA, new SetDataRequest("/a", b("v2"), -1));
    h.request(1, 3, OpCode.GET_DATA, new GetDataRequest("/a", false));
    h.request(1, 4, OpCode.SET_DATA, new SetDataRequest("/a", b("v3"), -1));
    h.fsyncAll();
    List<Outbound> out = h.take(1);
    assertThat(out).extracting(m -> reply(m).xid()).containsExactly(2, 3, 4);
    GetDataResponse read = (GetDataResponse) reply(out.get(1)).body();
    assertThat(new String(read.data(), StandardCharsets.UTF_8)).as("FIFO client order").isEqualTo("v2");
  }

  @Test
  void aWriteSentAfterASyncIsNotProposedBeforeTheSyncAnswers() {
    h.connect(1);
    h.request(1, 1, OpCode.CREATE, create("/a", "v1", CreateMode.PERSISTENT));
    h.fsyncAll();
    h.take(1);
    // pipelined: set v2, sync, read, set v3 — the sync (and the read after it) must not see v3
    int retained = h.loop.status().retainedLogEntries();
    h.request(1, 2, OpCode.SET_DATA, new SetDataRequest("/a", b("v2"), -1));
    h.request(1, 3, OpCode.SYNC, new SyncRequest("/a"));
    h.request(1, 4, OpCode.GET_DATA, new GetDataRequest("/a", false));
    h.request(1, 5, OpCode.SET_DATA, new SetDataRequest("/a", b("v3"), -1));
    assertThat(h.loop.status().retainedLogEntries() - retained).as("only v2 is proposed while the sync waits")
        .isEqualTo(1);
    h.fsyncOne();
    assertThat(h.persists).as("v3 goes to disk once the sync has answered").hasSize(1);
    h.fsyncAll();
    List<Outbound> out = h.take(1);
    assertThat(out).extracting(m -> reply(m).xid()).containsExactly(2, 3, 4, 5);
    GetDataResponse read = (GetDataResponse) reply(out.get(2)).body();
    assertThat(new String(read.data(), StandardCharsets.UTF_8)).isEqualTo("v2");
    assertThat(out).extracting(m -> reply(m).zxid()).as("a session's zxids never go back").isSorted();
    assertThat(reply(out.get(3)).zxid()).isGreaterThan(reply(out.get(1)).zxid());
  }

  @Test
  void writesArrivingDuringAnFsyncShareTheNextOne() {
    h.connect(1);
    h.request(1, 1, OpCode.CREATE, create("/a", "", CreateMode.PERSISTENT));
    assertThat(h.persists).hasSize(1);
    for (int i = 2; i <= 20; i++) {
      h.request(1, i, OpCode.SET_DATA, new SetDataRequest("/a", b("v" + i), -1));
    }
    assertThat(h.persists).as("one fsync at a time").hasSize(1);
    h.fsyncOne();
    assertThat(h.persists).hasSize(1);
    assertThat(h.persists.peek().entries()).as("group commit").hasSize(19);
    h.fsyncAll();
    assertThat(h.take(1)).hasSize(1 + 20);
  }

  @Test
  void aWatchEventPrecedesTheReplyToTheWriteThatCausedIt() {
    h.connect(1);
    h.connect(2);
    h.request(1, 1, OpCode.CREATE, create("/a", "x", CreateMode.PERSISTENT));
    h.fsyncAll();
    h.take(1);
    h.take(2);
    h.request(1, 2, OpCode.GET_DATA, new GetDataRequest("/a", true));
    h.request(2, 1, OpCode.GET_DATA, new GetDataRequest("/a", true));
    h.request(1, 3, OpCode.SET_DATA, new SetDataRequest("/a", b("y"), -1));
    h.fsyncAll();
    List<Outbound> one = h.take(1);
    assertThat(one).hasSize(3);
    assertThat(reply(one.get(0)).xid()).isEqualTo(2);
    assertThat(one.get(1)).isInstanceOf(Outbound.Event.class);
    assertThat(((Outbound.Event) one.get(1)).event().type()).isEqualTo(EventType.NODE_DATA_CHANGED.code());
    assertThat(reply(one.get(2)).xid()).isEqualTo(3);
    List<Outbound> two = h.take(2);
    assertThat(two).hasSize(2);
    assertThat(((Outbound.Event) two.get(1)).zxid()).as("3.9: the event carries its zxid").isEqualTo(h.durableIndex);
  }

  @Test
  void closeSessionRepliesThenClosesAndItsEphemeralsFireOthersWatches() {
    h.connect(1);
    h.connect(2);
    h.request(1, 1, OpCode.CREATE, create("/e", "", CreateMode.EPHEMERAL));
    h.fsyncAll();
    h.take(1);
    h.request(2, 1, OpCode.GET_DATA, new GetDataRequest("/e", true));
    h.take(2);
    h.request(1, 2, OpCode.CLOSE_SESSION, null);
    h.fsyncAll();
    assertThat(h.closed).contains(1L);
    assertThat(h.take(1)).singleElement().satisfies(m -> assertThat(reply(m).xid()).isEqualTo(2));
    Outbound.Event ev = (Outbound.Event) h.take(2).get(0);
    assertThat(ev.event().type()).isEqualTo(EventType.NODE_DELETED.code());
    assertThat(h.loop.stateMachine().tree().statOrNull("/e")).isNull();
  }

  @Test
  void anExpiredSessionLosesItsEphemeralsAndItsConnectionWithoutAReply() {
    h.connect(1);
    h.request(1, 1, OpCode.CREATE, create("/e", "", CreateMode.EPHEMERAL));
    h.fsyncAll();
    h.take(1);
    h.clock.advanceMs(4_000);
    h.loop.tick();
    h.loop.flush();
    assertThat(h.persists).as("not yet: timeout is 5 s").isEmpty();
    h.clock.advanceMs(1_200);
    h.loop.tick();
    h.loop.flush();
    h.fsyncAll();
    assertThat(h.closed).contains(1L);
    assertThat(h.take(1)).as("expiry is signalled only by closing").isEmpty();
    assertThat(h.loop.stateMachine().sessions().size()).isZero();
    assertThat(h.loop.stateMachine().tree().statOrNull("/e")).isNull();
  }

  @Test
  void requestsKeepTheSessionAlive() {
    h.connect(1);
    for (int i = 0; i < 10; i++) {
      h.clock.advanceMs(1_000);
      h.request(1, i + 1, OpCode.PING, null);
      h.loop.tick();
      h.loop.flush();
    }
    assertThat(h.persists).isEmpty();
    assertThat(h.closed).isEmpty();
  }

  @Test
  void aSessionResumesOnANewConnectionAndTheOldOneIsClosed() {
    long sid = h.connect(1);
    byte[] password = ((Outbound.Handshake) h.received.get(1L).get(0)).response().password();
    h.loop.onConnectionOpened(2, new InetSocketAddress("127.0.0.1", 2));
    h.loop.onHandshake(2, new ConnectRequest(0, 0, 5000, sid, password, false, true));
    h.loop.flush();
    Outbound.Handshake hs = (Outbound.Handshake) h.take(2).get(0);
    assertThat(hs.response().sessionId()).isEqualTo(sid);
    assertThat(h.closed).contains(1L);
  }

  @Test
  void aWrongPasswordGetsAnExpiredAnswerAndAClose() {
    long sid = h.connect(1);
    h.loop.onConnectionOpened(2, new InetSocketAddress("127.0.0.1", 2));
    h.loop.onHandshake(2, new ConnectRequest(0, 0, 5000, sid, new byte[16], false, false));
    h.loop.flush();
    Outbound.Handshake hs = (Outbound.Handshake) h.take(2).get(0);
    assertThat(hs.response().timeoutMs()).isZero();
    assertThat(hs.response().sessionId()).isZero();
    assertThat(hs.response().hasReadOnlyByte()).as("mirrors the request").isFalse();
    assertThat(h.closed).containsExactly(2L);
  }

  @Test
  void aClientThatSawTheFutureIsTurnedAwaySilently() {
    h.loop.onConnectionOpened(3, new InetSocketAddress("127.0.0.1", 3));
    h.loop.onHandshake(3, new ConnectRequest(0, 1_000_000, 5000, 0, new byte[16], false, true));
    h.loop.flush();
    assertThat(h.closed).contains(3L);
    assertThat(h.take(3)).isEmpty();
  }

  @Test
  void unknownOpcodeIsUnimplementedThenClosedAndAMalformedBodyIsNot() {
    h.connect(1);
    h.take(1);
    h.loop.onRequest(1, 1, OpCode.GET_DATA, null, "truncated record", 0);
    h.loop.flush();
    Outbound.Reply bad = reply(h.take(1).get(0));
    assertThat(bad.err()).isEqualTo(ErrorCode.MARSHALLING_ERROR.code());
    assertThat(h.closed).isEmpty();
    h.loop.onRequest(1, 2, 999, null, "unknown opcode 999", 0);
    h.loop.flush();
    Outbound.Reply unknown = reply(h.take(1).get(0));
    assertThat(unknown.err()).isEqualTo(ErrorCode.UNIMPLEMENTED.code());
    assertThat(unknown.zxid()).isEqualTo(-1);
    assertThat(h.closed).contains(1L);
  }

  @Test
  void authTakesEffectForWritesSentRightAfterIt() {
    h.connect(1);
    h.take(1);
    h.request(1, -4, OpCode.AUTH, new AuthPacket(0, "digest", b("alice:secret")));
    h.request(1, 1, OpCode.CREATE, new CreateRequest("/mine", b(""), Acl.CREATOR_ALL_ACL, 0));
    h.request(1, 2, OpCode.WHO_AM_I, null);
    h.fsyncAll();
    List<Outbound> out = h.take(1);
    assertThat(reply(out.get(0)).xid()).isEqualTo(-4);
    assertThat(reply(out.get(1)).err()).as("CREATOR_ALL_ACL needs the identity").isZero();
    WhoAmIResponse who = (WhoAmIResponse) reply(out.get(2)).body();
    assertThat(who.clientInfo()).extracting(c -> c.authScheme() + ":" + c.user()).contains("digest:alice", "ip:127.0.0.1");
  }

  @Test
  void anAuthSentBeforeTheHandshakeIsAnsweredAfterIt() {
    h.loop.onConnectionOpened(5, new InetSocketAddress("127.0.0.1", 5));
    h.loop.onHandshake(5, new ConnectRequest(0, 0, 5000, 0, new byte[16], false, true));
    h.loop.onRequest(5, -4, OpCode.AUTH, new AuthPacket(0, "digest", b("bob:pw")), null, 0);
    h.loop.flush();
    h.fsyncAll();
    List<Outbound> out = h.take(5);
    assertThat(out.get(0)).isInstanceOf(Outbound.Handshake.class);
    assertThat(reply(out.get(1)).xid()).isEqualTo(-4);
  }

  @Test
  void anUnknownAuthSchemeFailsAndCloses() {
    h.connect(1);
    h.take(1);
    h.request(1, -4, OpCode.AUTH, new AuthPacket(0, "kerberos", b("x")));
    assertThat(reply(h.take(1).get(0)).err()).isEqualTo(ErrorCode.AUTH_FAILED.code());
    assertThat(h.closed).contains(1L);
  }

  @Test
  void aSnapshotIsTakenEverySnapCountEntriesAndCompactsTheLog() {
    LoopHarness small = new LoopHarness(LoopHarness.options().toBuilder().snapCount(10).build());
    small.connect(1);
    for (int i = 0; i < 12; i++) {
      small.request(1, i + 1, OpCode.CREATE, create("/n" + i, "", CreateMode.PERSISTENT));
      small.fsyncAll();
    }
    assertThat(small.snapshots).hasSize(1);
    long index = small.snapshots.get(0).index();
    small.loop.onSnapshotSaved(index);
    assertThat(small.loop.raft().retainedEntries()).isLessThan(10);
  }

  @Test
  void emptyContainersAreReapedByTheLeader() {
    LoopHarness fast = new LoopHarness(LoopHarness.options().toBuilder().reaper(100, 10).build());
    fast.connect(1);
    fast.request(1, 1, OpCode.CREATE_CONTAINER, create("/c", "", CreateMode.CONTAINER));
    fast.request(1, 2, OpCode.CREATE, create("/c/x", "", CreateMode.PERSISTENT));
    fast.request(1, 3, OpCode.DELETE, new DeleteRequest("/c/x", -1));
    fast.fsyncAll();
    assertThat(fast.loop.stateMachine().tree().statOrNull("/c")).isNotNull();
    fast.clock.advanceMs(200);
    fast.loop.tick();
    fast.loop.flush();
    fast.fsyncAll();
    assertThat(fast.loop.stateMachine().tree().statOrNull("/c")).isNull();
  }
}
