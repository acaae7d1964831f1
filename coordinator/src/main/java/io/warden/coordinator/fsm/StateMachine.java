package io.warden.coordinator.fsm;

import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.session.Session;
import io.warden.coordinator.session.SessionTable;
import io.warden.coordinator.tree.Caller;
import io.warden.coordinator.tree.Created;
import io.warden.coordinator.tree.DataTree;
import io.warden.coordinator.tree.Mark;
import io.warden.coordinator.tree.Result;
import io.warden.coordinator.util.Check;
import io.warden.protocol.CheckVersionRequest;
import io.warden.protocol.Create2Response;
import io.warden.protocol.CreateMode;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.CreateResponse;
import io.warden.protocol.CreateTtlRequest;
import io.warden.protocol.DeleteRequest;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.MultiOp;
import io.warden.protocol.MultiRequest;
import io.warden.protocol.MultiResponse;
import io.warden.protocol.OpCode;
import io.warden.protocol.OpResult;
import io.warden.protocol.SetAclRequest;
import io.warden.protocol.SetAclResponse;
import io.warden.protocol.SetDataRequest;
import io.warden.protocol.SetDataResponse;
import io.warden.protocol.Stat;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies committed entries to the znode tree and the session table — deterministically:
 * every replica that applies the same entries in the same order ends with the same tree, the
 * same sessions, the same digest, and computes the same results and error codes (DESIGN.md
 * D5). Validation happens here, at apply time, against the state as of the entry's index, so
 * there is no "outstanding changes" bookkeeping as in ZooKeeper's PrepRequestProcessor; the
 * price is that a failed write still takes a log entry, which ZooKeeper does too (a failed
 * write consumes a zxid there as well).
 *
 * <p>Owned by the core thread.
 */
public final class StateMachine {
  /** TTL upper bound (reference §9.4): the ttl must fit in 40 bits. */
  static final long MAX_TTL_MS = (1L << 40) - 1;

  private DataTree tree;
  private final SessionTable sessions = new SessionTable();
  private final boolean extendedTypes;
  private long appliedIndex;

  /** @param extendedTypes whether TTL nodes are enabled (Warden: on by default) */
  public StateMachine(boolean extendedTypes) {
    this.tree = DataTree.initial();
    this.extendedTypes = extendedTypes;
  }

  public DataTree tree() {
    return tree;
  }

  public SessionTable sessions() {
    return sessions;
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  /** Applies the next committed entry; entries must come in index order without gaps. */
  public Applied apply(LogEntry e) {
    Check.state(e.index() == appliedIndex + 1,
        "apply out of order: entry %d after %d", e.index(), appliedIndex);
    appliedIndex = e.index();
    if (e.type() != EntryType.COMMAND) {
      return new Applied(e.index(), CommandCodec.Origin.NONE, Outcome.NOTHING, List.of());
    }
    CommandCodec.Decoded d = CommandCodec.decodeWithOrigin(e.data());
    Outcome outcome = applyCommand(d.command(), e.index());
    return new Applied(e.index(), d.origin(), outcome, tree.drainChanges());
  }

  private Outcome applyCommand(Command c, long zxid) {
    if (c instanceof Command.CreateSession s) {
      Session session = new Session(Session.idFor(s.proposerId(), zxid), s.timeoutMs(), s.password());
      sessions.add(session);
      return new Outcome.SessionCreated(session);
    }
    if (c instanceof Command.CloseSession s) {
      boolean existed = sessions.remove(s.sessionId()) != null;
      if (existed) {
        tree.removeEphemerals(s.sessionId(), zxid);
      }
      return new Outcome.SessionClosed(s.sessionId(), s.expired(), existed);
    }
    if (c instanceof Command.Txn t) {
      return applyTxn(t, zxid);
    }
    if (c instanceof Command.Reap r) {
      List<String> reaped = new ArrayList<>();
      for (String path : r.paths()) {
        if (tree.reap(path, zxid, r.timeMs()) == ErrorCode.OK) {
          reaped.add(path);
        }
      }
      return new Outcome.Reaped(reaped);
    }
    throw new IllegalStateException("unknown command " + c);
  }

  private Outcome applyTxn(Command.Txn t, long zxid) {
    Caller caller = new Caller(t.sessionId(), t.identities());
    if (t.opcode() == OpCode.MULTI) {
      return new Outcome.TxnDone(ErrorCode.OK, multi((MultiRequest) t.request(), caller, zxid, t.timeMs()));
    }
    OpResult r = writeOp(t.opcode(), t.request(), caller, zxid, t.timeMs());
    if (r instanceof OpResult.ErrorResult err) {
      return new Outcome.TxnDone(ErrorCode.of(err.err()), null);
    }
    return new Outcome.TxnDone(ErrorCode.OK, replyBody(t.opcode(), r));
  }

  /**
   * Atomic multi (reference §8.3): sub-ops run against the tree as changed by the earlier
   * ones; on the first failure the tree rolls back (O(1): persistent roots) and the results
   * report 0 before the failure, the real code at it and RuntimeInconsistency after it.
   */
  private MultiResponse multi(MultiRequest m, Caller caller, long zxid, long timeMs) {
    Mark mark = tree.mark();
    List<OpResult> results = new ArrayList<>(m.ops().size());
    int failedAt = -1;
    for (int i = 0; i < m.ops().size(); i++) {
      MultiOp op = m.ops().get(i);
      OpResult r = writeOp(op.type(), op.request(), caller, zxid, timeMs);
      if (r instanceof OpResult.ErrorResult) {
        failedAt = i;
        results.add(r);
        break;
      }
      results.add(r);
    }
    if (failedAt < 0) {
      return new MultiResponse(results);
    }
    tree.rollback(mark);
    List<OpResult> failed = new ArrayList<>(m.ops().size());
    for (int i = 0; i < m.ops().size(); i++) {
      if (i < failedAt) {
        failed.add(new OpResult.ErrorResult(ErrorCode.OK.code()));
      } else if (i == failedAt) {
        failed.add(results.get(i));
      } else {
        failed.add(new OpResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY.code()));
      }
    }
    return new MultiResponse(failed);
  }

  /** One write, standalone or inside a multi; errors come back as ErrorResult. */
  private OpResult writeOp(int opcode, JuteRecord request, Caller caller, long zxid, long timeMs) {
    return switch (opcode) {
      case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> {
        CreateRequest c = (CreateRequest) request;
        yield create(opcode, c.path(), c.data(), c.acl(), c.flags(), -1, caller, zxid, timeMs);
      }
      case OpCode.CREATE_TTL -> {
        CreateTtlRequest c = (CreateTtlRequest) request;
        yield create(opcode, c.path(), c.data(), c.acl(), c.flags(), c.ttl(), caller, zxid, timeMs);
      }
      case OpCode.DELETE -> {
        DeleteRequest d = (DeleteRequest) request;
        ErrorCode err = sessionCheck(caller);
        if (err == ErrorCode.OK) {
          err = tree.delete(d.path(), d.version(), caller, zxid).code();
        }
        yield err == ErrorCode.OK ? new OpResult.DeleteResult() : error(err);
      }
      case OpCode.SET_DATA -> {
        SetDataRequest s = (SetDataRequest) request;
        ErrorCode err = sessionCheck(caller);
        if (err != ErrorCode.OK) {
          yield error(err);
        }
        Result<Stat> r = tree.setData(s.path(), s.data(), s.version(), caller, zxid, timeMs);
        yield r.isOk() ? new OpResult.SetDataResult(r.value()) : error(r.code());
      }
      case OpCode.SET_ACL -> {
        SetAclRequest s = (SetAclRequest) request;
        ErrorCode err = sessionCheck(caller);
        if (err != ErrorCode.OK) {
          yield error(err);
        }
        Result<Stat> r = tree.setAcl(s.path(), s.acl(), s.version(), caller, zxid);
        // setACL is never a multi sub-op; SetDataResult carries its Stat to replyBody()
        yield r.isOk() ? new OpResult.SetDataResult(r.value()) : error(r.code());
      }
      case OpCode.CHECK -> {
        CheckVersionRequest c = (CheckVersionRequest) request;
        ErrorCode err = sessionCheck(caller);
        if (err == ErrorCode.OK) {
          err = tree.check(c.path(), c.version(), caller);
        }
        yield err == ErrorCode.OK ? new OpResult.CheckResult() : error(err);
      }
      default -> throw new IllegalStateException("not a logged write opcode: " + opcode);
    };
  }

  /**
   * create / create2 / createContainer / createTTL, with the checks of reference §7.1 that
   * precede the tree's own (flags, TTL enablement, TTL validity, session). The opcode decides
   * the node kind: 19 makes a container whatever the flags say, and 1/15 with the container
   * flag make a plain persistent node — exactly what ZooKeeper's apply does.
   */
  private OpResult create(int opcode, String path, byte[] data, List<io.warden.protocol.Acl> acl,
      int flags, long ttlMs, Caller caller, long zxid, long timeMs) {
    CreateMode mode = CreateMode.fromFlag(flags);
    if (mode == null) {
      return error(ErrorCode.BAD_ARGUMENTS);
    }
    if (mode.isTtl() && !extendedTypes) {
      return error(ErrorCode.UNIMPLEMENTED);
    }
    if (mode.isTtl() ? (ttlMs <= 0 || ttlMs > MAX_TTL_MS) : ttlMs >= 0) {
      return error(ErrorCode.BAD_ARGUMENTS);
    }
    ErrorCode session = sessionCheck(caller);
    if (session != ErrorCode.OK) {
      return error(session);
    }
    CreateMode effective = mode;
    if (opcode == OpCode.CREATE_CONTAINER) {
      effective = CreateMode.CONTAINER;
    } else if (mode == CreateMode.CONTAINER) {
      effective = CreateMode.PERSISTENT;
    }
    Result<Created> r = tree.create(path, data, acl, effective, ttlMs, caller, zxid, timeMs);
    if (!r.isOk()) {
      return error(r.code());
    }
    return opcode == OpCode.CREATE
        ? new OpResult.CreateResult(r.value().path())
        : new OpResult.Create2Result(r.value().path(), r.value().stat());
  }

  /** A write from a session that is gone (closed, expired, or closing) fails with SessionExpired. */
  private ErrorCode sessionCheck(Caller caller) {
    return sessions.contains(caller.sessionId()) ? ErrorCode.OK : ErrorCode.SESSION_EXPIRED;
  }

  private static OpResult error(ErrorCode code) {
    return new OpResult.ErrorResult(code.code());
  }

  private static JuteRecord replyBody(int opcode, OpResult r) {
    return switch (opcode) {
      case OpCode.CREATE -> new CreateResponse(((OpResult.CreateResult) r).path());
      case OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL -> {
        OpResult.Create2Result c = (OpResult.Create2Result) r;
        yield new Create2Response(c.path(), c.stat());
      }
      case OpCode.DELETE -> null;
      case OpCode.SET_DATA -> new SetDataResponse(((OpResult.SetDataResult) r).stat());
      case OpCode.SET_ACL -> new SetAclResponse(((OpResult.SetDataResult) r).stat());
      default -> throw new IllegalStateException("no reply body for opcode " + opcode);
    };
  }

  // ---- snapshots ------------------------------------------------------------------------

  /** An immutable image of the state at {@link #appliedIndex()}, cheap to take (O(sessions)). */
  public FsmImage image() {
    return new FsmImage(appliedIndex, sessions.sortedCopy(), tree.image());
  }

  /** Replaces the state with a snapshot's (at start, or when a leader installs one). */
  public void restore(FsmImage.Restored restored) {
    this.tree = restored.tree();
    this.sessions.clear();
    restored.sessions().forEach(sessions::add);
    this.appliedIndex = restored.index();
  }
}
