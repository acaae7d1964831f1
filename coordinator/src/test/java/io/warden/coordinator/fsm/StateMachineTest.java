package io.warden.coordinator.fsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.tree.Change;
import io.warden.protocol.Acl;
import io.warden.protocol.CheckVersionRequest;
import io.warden.protocol.Create2Response;
import io.warden.protocol.CreateMode;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.CreateResponse;
import io.warden.protocol.CreateTtlRequest;
import io.warden.protocol.DeleteRequest;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.Id;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.MultiOp;
import io.warden.protocol.MultiRequest;
import io.warden.protocol.MultiResponse;
import io.warden.protocol.OpCode;
import io.warden.protocol.OpResult;
import io.warden.protocol.SetDataRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateMachineTest {
  private final StateMachine fsm = new StateMachine(true);
  private long index;
  private long session;

  private Applied apply(Command c) {
    return fsm.apply(new LogEntry(++index, 1, EntryType.COMMAND, CommandCodec.encode(c)));
  }

  private long openSession() {
    Applied a = apply(new Command.CreateSession(3, 5000, new byte[16], 1000));
    return ((Outcome.SessionCreated) a.outcome()).session().sessionId();
  }

  private Outcome.TxnDone txn(int opcode, JuteRecord request) {
    return (Outcome.TxnDone) apply(new Command.Txn(session, 2000, List.of(new Id("ip", "127.0.0.1")), opcode, request))
        .outcome();
  }

  private static CreateRequest create(String path, CreateMode mode) {
    return new CreateRequest(path, "d".getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE, mode.flag());
  }

  @Test
  void sessionIdsComeFromTheEntryIndexAndTheProposer() {
    apply(new Command.CreateSession(3, 5000, new byte[16], 1)); // index 1
    Applied a = apply(new Command.CreateSession(3, 5000, new byte[16], 1));
    assertThat(((Outcome.SessionCreated) a.outcome()).session().sessionId()).isEqualTo((3L << 56) | 2);
  }

  @Test
  void writesFromAGoneSessionFailWithSessionExpired() {
    session = 12345;
    assertThat(txn(OpCode.CREATE, create("/a", CreateMode.PERSISTENT)).err()).isEqualTo(ErrorCode.SESSION_EXPIRED);
    assertThat(fsm.tree().statOrNull("/a")).isNull();
  }

  @Test
  void theOpcodeDecidesContainerAndCreateResponseShape() {
    session = openSession();
    Outcome.TxnDone c = txn(OpCode.CREATE_CONTAINER, create("/c", CreateMode.PERSISTENT));
    assertThat(c.body()).isInstanceOf(Create2Response.class);
    Outcome.TxnDone p = txn(OpCode.CREATE, create("/p", CreateMode.CONTAINER));
    assertThat(p.body()).isEqualTo(new CreateResponse("/p"));
    // /c is a container (reapable once used), /p a plain persistent node (never reaped)
    txn(OpCode.CREATE, create("/c/x", CreateMode.PERSISTENT));
    txn(OpCode.CREATE, create("/p/x", CreateMode.PERSISTENT));
    txn(OpCode.DELETE, new DeleteRequest("/c/x", -1));
    txn(OpCode.DELETE, new DeleteRequest("/p/x", -1));
    assertThat(fsm.tree().reapCandidates(Long.MAX_VALUE, 10)).containsExactly("/c");
  }

  @Test
  void ttlChecksComeBeforeTheTree() {
    session = openSession();
    CreateTtlRequest noTtl = new CreateTtlRequest("/t", new byte[0], Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_WITH_TTL.flag(), 0);
    assertThat(txn(OpCode.CREATE_TTL, noTtl).err()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    CreateTtlRequest tooLong = new CreateTtlRequest("/t", new byte[0], Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_WITH_TTL.flag(), 1L << 40);
    assertThat(txn(OpCode.CREATE_TTL, tooLong).err()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    assertThat(txn(OpCode.CREATE, create("/t", CreateMode.PERSISTENT_WITH_TTL)).err())
        .as("a TTL mode without a ttl").isEqualTo(ErrorCode.BAD_ARGUMENTS);
    assertThat(txn(OpCode.CREATE, new CreateRequest("/t", null, Acl.OPEN_ACL_UNSAFE, 7)).err())
        .as("flags outside 0..6").isEqualTo(ErrorCode.BAD_ARGUMENTS);
    CreateTtlRequest ok = new CreateTtlRequest("/t", new byte[0], Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_WITH_TTL.flag(), 1000);
    assertThat(txn(OpCode.CREATE_TTL, ok).err()).isEqualTo(ErrorCode.OK);

    StateMachine noTtlTypes = new StateMachine(false);
    noTtlTypes.apply(new LogEntry(1, 1, EntryType.COMMAND, CommandCodec.encode(new Command.CreateSession(1, 5000, new byte[16], 0))));
    Applied a = noTtlTypes.apply(new LogEntry(2, 1, EntryType.COMMAND, CommandCodec.encode(
        new Command.Txn((1L << 56) | 1, 0, List.of(), OpCode.CREATE_TTL, ok))));
    assertThat(((Outcome.TxnDone) a.outcome()).err()).isEqualTo(ErrorCode.UNIMPLEMENTED);
  }

  @Test
  void aFailedMultiRollsBackAndReportsZeroThenTheErrorThenRuntimeInconsistency() {
    session = openSession();
    txn(OpCode.CREATE, create("/q", CreateMode.PERSISTENT));
    MultiRequest m = new MultiRequest(List.of(
        new MultiOp(OpCode.CREATE, create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL)),
        new MultiOp(OpCode.CHECK, new CheckVersionRequest("/q", 0)),
        new MultiOp(OpCode.DELETE, new DeleteRequest("/missing", -1)),
        new MultiOp(OpCode.SET_DATA, new SetDataRequest("/q", new byte[0], -1))));
    Outcome.TxnDone done = txn(OpCode.MULTI, m);
    assertThat(done.err()).as("an executed multi has header err 0").isEqualTo(ErrorCode.OK);
    assertThat(((MultiResponse) done.body()).results()).containsExactly(
        new OpResult.ErrorResult(0), new OpResult.ErrorResult(0),
        new OpResult.ErrorResult(ErrorCode.NO_NODE.code()),
        new OpResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY.code()));
    assertThat(fsm.tree().statOrNull("/q").numChildren()).isZero();
    Outcome.TxnDone next = txn(OpCode.CREATE, create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL));
    assertThat(((CreateResponse) next.body()).path()).as("the failed multi used no number").isEqualTo("/q/s-0000000000");
  }

  @Test
  void aSuccessfulMultiAppliesEverythingAtOneZxidAndReportsTypedResults() {
    session = openSession();
    MultiRequest m = new MultiRequest(List.of(
        new MultiOp(OpCode.CREATE, create("/m", CreateMode.PERSISTENT)),
        new MultiOp(OpCode.CREATE2, create("/m/a", CreateMode.PERSISTENT)),
        new MultiOp(OpCode.SET_DATA, new SetDataRequest("/m", new byte[] {1}, 0)),
        new MultiOp(OpCode.CHECK, new CheckVersionRequest("/m", 1))));
    Applied a = apply(new Command.Txn(session, 2000, List.of(), OpCode.MULTI, m));
    List<OpResult> results = ((MultiResponse) ((Outcome.TxnDone) a.outcome()).body()).results();
    assertThat(results.get(0)).isEqualTo(new OpResult.CreateResult("/m"));
    assertThat(((OpResult.Create2Result) results.get(1)).stat().czxid()).isEqualTo(a.zxid());
    assertThat(results.get(3)).isEqualTo(new OpResult.CheckResult());
    assertThat(a.changes()).extracting(Change::type).contains(EventType.NODE_CREATED, EventType.NODE_DATA_CHANGED);
  }

  @Test
  void closingASessionDeletesItsEphemeralsAndReportsWhetherItExisted() {
    session = openSession();
    txn(OpCode.CREATE, create("/e", CreateMode.EPHEMERAL));
    Applied closed = apply(new Command.CloseSession(session, true, 3000));
    assertThat(closed.outcome()).isEqualTo(new Outcome.SessionClosed(session, true, true));
    assertThat(closed.changes()).extracting(Change::path).contains("/e");
    Applied again = apply(new Command.CloseSession(session, false, 3000));
    assertThat(again.outcome()).isEqualTo(new Outcome.SessionClosed(session, false, false));
  }

  @Test
  void entriesMustBeAppliedInOrder() {
    assertThatThrownBy(() -> fsm.apply(new LogEntry(5, 1, EntryType.NOOP, new byte[0])))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("out of order");
  }

  @Test
  void replicasApplyingTheSameLogEndIdentical() {
    long seed = new Random().nextLong();
    System.out.println("replicasApplyingTheSameLogEndIdentical seed=" + seed);
    Random r = new Random(seed);
    List<LogEntry> log = new ArrayList<>();
    log.add(new LogEntry(1, 1, EntryType.COMMAND, CommandCodec.encode(new Command.CreateSession(1, 5000, new byte[16], 0))));
    long sid = (1L << 56) | 1;
    for (int i = 2; i <= 400; i++) {
      String path = "/n" + r.nextInt(20) + (r.nextBoolean() ? "/c" + r.nextInt(5) : "");
      JuteRecord req;
      int op;
      switch (r.nextInt(3)) {
        case 0 -> {
          op = OpCode.CREATE;
          req = create(path, CreateMode.values()[r.nextInt(4)]);
        }
        case 1 -> {
          op = OpCode.DELETE;
          req = new DeleteRequest(path, -1);
        }
        default -> {
          op = OpCode.SET_DATA;
          req = new SetDataRequest(path, new byte[r.nextInt(8)], -1);
        }
      }
      log.add(new LogEntry(i, 1, EntryType.COMMAND, CommandCodec.encode(new Command.Txn(sid, i, List.of(), op, req))));
    }
    StateMachine a = new StateMachine(true);
    StateMachine b = new StateMachine(true);
    for (LogEntry e : log) {
      Applied x = a.apply(e);
      Applied y = b.apply(e);
      assertThat(x.outcome()).isEqualTo(y.outcome());
      assertThat(a.tree().digest()).isEqualTo(b.tree().digest());
    }
    // and the snapshot of one restores to the same state
    List<byte[]> chunks = new ArrayList<>();
    a.image().write(512, chunks::add);
    Iterator<byte[]> it = chunks.iterator();
    StateMachine c = new StateMachine(true);
    c.restore(FsmImage.read(it));
    assertThat(c.tree().digest()).isEqualTo(a.tree().digest());
    assertThat(c.sessions().sortedCopy()).isEqualTo(a.sessions().sortedCopy());
    assertThat(c.appliedIndex()).isEqualTo(a.appliedIndex());
  }

  @Test
  void everyCommandKindRoundTripsThroughTheCodec() {
    List<Command> all = List.of(
        new Command.CreateSession(7, 4000, new byte[16], 99),
        new Command.CloseSession(5, true, 100),
        new Command.Txn(9, 101, List.of(new Id("digest", "u:h"), new Id("ip", "1.2.3.4")), OpCode.SET_DATA,
            new SetDataRequest("/x", new byte[] {1, 2}, 3)),
        new Command.Reap(102, List.of("/a", "/b")));
    for (Command c : all) {
      Command back = CommandCodec.decode(CommandCodec.encode(c));
      if (c instanceof Command.CreateSession s) {
        Command.CreateSession t = (Command.CreateSession) back;
        assertThat(t.password()).isEqualTo(s.password());
        assertThat(t.timeoutMs()).isEqualTo(s.timeoutMs());
      } else {
        assertThat(back).isEqualTo(c);
      }
    }
    assertThatThrownBy(() -> CommandCodec.decode(new byte[] {0, 0, 9, 1})).isInstanceOf(IllegalStateException.class);
  }
}
