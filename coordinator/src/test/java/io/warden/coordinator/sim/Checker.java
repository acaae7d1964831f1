package io.warden.coordinator.sim;

import io.warden.coordinator.fsm.Command;
import io.warden.coordinator.fsm.CommandCodec;
import io.warden.coordinator.fsm.StateMachine;
import io.warden.coordinator.node.Outbound;
import io.warden.coordinator.node.PeerMessage;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.raft.Membership;
import io.warden.coordinator.raft.RaftCore;
import io.warden.coordinator.session.Session;
import io.warden.protocol.OpCode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The invariants, checked after every event (incrementally: each check looks only at what the
 * event could have changed) and at the moments clients observe something.
 *
 * <ul>
 *   <li>Election safety: at most one leader per term.</li>
 *   <li>Log matching: two entries with the same index and term hold the same command and follow
 *       entries of the same term (so, inductively, the logs before them are identical).</li>
 *   <li>State machine safety: an index is committed with one entry only (committed entries never
 *       change, replicas apply the same command at the same index), and replicas that applied
 *       the same index have the same tree digest.</li>
 *   <li>Leader completeness: a leader holds every entry committed before its term.</li>
 *   <li>Term and vote never go backwards, in memory and on disk.</li>
 *   <li>Durable before visible: no reply or event carries a zxid the sending node has not made
 *       durable; an acknowledged write is the client's command at its zxid in the committed log
 *       and is durable on a quorum.</li>
 *   <li>Sessions: ephemerals belong only to live sessions; sequential names are never reused;
 *       each session's replies have non-decreasing zxids (checked by {@link SimClient}); and an
 *       expiry is decided only by a leader that gave the session its full timeout since it took
 *       office and since it last heard of the session (DESIGN.md D7).</li>
 * </ul>
 */
final class Checker {
  private record TermKey(long index, long term) {
  }

  private record Info(int dataHash, long prevTerm) {
  }

  private record HeardKey(long leader, long sessionId) {
  }

  private final Simulation sim;
  private final TreeMap<Long, Integer> leaderOfTerm = new TreeMap<>();
  /** (node, term) → the leader's monotonic ms when it took office. */
  private final Map<Long, Long> leaderSinceMs = new HashMap<>();
  private final Map<TermKey, Info> entries = new HashMap<>();
  private final TreeMap<Long, LogEntry> committed = new TreeMap<>();
  /**
   * The term in which each committed entry was first seen committed: the current term of the
   * node whose commit index covered it, an upper bound of the term of the commit decision.
   * Leader completeness binds only leaders of later terms (a stale candidate of an earlier
   * term may still win its old term after a pause).
   */
  private final Map<Long, Long> committedInTerm = new HashMap<>();
  private final TreeMap<Long, Long> digestAt = new TreeMap<>();
  private final Set<String> sequentialNames = new HashSet<>();
  private final Map<Long, Integer> sessionTimeoutMs = new HashMap<>();
  /** (node incarnation, session) → the node's monotonic ms whenever, as leader, it heard of it. */
  private final Map<HeardKey, List<Long>> heardMs = new HashMap<>();
  private final NodeView[] views;
  private long minCommitCheckedForLeaders;

  /** What the checker remembers of one node between events. */
  private static final class NodeView {
    int incarnation;
    long recordedCommit;
    long applied;
    HardState durable = HardState.INITIAL;
    HardState memory = HardState.INITIAL;
    final TreeMap<Long, Long> termAt = new TreeMap<>();
  }

  Checker(Simulation sim) {
    this.sim = sim;
    this.views = new NodeView[sim.config().nodeCount() + 1];
    for (int i = 1; i < views.length; i++) {
      views[i] = new NodeView();
    }
  }

  /** After every event; {@code n} is the node it ran on (null for client and nemesis events). */
  void afterEvent(SimNode n) {
    for (SimNode node : sim.nodes()) {
      checkHardState(node);
      if (node.up) {
        checkLeader(node);
      }
    }
    if (n != null && n.up) {
      checkNode(n);
    }
  }

  private void checkHardState(SimNode n) {
    NodeView v = views[n.id];
    HardState d = n.log.durableHardState();
    requireForward(n.id, "durable", v.durable, d);
    v.durable = d;
    if (n.up) {
      if (v.incarnation != n.incarnation) {
        v.incarnation = n.incarnation;
        v.memory = HardState.INITIAL;
        v.recordedCommit = n.raft().snapshotIndex();
        v.applied = -1;
        v.termAt.clear();
      }
      HardState m = n.raft().hardState();
      if (m.term() < d.term()) {
        // the core starts from the durable state; it may only be ahead of it
        fail("node " + n.id + " runs in term " + m.term() + " behind its durable term " + d.term());
      }
      requireForward(n.id, "in-memory", v.memory, m);
      v.memory = m;
    }
  }

  private void requireForward(int id, String which, HardState before, HardState after) {
    if (after.term() < before.term()
        || (after.term() == before.term() && before.votedFor() != HardState.NO_VOTE
            && after.votedFor() != before.votedFor())) {
      fail("node " + id + " " + which + " term/vote went backwards: " + before + " -> " + after);
    }
  }

  private void checkLeader(SimNode n) {
    RaftCore r = n.raft();
    if (!r.isLeader()) {
      return;
    }
    Integer prev = leaderOfTerm.putIfAbsent(r.term(), n.id);
    if (prev == null) {
      sim.stats().leaderChanges++;
      leaderSinceMs.put(r.term() * 1000 + n.id, n.clock.monoNanos() / 1_000_000);
      sim.note("leader " + n.id + " in term " + r.term());
      sim.nemesis().leaderElected(n.id);
      checkCompleteness(n, 0);
    } else if (prev != n.id) {
      fail("two leaders in term " + r.term() + ": " + prev + " and " + n.id);
    }
  }

  /** Every entry committed so far (from index {@code from}) is in leader {@code n}'s log. */
  private void checkCompleteness(SimNode n, long from) {
    RaftCore r = n.raft();
    for (Map.Entry<Long, LogEntry> e : committed.tailMap(Math.max(from, r.snapshotIndex() + 1), true).entrySet()) {
      LogEntry c = e.getValue();
      if (committedInTerm.get(e.getKey()) >= r.term()) {
        continue; // committed in this leader's term or later: not its business
      }
      LogEntry mine = r.entry(e.getKey());
      if (mine == null || !mine.equals(c)) {
        fail("leader completeness: leader " + n.id + " of term " + r.term() + " lacks committed entry " + c
            + " (has " + mine + ")");
      }
    }
  }

  private void checkNode(SimNode n) {
    NodeView v = views[n.id];
    RaftCore r = n.raft();
    checkLogMatching(n, v, r);
    long upTo = Math.min(r.commitIndex(), r.lastIndex());
    long from = Math.max(v.recordedCommit, r.snapshotIndex()) + 1;
    long firstNew = Long.MAX_VALUE;
    for (long i = from; i <= upTo; i++) {
      LogEntry e = r.entry(i);
      if (e == null) {
        continue;
      }
      LogEntry known = committed.putIfAbsent(i, e);
      if (known == null) {
        committedInTerm.put(i, r.term());
        firstNew = Math.min(firstNew, i);
        onNewlyCommitted(e);
      } else if (!known.equals(e)) {
        fail("committed entry changed at index " + i + ": " + known + " then, on node " + n.id + ", " + e);
      }
    }
    v.recordedCommit = Math.max(v.recordedCommit, upTo);
    if (firstNew != Long.MAX_VALUE) {
      for (SimNode other : sim.nodes()) {
        if (other.up && other.raft().isLeader()) {
          checkCompleteness(other, firstNew);
        }
      }
    }
    StateMachine fsm = n.loop.stateMachine();
    if (fsm.appliedIndex() != v.applied) {
      v.applied = fsm.appliedIndex();
      long digest = fsm.tree().digest();
      Long known = digestAt.putIfAbsent(v.applied, digest);
      if (known != null && known != digest) {
        fail("tree digests differ at applied index " + v.applied + " (node " + n.id + ")");
      }
      checkEphemerals(n, fsm);
    }
  }

  /** New or changed entries of this node's log, newest first, until what we saw before. */
  private void checkLogMatching(SimNode n, NodeView v, RaftCore r) {
    long snap = r.snapshotIndex();
    v.termAt.headMap(snap, true).clear();
    v.termAt.tailMap(r.lastIndex(), false).clear();
    for (long i = r.lastIndex(); i > snap; i--) {
      long t = r.termAt(i);
      Long seen = v.termAt.get(i);
      if (seen != null && seen == t) {
        break;
      }
      v.termAt.put(i, t);
      LogEntry e = r.entry(i);
      Info info = new Info(Arrays.hashCode(e.data()) * 31 + e.type().ordinal(), r.termAt(i - 1));
      Info known = entries.putIfAbsent(new TermKey(i, t), info);
      if (known != null && (known.dataHash() != info.dataHash()
          || (known.prevTerm() >= 0 && info.prevTerm() >= 0 && known.prevTerm() != info.prevTerm()))) {
        fail("log matching: node " + n.id + " holds a different entry " + i + "/" + t + " than another node");
      }
    }
  }

  private void checkEphemerals(SimNode n, StateMachine fsm) {
    int owned = 0;
    for (Session s : fsm.sessions().all()) {
      owned += fsm.tree().ephemeralCount(s.sessionId());
    }
    if (owned != fsm.tree().ephemeralCount()) {
      fail("node " + n.id + " holds " + (fsm.tree().ephemeralCount() - owned)
          + " ephemerals of closed or expired sessions at index " + fsm.appliedIndex());
    }
  }

  private void onNewlyCommitted(LogEntry e) {
    if (e.type() != EntryType.COMMAND) {
      return;
    }
    Command c = CommandCodec.decode(e.data());
    if (c instanceof Command.CloseSession cs && cs.expired()) {
      checkExpiry(e, cs);
    }
  }

  /**
   * DESIGN.md D7: only a leader decides expiry, and it gives every session a full timeout from
   * the moment it took office and from the last time it heard of the session.
   */
  private void checkExpiry(LogEntry e, Command.CloseSession cs) {
    Integer leader = leaderOfTerm.get(e.term());
    if (leader == null) {
      fail("expiry of session " + Long.toHexString(cs.sessionId()) + " in term " + e.term() + " with no known leader");
    }
    SimNode l = sim.node(leader);
    long decidedMs = cs.timeMs() - l.clock.wallOffsetMs();
    long timeoutMs = sessionTimeoutMs.getOrDefault(cs.sessionId(), sim.config().minSessionTimeoutMs());
    long since = leaderSinceMs.get(e.term() * 1000 + leader);
    if (decidedMs + 1 < since + timeoutMs) {
      fail("session " + Long.toHexString(cs.sessionId()) + " expired by leader " + leader + " of term " + e.term()
          + " " + (decidedMs - since) + " ms after it took office (timeout " + timeoutMs + " ms)");
    }
    // the newest time the leader heard of it strictly before deciding (later touches come too late)
    long heard = Long.MIN_VALUE;
    for (long t : heardMs.getOrDefault(new HeardKey(leaderKey(l), cs.sessionId()), List.of())) {
      if (t < decidedMs) {
        heard = Math.max(heard, t);
      }
    }
    if (heard != Long.MIN_VALUE && decidedMs + 1 < heard + timeoutMs) {
      fail("session " + Long.toHexString(cs.sessionId()) + " expired by leader " + leader + " " + (decidedMs - heard)
          + " ms after it heard from it (timeout " + timeoutMs + " ms)");
    }
  }

  private static long leaderKey(SimNode n) {
    return n.id * 1_000_000L + n.incarnation;
  }

  // ---- hooks -------------------------------------------------------------------------------

  /** A client frame reaches a node: a leader carrying the session renews it. */
  void heardAt(int nodeId, long connId, long sessionId) {
    SimNode n = sim.node(nodeId);
    if (sessionId != 0 && n.up && n.raft().isLeader() && n.loop.localSessions().contains(sessionId)) {
      heard(n, sessionId);
    }
  }

  /** A peer message is about to be delivered: a leader renews the sessions a Touch names. */
  void beforePeerMessage(int to, PeerMessage m) {
    SimNode n = sim.node(to);
    if (m instanceof PeerMessage.Touch t && n.up && n.raft().isLeader()) {
      for (long id : t.heard()) {
        heard(n, id);
      }
      for (long id : t.bound()) {
        heard(n, id);
      }
    }
  }

  private void heard(SimNode n, long sessionId) {
    List<Long> times = heardMs.computeIfAbsent(new HeardKey(leaderKey(n), sessionId), k -> new java.util.ArrayList<>());
    long nowMs = n.clock.monoNanos() / 1_000_000;
    if (times.isEmpty() || times.get(times.size() - 1) != nowMs) {
      times.add(nowMs);
    }
  }

  /** Durable before visible: every zxid a node sends is fsynced (log or snapshot) there. */
  void onOutbound(SimNode n, List<Outbound> messages) {
    long durable = Math.max(n.log.durableLastIndex(), n.snapshots.latestIndex());
    for (Outbound m : messages) {
      long zxid = m instanceof Outbound.Reply r ? r.zxid() : m instanceof Outbound.Event e ? e.zxid() : -1;
      if (zxid > durable) {
        fail("node " + n.id + " sent zxid " + zxid + " before it was durable there (durable up to " + durable + ")");
      }
    }
  }

  /** A client got the answer to a logged write: it is its command, committed and durable on a quorum. */
  void writeAcknowledged(int nodeId, long sessionId, int opcode, long zxid) {
    LogEntry e = committed.get(zxid);
    if (e == null) {
      fail("write acknowledged at zxid " + zxid + " by node " + nodeId + " is not in the committed log");
    }
    Command c = CommandCodec.decode(e.data());
    boolean mine = opcode == OpCode.CLOSE_SESSION
        ? c instanceof Command.CloseSession cs && cs.sessionId() == sessionId && !cs.expired()
        : c instanceof Command.Txn t && t.sessionId() == sessionId && t.opcode() == opcode;
    if (!mine) {
      fail("write " + OpCode.name(opcode) + " of session " + Long.toHexString(sessionId) + " acknowledged at zxid "
          + zxid + ", but the committed entry there is " + c);
    }
    int durable = 0;
    for (SimNode n : sim.nodes()) {
      LogEntry d = n.log.durableEntry(zxid);
      if ((d != null && d.term() == e.term()) || n.snapshots.latestIndex() >= zxid) {
        durable++;
      }
    }
    if (durable < quorumNeeded()) {
      fail("write acknowledged at zxid " + zxid + " is durable on only " + durable + " servers");
    }
  }

  /** The smallest quorum among the memberships in force (lenient across membership changes). */
  private int quorumNeeded() {
    int q = sim.config().bootstrapMembership().quorum();
    for (SimNode n : sim.nodes()) {
      if (n.up) {
        Membership m = n.raft().membership();
        q = Math.min(q, m.quorum());
      }
    }
    return q;
  }

  void sequentialName(String path) {
    if (!sequentialNames.add(path)) {
      fail("sequential name " + path + " was handed out twice");
    }
  }

  void sessionCreated(long sessionId, int timeoutMs) {
    sessionTimeoutMs.put(sessionId, timeoutMs);
  }

  void sessionLost(long sessionId) {
    // nothing to check here: the expiry itself was checked when it committed
  }

  void sessionClosedByClient(long sessionId) {
    // the close's entry was checked as an acknowledged write
  }

  // ---- liveness ----------------------------------------------------------------------------

  /** A serving, confirmed leader; every node up, following it, with everything applied. */
  boolean converged() {
    SimNode leader = null;
    for (SimNode n : sim.nodes()) {
      if (!n.up) {
        return false;
      }
      if (n.raft().isLeader()) {
        leader = n;
      }
    }
    if (leader == null || !leader.raft().isConfirmedLeader() || !leader.loop.isServing()) {
      return false;
    }
    long last = leader.raft().lastIndex();
    if (leader.raft().commitIndex() != last) {
      return false;
    }
    long digest = leader.loop.stateMachine().tree().digest();
    for (SimNode n : sim.nodes()) {
      if (n.loop.stateMachine().appliedIndex() != last || n.loop.stateMachine().tree().digest() != digest
          || n.raft().leaderId() != leader.id) {
        return false;
      }
    }
    return true;
  }

  String describeCluster() {
    StringBuilder s = new StringBuilder();
    for (SimNode n : sim.nodes()) {
      s.append("\n  node ").append(n.id);
      if (!n.up) {
        s.append(" down");
        continue;
      }
      RaftCore r = n.raft();
      s.append(' ').append(r.role()).append(" term ").append(r.term()).append(" leader ").append(r.leaderId())
          .append(" commit ").append(r.commitIndex()).append(" last ").append(r.lastIndex()).append(" stable ")
          .append(r.stableIndex()).append(" snapshot ").append(r.snapshotIndex()).append(" applied ")
          .append(n.loop.stateMachine().appliedIndex()).append(" serving ").append(n.loop.isServing())
          .append(" members ").append(r.membership()).append(" disk ").append(n.log);
    }
    return s.toString();
  }

  private static void fail(String message) {
    throw new Simulation.Violation(message);
  }
}
