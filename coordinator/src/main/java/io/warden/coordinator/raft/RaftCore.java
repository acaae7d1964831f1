package io.warden.coordinator.raft;

import io.warden.coordinator.raft.RaftMessage.AppendRequest;
import io.warden.coordinator.raft.RaftMessage.AppendResponse;
import io.warden.coordinator.raft.RaftMessage.ReadIndexRequest;
import io.warden.coordinator.raft.RaftMessage.ReadIndexResponse;
import io.warden.coordinator.raft.RaftMessage.SnapshotChunk;
import io.warden.coordinator.raft.RaftMessage.SnapshotResponse;
import io.warden.coordinator.raft.RaftMessage.TimeoutNow;
import io.warden.coordinator.raft.RaftMessage.VoteRequest;
import io.warden.coordinator.raft.RaftMessage.VoteResponse;
import io.warden.coordinator.util.Check;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Raft core: a pure state machine (DESIGN.md D2, etcd-raft style). It never touches a
 * thread, a clock, a socket or a disk; the node loop drives it with ticks, received messages
 * and proposals, and collects what it must do:
 *
 * <ul>
 *   <li>{@link #takePersistBatch} — hard state, truncations and entries for the storage
 *       thread; {@link #persisted} reports them fsynced. Only then do they count: a leader
 *       counts itself toward a commit, a follower acknowledges (durable before visible);</li>
 *   <li>{@link #takeMessages} — messages for peers. A message that depends on state not yet
 *       durable (a vote, an acknowledgement, a new term) is held until that state is fsynced;
 *       a leader's appends may leave before its own fsync (thesis §10.2.1);</li>
 *   <li>{@link #takeCommitted} — committed and locally durable entries to apply, in order;</li>
 *   <li>{@link #takeReadStates}, {@link #takeSnapshotWork} — ReadIndex answers and snapshot I/O.</li>
 * </ul>
 *
 * <p>Features: PreVote (§9.6) and CheckQuorum with leader stickiness, a no-op at the start of
 * each term, commit of current-term entries only (§5.4.2), pipelined batched appends with a
 * per-follower in-flight window, fast follower catch-up by conflict hints, snapshot transfer in
 * chunks, learners (non-voting members), leadership transfer (§3.10), single-server membership
 * changes through the log (§4.1), and ReadIndex (§6.4). Time is ticks; randomness is the
 * injected {@link Random}.
 *
 * <p>Test-only fault switches ({@link Faults}) plant known bugs so the simulation can prove it
 * catches them; they are off unless a test turns them on.
 */
public final class RaftCore {
  /** Planted bugs for the simulation's teeth; all false in production. */
  public static final class Faults {
    /**
     * Acknowledge before fsync: the leader counts its own entries and followers acknowledge
     * theirs before they are durable, and committed entries are applied (and answered)
     * without waiting for the local fsync.
     */
    public boolean ackBeforeFsync;
    /** Skip the no-op at the start of a term. */
    public boolean noNoopAtTermStart;
    /** Commit an entry of a previous term by counting replicas (the Figure 8 bug). */
    public boolean commitPreviousTermByCount;
    /** On snapshot install, keep the log after the snapshot even if it conflicts. */
    public boolean installTruncatesInsteadOfDiscarding;
  }

  private record Held(long requiresSeq, RaftMessage message) {
  }

  private record PendingRead(long requestId, int requester, long index, long seq) {
  }

  private final int selfId;
  private final RaftOptions options;
  private final Random random;
  private final RaftLog log;
  private final Faults faults;

  private HardState hardState;
  private boolean hardStateDirty;
  private RaftRole role = RaftRole.FOLLOWER;
  private int leaderId;
  private long commitIndex;
  private long appliedIndex;

  private int electionElapsed;
  /**
   * Leader: a quorum was active in the last whole CheckQuorum window. The current window's
   * activity flags restart empty at every boundary, so without this the leader would look
   * unconfirmed for the moments until the next acks arrive, and stop serving each window.
   */
  private boolean quorumActiveLastWindow;
  private int heartbeatElapsed;
  private int randomizedElectionTimeout;

  /** Bumped on every change that must be fsynced; a batch carries the value it covers. */
  private long mutationSeq;
  private long durableSeq;
  private boolean persistInFlight;
  private final ArrayDeque<Held> outbox = new ArrayDeque<>();

  private final Map<Integer, Boolean> votes = new HashMap<>();
  private final TreeMap<Integer, Progress> progress = new TreeMap<>();
  private final Map<Integer, ArrayDeque<Long>> inflights = new HashMap<>();
  private boolean appendsPending;
  private boolean commitChanged;
  private long termStartIndex;
  private int leadTransferee;
  /**
   * Follower: it knows of no live leader although one may exist — the link to the leader reset
   * and nothing came from it since (see onLinkReset), or the node has just started.
   */
  private boolean leaderLinkLost;
  /** Follower: ticks until it campaigns early (see campaignSoon); 0 when none is due. */
  private int campaignInTicks;
  private int transferElapsed;
  /** {@link #start} ran: inputs are accepted, restore-time setters are not. */
  private boolean started;
  /**
   * Started (a voter, with PreVote) and has not heard of a leader since: every early campaign
   * is followed by another a few heartbeats later, not by an election timeout. Members of a
   * cold ensemble come up one by one and their links connect over a few hundred milliseconds,
   * so the first early campaigns often reach nobody.
   */
  private boolean noLeaderSinceStart;

  private long readSeq;
  private final List<PendingRead> pendingReads = new ArrayList<>();
  private final Map<Long, Long> remoteReads = new java.util.LinkedHashMap<>();
  private final List<ReadState> readStates = new ArrayList<>();
  private final List<SnapshotTransfer> snapshotWork = new ArrayList<>();
  /** Follower: the snapshot being received (index) and the next chunk expected. */
  private long receivingIndex = -1;
  private int receivingChunk;
  /** The chunk handed to storage and not yet reported stored (-1: none). */
  private int storingChunk = -1;

  private long elections;
  private long leaderChanges;

  /**
   * @param membership the membership at the snapshot (or the initial one for an empty node)
   * @param snapshotIndex index covered by the newest snapshot (0 if none)
   * @param stableEntries the durable log after the snapshot, as loaded from storage
   */
  public RaftCore(int selfId, RaftOptions options, Random random, Membership membership, HardState hardState,
      long snapshotIndex, long snapshotTerm, List<LogEntry> stableEntries, Faults faults) {
    this.selfId = selfId;
    this.options = options;
    this.random = random;
    this.faults = faults == null ? new Faults() : faults;
    this.log = new RaftLog(snapshotIndex, snapshotTerm, membership, stableEntries);
    if (hardState.term() < log.lastTerm()) {
      // A snapshot installed from a leader is committed by the snapshot thread, the new term
      // by the log thread; a crash between them leaves the stored term behind. We were at least
      // in the snapshot's term then, and cast no vote in it (a vote is durable before it is
      // sent), so resuming in that term with no vote is exactly what we knew.
      hardState = new HardState(log.lastTerm(), HardState.NO_VOTE);
      hardStateDirty = true;
      mutationSeq++;
    }
    this.hardState = hardState;
    this.commitIndex = snapshotIndex;
    this.appliedIndex = snapshotIndex;
    resetElectionTimeout();
  }

  /** A single node with default options (tests and standalone tools). */
  public RaftCore(int selfId, Membership membership, HardState hardState, long snapshotIndex, long snapshotTerm,
      List<LogEntry> stableEntries) {
    this(selfId, RaftOptions.defaults(), new Random(selfId), membership, hardState, snapshotIndex, snapshotTerm,
        stableEntries, null);
  }

  /**
   * Before {@link #start}: storage recorded that the log was committed up to {@code hint}
   * (LogStore.recordCommit). Committed entries stay committed, so those held here may be applied
   * at once instead of after a leader is elected and says so — a restart then applies its
   * backlog while the election runs. Clamped to the log held: the hint is only a lower bound.
   *
   * @return the commit index now
   */
  public long restoreCommitHint(long hint) {
    Check.state(!started, "a commit hint is restored before the node starts");
    commitIndex = Math.max(commitIndex, Math.min(hint, log.lastIndex()));
    return commitIndex;
  }

  /**
   * Starts the node as a follower. A sole voter needs nobody's vote: it elects itself at once
   * (its first entry is a no-op of the new term, whose commit also commits everything before
   * it — how a restarted node re-commits its log).
   */
  public void start() {
    started = true;
    becomeFollower(hardState.term(), 0);
    if (isSoleVoter()) {
      campaign(false, false);
    } else if (options.preVote()) {
      // A node that starts knows no leader. Waiting out a whole election timeout first would
      // add 1–2 s to every cold start of an ensemble (all members restarted: the election only
      // began that long after the second member was up). PreVote keeps an early campaign
      // harmless when a leader is alive: the members still hearing it refuse.
      noLeaderSinceStart = true;
      campaignSoon();
    }
  }

  // ---- inputs --------------------------------------------------------------------------------

  /** One logical clock tick. */
  public void tick() {
    if (role == RaftRole.LEADER) {
      tickLeader();
    } else {
      electionElapsed++;
      boolean leaderGone = campaignInTicks > 0 && --campaignInTicks == 0 && leaderLinkLost;
      if ((leaderGone || electionElapsed >= randomizedElectionTimeout) && isVoter(selfId)) {
        electionElapsed = 0;
        campaign(options.preVote(), false);
        if (noLeaderSinceStart && role != RaftRole.LEADER) {
          campaignSoon(); // see noLeaderSinceStart
        }
      }
      if (receivingIndex >= 0 && electionElapsed >= options.electionTimeoutTicks()) {
        receivingIndex = -1; // a transfer that stalled with its leader
      }
    }
  }

  private void tickLeader() {
    heartbeatElapsed++;
    electionElapsed++;
    if (leadTransferee != 0 && ++transferElapsed >= options.electionTimeoutTicks()) {
      leadTransferee = 0; // the transfer did not happen in time: lead on
    }
    if (electionElapsed >= options.electionTimeoutTicks()) {
      electionElapsed = 0;
      quorumActiveLastWindow = quorumRecentlyActive();
      if (options.checkQuorum() && !quorumActiveLastWindow) {
        becomeFollower(hardState.term(), 0); // CheckQuorum: we may be on the minority side
        return;
      }
      for (Progress p : progress.values()) {
        p.recentActive = false;
        if (p.state == Progress.State.SNAPSHOT && p.chunkRequested) {
          p.chunkRequested = false; // a chunk or its answer was lost: ask for it again
          snapshotWork.add(new SnapshotTransfer.ReadChunk(peerOf(p), p.snapshotIndex, p.snapshotChunk));
          p.chunkRequested = true;
        }
      }
    }
    if (heartbeatElapsed >= options.heartbeatTicks()) {
      heartbeatElapsed = 0;
      broadcastHeartbeat();
    }
  }

  /** A message from a peer. */
  public void step(RaftMessage m) {
    if (m.to() != selfId) {
      return;
    }
    if (m.term() > hardState.term()) {
      if (!acceptHigherTerm(m)) {
        return;
      }
    } else if (m.term() < hardState.term()) {
      rejectStale(m);
      return;
    }
    if (m instanceof VoteRequest v) {
      onVoteRequest(v);
    } else if (m instanceof VoteResponse v) {
      onVoteResponse(v);
    } else if (m instanceof AppendRequest a) {
      onAppend(a);
    } else if (m instanceof AppendResponse a) {
      onAppendResponse(a);
    } else if (m instanceof SnapshotChunk c) {
      onSnapshotChunk(c);
    } else if (m instanceof SnapshotResponse r) {
      onSnapshotResponse(r);
    } else if (m instanceof TimeoutNow) {
      if (role != RaftRole.LEADER && isVoter(selfId)) {
        campaign(false, true);
      }
    } else if (m instanceof ReadIndexRequest r) {
      onReadIndexRequest(r);
    } else if (m instanceof ReadIndexResponse r) {
      Long requestId = remoteReads.remove(r.requestId());
      if (requestId != null) {
        readStates.add(new ReadState(requestId, r.readIndex()));
      }
    }
  }

  /** Appends a command; returns its index (its zxid), or -1 when this node cannot accept it. */
  public long propose(byte[] command) {
    if (role != RaftRole.LEADER || leadTransferee != 0) {
      return -1;
    }
    long index = log.append(hardState.term(), EntryType.COMMAND, command);
    entriesChanged();
    return index;
  }

  /**
   * Proposes a single-server membership change (thesis §4.1): one voter added or removed, or
   * learners changed, and only when no earlier change is still uncommitted. It takes effect
   * as soon as it is in the log. Returns the entry's index or -1.
   */
  public long proposeMembership(Membership next) {
    if (role != RaftRole.LEADER || leadTransferee != 0 || log.lastMembershipIndex() > commitIndex) {
      return -1;
    }
    if (!isSingleServerChange(log.membership(), next)) {
      return -1;
    }
    long index = log.append(hardState.term(), EntryType.MEMBERSHIP, next.encode());
    entriesChanged();
    membershipChanged();
    return index;
  }

  /** Hands leadership to {@code target} (§3.10); false if that is not possible now. */
  public boolean transferLeadership(int target) {
    if (role != RaftRole.LEADER || target == selfId || !log.membership().isVoter(target)) {
      return false;
    }
    leadTransferee = target;
    transferElapsed = 0;
    Progress p = progress.get(target);
    if (p != null && p.matchIndex == log.lastIndex()) {
      send(new TimeoutNow(selfId, target, hardState.term()), false);
    } else if (p != null) {
      sendAppend(target);
    }
    return true;
  }

  /**
   * Asks for a linearizable read point for {@code requestId}: the answer arrives in
   * {@link #takeReadStates()} (from the leader, after it confirmed its leadership with a quorum).
   */
  public void readIndex(long requestId) {
    if (role == RaftRole.LEADER) {
      addRead(requestId, selfId);
    } else if (leaderId != 0) {
      remoteReads.put(requestId, requestId);
      send(new ReadIndexRequest(selfId, leaderId, hardState.term(), requestId), false);
    } else {
      readStates.add(new ReadState(requestId, -1));
    }
  }

  // ---- storage -------------------------------------------------------------------------------

  /** The next batch for the storage thread, or null if nothing is due or one is in flight. */
  public PersistBatch takePersistBatch() {
    if (persistInFlight || (!hardStateDirty && !log.hasUnpersisted())) {
      return null;
    }
    persistInFlight = true;
    HardState hs = hardStateDirty ? hardState : null;
    hardStateDirty = false;
    return log.takeUnpersisted(hs, mutationSeq, commitIndex);
  }

  /** The storage thread fsynced {@code batch}. */
  public void persisted(PersistBatch batch) {
    Check.state(persistInFlight, "persisted() without a batch in flight");
    persistInFlight = false;
    log.persisted(batch);
    durableSeq = Math.max(durableSeq, batch.seq());
    if (role == RaftRole.LEADER) {
      maybeCommit();
    }
  }

  /** Committed, locally durable entries not yet handed out for apply, in index order. */
  public List<LogEntry> takeCommitted(int maxEntries) {
    long upTo = applicableIndex();
    if (upTo <= appliedIndex) {
      return List.of();
    }
    List<LogEntry> out = log.slice(appliedIndex, upTo, maxEntries, Long.MAX_VALUE);
    appliedIndex += out.size();
    return out;
  }

  /** Whether {@link #takeCommitted} has entries to hand out now. */
  public boolean hasCommittedToTake() {
    return applicableIndex() > appliedIndex;
  }

  /** Committed and, unless a planted fault says otherwise, durable here: may be applied. */
  private long applicableIndex() {
    return faults.ackBeforeFsync ? Math.min(commitIndex, log.lastIndex()) : Math.min(commitIndex, log.stableIndex());
  }

  /** Messages that may leave now, in order. */
  public List<RaftMessage> takeMessages() {
    if (role == RaftRole.LEADER && (appendsPending || commitChanged)) {
      for (int peer : progress.keySet()) {
        sendAppend(peer);
        if (commitChanged) {
          sendCommitIfIdle(peer);
        }
      }
      appendsPending = false;
      commitChanged = false;
    }
    List<RaftMessage> out = new ArrayList<>();
    while (!outbox.isEmpty()) {
      Held h = outbox.peekFirst();
      if (h.requiresSeq() > durableSeq) {
        break; // waits for its state to be fsynced; later messages keep their order behind it
      }
      out.add(outbox.pollFirst().message());
    }
    return out;
  }

  public List<ReadState> takeReadStates() {
    if (readStates.isEmpty()) {
      return List.of();
    }
    List<ReadState> out = List.copyOf(readStates);
    readStates.clear();
    return out;
  }

  public List<SnapshotTransfer> takeSnapshotWork() {
    if (snapshotWork.isEmpty()) {
      return List.of();
    }
    List<SnapshotTransfer> out = List.copyOf(snapshotWork);
    snapshotWork.clear();
    return out;
  }

  /** A local snapshot covering {@code index} is durable: the in-memory log before it can go. */
  public void compact(long index) {
    Check.state(index <= appliedIndex, "snapshot at %d is past applied %d", index, appliedIndex);
    log.compactTo(Math.min(index, log.stableIndex()));
  }

  // ---- snapshot transfer ---------------------------------------------------------------------

  /** Leader: the chunk asked for with {@link SnapshotTransfer.ReadChunk}, read from the store. */
  public void sendSnapshotChunk(int peer, long snapshotIndex, long snapshotTerm, byte[] membership, int chunk,
      byte[] data, boolean last) {
    Progress p = progress.get(peer);
    if (role != RaftRole.LEADER || p == null || p.state != Progress.State.SNAPSHOT
        || p.snapshotIndex != snapshotIndex || p.snapshotChunk != chunk) {
      return; // the transfer moved on or was abandoned
    }
    p.snapshotLast = last;
    send(new SnapshotChunk(selfId, peer, hardState.term(), snapshotIndex, snapshotTerm, membership, chunk, last, data),
        false);
  }

  /** Leader: the snapshot the peer needs could not be read; fall back to probing. */
  public void snapshotUnavailable(int peer) {
    Progress p = progress.get(peer);
    if (p != null && p.state == Progress.State.SNAPSHOT) {
      p.becomeProbe();
    }
  }

  /** Follower: a non-final chunk is stored; acknowledge it so the leader sends the next. */
  public void snapshotChunkStored(int leader, long snapshotIndex, int chunk) {
    if (storingChunk == chunk) {
      storingChunk = -1;
    }
    if (receivingIndex != snapshotIndex || chunk != receivingChunk) {
      return;
    }
    receivingChunk++;
    send(new SnapshotResponse(selfId, leader, hardState.term(), snapshotIndex, chunk, true), false);
  }

  /** Follower: storing or restoring the incoming snapshot failed; the leader starts over. */
  public void snapshotFailed(int leader, long snapshotIndex, int chunk) {
    receivingIndex = -1;
    storingChunk = -1;
    send(new SnapshotResponse(selfId, leader, hardState.term(), snapshotIndex, chunk, false), false);
  }

  /**
   * Follower: the whole snapshot is stored and the state machine restored from it. The log is
   * reset to it (§5.1) and the final acknowledgement waits until that reset is durable.
   */
  public void snapshotInstalled(int leader, long snapshotIndex, long snapshotTerm, Membership membership, int lastChunk) {
    receivingIndex = -1;
    storingChunk = -1;
    if (snapshotIndex <= appliedIndex) {
      return;
    }
    boolean truncation;
    if (faults.installTruncatesInsteadOfDiscarding && snapshotIndex <= log.lastIndex()) {
      log.compactTo(snapshotIndex); // the planted bug: keep a possibly conflicting suffix
      truncation = false;
    } else {
      truncation = log.restore(snapshotIndex, snapshotTerm, membership);
    }
    commitIndex = Math.max(commitIndex, snapshotIndex);
    appliedIndex = snapshotIndex;
    if (truncation) {
      mutationSeq++; // the discarded suffix must be gone from disk before we acknowledge
    }
    membershipChanged();
    send(new SnapshotResponse(selfId, leader, hardState.term(), snapshotIndex, lastChunk, true), true);
  }

  // ---- message handlers --------------------------------------------------------------------

  /** A message with a higher term: usually adopt the term; returns false to drop the message. */
  private boolean acceptHigherTerm(RaftMessage m) {
    if (m instanceof VoteRequest v) {
      boolean inLease = options.checkQuorum() && leaderId != 0 && !leaderLinkLost
          && electionElapsed < options.electionTimeoutTicks();
      if (inLease && !v.transfer()) {
        return false; // leader stickiness: we hear from a leader, so nobody needs a new one
      }
      if (v.preVote()) {
        return true; // a pre-vote changes nothing
      }
      becomeFollower(m.term(), 0);
      return true;
    }
    if (m instanceof VoteResponse v && v.preVote()) {
      if (!v.granted()) {
        becomeFollower(m.term(), 0);
      }
      return true;
    }
    boolean fromLeader = m instanceof AppendRequest || m instanceof SnapshotChunk || m instanceof TimeoutNow;
    becomeFollower(m.term(), fromLeader ? m.from() : 0);
    return true;
  }

  private void rejectStale(RaftMessage m) {
    if (m instanceof AppendRequest || m instanceof SnapshotChunk) {
      // tell a deposed leader that a newer term exists, so it steps down (its rejoining
      // would otherwise be blocked by our stickiness and its own CheckQuorum)
      send(new AppendResponse(selfId, m.from(), hardState.term(), false, 0, 0, 0), false);
    } else if (m instanceof VoteRequest v && v.preVote()) {
      send(new VoteResponse(selfId, m.from(), hardState.term(), false, true), false);
    }
  }

  private void onVoteRequest(VoteRequest v) {
    boolean upToDate = v.lastLogTerm() > log.lastTerm()
        || (v.lastLogTerm() == log.lastTerm() && v.lastLogIndex() >= log.lastIndex());
    boolean canVote = hardState.votedFor() == v.from()
        || (hardState.votedFor() == HardState.NO_VOTE && leaderId == 0)
        || (v.preVote() && v.term() > hardState.term());
    if (canVote && upToDate) {
      if (!v.preVote()) {
        electionElapsed = 0;
        setHardState(new HardState(hardState.term(), v.from()));
      }
      send(new VoteResponse(selfId, v.from(), v.preVote() ? v.term() : hardState.term(), true, v.preVote()), true);
    } else {
      send(new VoteResponse(selfId, v.from(), hardState.term(), false, v.preVote()), true);
    }
  }

  private void onVoteResponse(VoteResponse v) {
    boolean expected = (role == RaftRole.PRE_CANDIDATE && v.preVote()) || (role == RaftRole.CANDIDATE && !v.preVote());
    if (!expected || !log.membership().isVoter(v.from())) {
      return;
    }
    votes.putIfAbsent(v.from(), v.granted());
    long granted = votes.values().stream().filter(b -> b).count();
    long rejected = votes.size() - granted;
    int quorum = log.membership().quorum();
    if (granted >= quorum) {
      if (role == RaftRole.PRE_CANDIDATE) {
        campaign(false, false);
      } else {
        becomeLeader();
      }
    } else if (rejected >= quorum) {
      becomeFollower(hardState.term(), 0);
    }
  }

  private void onAppend(AppendRequest a) {
    if (role != RaftRole.FOLLOWER) {
      becomeFollower(hardState.term(), a.from());
    }
    setLeader(a.from());
    electionElapsed = 0;
    if (a.prevLogIndex() < commitIndex) {
      // everything up to our commit index is already settled; answer with it and let the
      // leader continue from there
      send(new AppendResponse(selfId, a.from(), hardState.term(), true, commitIndex, 0, a.readSeq()), true);
      return;
    }
    if (!log.matches(a.prevLogIndex(), a.prevLogTerm())) {
      long hint = log.conflictHint(a.prevLogIndex());
      send(new AppendResponse(selfId, a.from(), hardState.term(), false, 0, hint, a.readSeq()), true);
      return;
    }
    Membership before = log.membership();
    if (log.appendFollower(a.entries(), commitIndex)) {
      mutationSeq++;
    }
    long lastNew = a.prevLogIndex() + a.entries().size();
    long newCommit = Math.min(a.leaderCommit(), lastNew);
    if (newCommit > commitIndex) {
      commitIndex = newCommit;
    }
    if (!log.membership().equals(before)) {
      membershipChanged();
    }
    send(new AppendResponse(selfId, a.from(), hardState.term(), true, lastNew, 0, a.readSeq()),
        !faults.ackBeforeFsync);
  }

  private void onAppendResponse(AppendResponse r) {
    Progress p = progress.get(r.from());
    if (role != RaftRole.LEADER || p == null) {
      return;
    }
    p.recentActive = true;
    if (r.readSeq() > p.ackedReadSeq) {
      p.ackedReadSeq = r.readSeq();
      confirmReads();
    }
    if (r.success()) {
      if (r.matchIndex() > p.matchIndex) {
        p.matchIndex = r.matchIndex();
        p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
        freeInflights(r.from(), p.matchIndex);
        maybeCommit();
        if (role != RaftRole.LEADER) {
          return; // the commit removed us from the group
        }
      }
      if (p.state == Progress.State.PROBE
          || (p.state == Progress.State.SNAPSHOT && p.matchIndex >= p.snapshotIndex)) {
        p.becomeReplicate();
        inflights.get(r.from()).clear();
      }
      ArrayDeque<Long> window = inflights.get(r.from());
      if (p.state == Progress.State.REPLICATE && window.size() >= options.maxInflightAppends()) {
        window.pollFirst(); // appends to it were lost (it may have restarted): let one more through
      }
      p.probeSent = false;
      if (leadTransferee == r.from() && p.matchIndex == log.lastIndex()) {
        send(new TimeoutNow(selfId, r.from(), hardState.term()), false);
      }
      sendAppend(r.from());
      if (Math.min(commitIndex, p.matchIndex) > p.commitSent) {
        // It acknowledged after the commit that its entries were part of: tell it now, not
        // with the next heartbeat — a client waiting on this follower waits for exactly that.
        sendCommitIfIdle(r.from());
      }
      return;
    }
    // A hint at or below the match point is not necessarily stale: the follower walks its hint
    // back over a run of one term, which may reach past the entries it shares with us (its 35..46
    // all of term 1, ours 35..44 of term 1 and 45 of term 3). Ignoring it left a follower
    // rejecting the same append forever (a simulation seed); probing from the match point is safe.
    if (r.hintIndex() <= p.matchIndex && p.nextIndex <= p.matchIndex + 1) {
      return; // a stale rejection: we already probe from the point we know matches
    }
    if (p.state != Progress.State.SNAPSHOT) {
      p.becomeProbe();
      inflights.get(r.from()).clear();
      // the hint never exceeds the rejected prev index, so this always moves back
      p.nextIndex = Math.max(p.matchIndex + 1, Math.min(r.hintIndex(), p.nextIndex - 1));
      sendAppend(r.from());
    }
  }

  private void onSnapshotChunk(SnapshotChunk c) {
    if (role != RaftRole.FOLLOWER) {
      becomeFollower(hardState.term(), c.from());
    }
    setLeader(c.from());
    electionElapsed = 0;
    if (c.snapshotIndex() <= commitIndex) {
      // we already have that state: tell the leader where we are instead
      send(new AppendResponse(selfId, c.from(), hardState.term(), true, commitIndex, 0, 0), true);
      return;
    }
    if (c.chunk() == 0) {
      receivingIndex = c.snapshotIndex();
      receivingChunk = 0;
      storingChunk = -1;
    }
    if (receivingIndex != c.snapshotIndex()) {
      send(new SnapshotResponse(selfId, c.from(), hardState.term(), c.snapshotIndex(), c.chunk(), false), false);
      return;
    }
    if (c.chunk() < receivingChunk) {
      send(new SnapshotResponse(selfId, c.from(), hardState.term(), c.snapshotIndex(), c.chunk(), true), false);
      return; // a duplicate of a chunk we stored
    }
    if (c.chunk() > receivingChunk) {
      receivingIndex = -1;
      send(new SnapshotResponse(selfId, c.from(), hardState.term(), c.snapshotIndex(), c.chunk(), false), false);
      return;
    }
    if (c.chunk() > 0 && storingChunk == c.chunk()) {
      // the leader resent the chunk being stored (its retransmit timer fired): storing it
      // twice would write it twice into the snapshot; the pending store answers for both
      return;
    }
    storingChunk = c.chunk();
    snapshotWork.add(new SnapshotTransfer.StoreChunk(c));
  }

  private void onSnapshotResponse(SnapshotResponse r) {
    Progress p = progress.get(r.from());
    if (role != RaftRole.LEADER || p == null || p.state != Progress.State.SNAPSHOT
        || p.snapshotIndex != r.snapshotIndex()) {
      return;
    }
    p.recentActive = true;
    if (!r.ok()) {
      p.becomeSnapshot(p.snapshotIndex); // start the transfer over
      requestChunk(r.from(), p);
      return;
    }
    if (r.chunk() != p.snapshotChunk) {
      return;
    }
    if (p.snapshotLast) {
      p.matchIndex = Math.max(p.matchIndex, p.snapshotIndex);
      p.nextIndex = p.matchIndex + 1;
      p.becomeProbe();
      sendAppend(r.from());
      return;
    }
    p.snapshotChunk++;
    p.chunkRequested = false;
    requestChunk(r.from(), p);
  }

  private void onReadIndexRequest(ReadIndexRequest r) {
    if (role != RaftRole.LEADER) {
      send(new ReadIndexResponse(selfId, r.from(), hardState.term(), r.requestId(), -1), false);
      return;
    }
    addRead(r.requestId(), r.from());
  }

  // ---- roles ---------------------------------------------------------------------------------

  private void becomeFollower(long term, int leader) {
    boolean wasLeader = role == RaftRole.LEADER;
    if (term > hardState.term()) {
      setHardState(new HardState(term, HardState.NO_VOTE));
    }
    role = RaftRole.FOLLOWER;
    setLeader(leader);
    votes.clear();
    progress.clear();
    inflights.clear();
    leadTransferee = 0;
    electionElapsed = 0;
    resetElectionTimeout();
    if (wasLeader) {
      failReads();
    }
  }

  private void campaign(boolean preVote, boolean transfer) {
    if (!isVoter(selfId)) {
      return;
    }
    votes.clear();
    long campaignTerm;
    if (preVote) {
      role = RaftRole.PRE_CANDIDATE;
      campaignTerm = hardState.term() + 1;
    } else {
      role = RaftRole.CANDIDATE;
      setHardState(new HardState(hardState.term() + 1, selfId));
      campaignTerm = hardState.term();
      elections++;
    }
    setLeader(0);
    resetElectionTimeout();
    votes.put(selfId, true);
    if (votes.size() >= log.membership().quorum()) {
      if (preVote) {
        campaign(false, transfer);
      } else {
        becomeLeader();
      }
      return;
    }
    for (int peer : log.membership().voters()) {
      if (peer != selfId) {
        send(new VoteRequest(selfId, peer, campaignTerm, log.lastIndex(), log.lastTerm(), preVote, transfer), true);
      }
    }
  }

  private void becomeLeader() {
    role = RaftRole.LEADER;
    setLeader(selfId);
    quorumActiveLastWindow = false; // a new leader confirms itself through acks of this term
    votes.clear();
    heartbeatElapsed = 0;
    electionElapsed = 0;
    progress.clear();
    inflights.clear();
    for (int peer : members()) {
      if (peer != selfId) {
        addProgress(peer);
      }
    }
    if (!faults.noNoopAtTermStart) {
      termStartIndex = log.append(hardState.term(), EntryType.NOOP, new byte[0]);
      entriesChanged();
    } else {
      termStartIndex = log.lastIndex();
    }
    maybeCommit();
  }

  // ---- replication ---------------------------------------------------------------------------

  private void sendAppend(int peer) {
    Progress p = progress.get(peer);
    if (p == null) {
      return;
    }
    switch (p.state) {
      case SNAPSHOT -> {
        requestChunk(peer, p);
        return;
      }
      case PROBE -> {
        if (p.probeSent) {
          return;
        }
      }
      case REPLICATE -> {
        if (inflights.get(peer).size() >= options.maxInflightAppends() || p.nextIndex > log.lastIndex()) {
          return;
        }
      }
    }
    long prevIndex = p.nextIndex - 1;
    long prevTerm = log.termAt(prevIndex);
    if (prevTerm < 0) {
      if (log.snapshotIndex() == 0) {
        p.nextIndex = 1; // nothing was ever compacted; start over
        return;
      }
      p.becomeSnapshot(log.snapshotIndex());
      requestChunk(peer, p);
      return;
    }
    List<LogEntry> entries = log.slice(prevIndex, log.lastIndex(), options.maxEntriesPerAppend(),
        options.maxBytesPerAppend());
    send(new AppendRequest(selfId, peer, hardState.term(), prevIndex, prevTerm, entries, commitIndex, readSeq), false);
    p.commitSent = Math.max(p.commitSent, Math.min(commitIndex, prevIndex + entries.size()));
    if (p.state == Progress.State.PROBE) {
      p.probeSent = true;
    } else if (!entries.isEmpty()) {
      long last = entries.get(entries.size() - 1).index();
      p.nextIndex = last + 1;
      inflights.get(peer).add(last);
    }
  }

  /** After a commit, a follower with nothing new to receive still needs the new commit index. */
  private void sendCommitIfIdle(int peer) {
    Progress p = progress.get(peer);
    if (p != null && p.state == Progress.State.REPLICATE && p.nextIndex > log.lastIndex()
        && inflights.get(peer).isEmpty()) {
      heartbeat(peer, p);
    }
  }

  private void broadcastHeartbeat() {
    for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
      Progress p = e.getValue();
      if (p.state == Progress.State.REPLICATE && resendIfStalled(e.getKey(), p)) {
        continue;
      }
      if (p.state == Progress.State.PROBE) {
        p.probeSent = false; // let a lost probe be retried once per heartbeat
        sendAppend(e.getKey());
      } else {
        heartbeat(e.getKey(), p);
      }
    }
  }

  /**
   * A follower whose match index stood still below our last index for two heartbeat rounds has
   * lost appends (a link reset or a full queue dropped them): with nextIndex already past them
   * nothing would resend them until the next proposal. Probe again from its match point.
   */
  private boolean resendIfStalled(int peer, Progress p) {
    boolean behind = p.matchIndex < log.lastIndex();
    p.stalledHeartbeats = behind && p.matchIndex == p.matchAtLastHeartbeat ? p.stalledHeartbeats + 1 : 0;
    p.matchAtLastHeartbeat = p.matchIndex;
    if (p.stalledHeartbeats < 2) {
      return false;
    }
    p.stalledHeartbeats = 0;
    p.becomeProbe();
    p.nextIndex = p.matchIndex + 1;
    inflights.get(peer).clear();
    sendAppend(peer);
    return true;
  }

  /** An empty append at the follower's known match point: keeps it following and carries commit. */
  private void heartbeat(int peer, Progress p) {
    long prev = Math.max(p.matchIndex, log.snapshotIndex());
    long prevTerm = log.termAt(prev);
    if (prevTerm < 0) {
      return;
    }
    send(new AppendRequest(selfId, peer, hardState.term(), prev, prevTerm, List.of(),
        Math.min(commitIndex, p.matchIndex), readSeq), false);
    p.commitSent = Math.max(p.commitSent, Math.min(commitIndex, p.matchIndex));
  }

  private void requestChunk(int peer, Progress p) {
    if (!p.chunkRequested) {
      p.chunkRequested = true;
      snapshotWork.add(new SnapshotTransfer.ReadChunk(peer, p.snapshotIndex, p.snapshotChunk));
    }
  }

  /**
   * Commit = the highest index stored on a quorum of voters whose entry is from the current
   * term (§5.4.2: entries of earlier terms commit only indirectly). The leader counts itself
   * with its stable (fsynced) index.
   */
  private void maybeCommit() {
    Membership m = log.membership();
    long[] matches = new long[m.voters().size()];
    int i = 0;
    for (int voter : m.voters()) {
      if (voter == selfId) {
        matches[i++] = faults.ackBeforeFsync ? log.lastIndex() : log.stableIndex();
      } else {
        Progress p = progress.get(voter);
        matches[i++] = p == null ? 0 : p.matchIndex;
      }
    }
    Arrays.sort(matches);
    long candidate = matches[matches.length - m.quorum()];
    boolean currentTerm = log.termAt(candidate) == hardState.term() || faults.commitPreviousTermByCount;
    if (candidate > commitIndex && currentTerm && log.termAt(candidate) > 0) {
      commitIndex = candidate;
      commitChanged = true;
      confirmReads();
      if (!m.isVoter(selfId) && commitIndex >= log.lastMembershipIndex()) {
        becomeFollower(hardState.term(), 0); // we committed our own removal: step down
      }
    }
  }

  private boolean quorumRecentlyActive() {
    Membership m = log.membership();
    int active = m.isVoter(selfId) ? 1 : 0;
    for (int voter : m.voters()) {
      Progress p = progress.get(voter);
      if (voter != selfId && p != null && p.recentActive) {
        active++;
      }
    }
    return active >= m.quorum();
  }

  // ---- ReadIndex -----------------------------------------------------------------------------

  private void addRead(long requestId, int requester) {
    pendingReads.add(new PendingRead(requestId, requester, -1, 0));
    confirmReads();
  }

  /**
   * Pending reads get their index once the leader has committed in its term (before that its
   * commit index may be stale, §6.4), and are answered once a quorum has acknowledged a
   * heartbeat sent after they arrived — proof that no newer leader exists.
   */
  private void confirmReads() {
    if (role != RaftRole.LEADER || pendingReads.isEmpty() || commitIndex < termStartIndex) {
      return;
    }
    boolean needRound = false;
    for (int i = 0; i < pendingReads.size(); i++) {
      PendingRead r = pendingReads.get(i);
      if (r.index() < 0) {
        pendingReads.set(i, new PendingRead(r.requestId(), r.requester(), commitIndex, readSeq + 1));
        needRound = true;
      }
    }
    if (needRound) {
      readSeq++;
      for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
        heartbeat(e.getKey(), e.getValue());
      }
    }
    long acked = quorumAckedReadSeq();
    Iterator<PendingRead> it = pendingReads.iterator();
    while (it.hasNext()) {
      PendingRead r = it.next();
      if (r.seq() <= acked) {
        it.remove();
        if (r.requester() == selfId) {
          readStates.add(new ReadState(r.requestId(), r.index()));
        } else {
          send(new ReadIndexResponse(selfId, r.requester(), hardState.term(), r.requestId(), r.index()), false);
        }
      }
    }
  }

  private long quorumAckedReadSeq() {
    Membership m = log.membership();
    long[] acks = new long[m.voters().size()];
    int i = 0;
    for (int voter : m.voters()) {
      Progress p = progress.get(voter);
      acks[i++] = voter == selfId ? readSeq : p == null ? 0 : p.ackedReadSeq;
    }
    Arrays.sort(acks);
    return acks[acks.length - m.quorum()];
  }

  private void failReads() {
    for (PendingRead r : pendingReads) {
      if (r.requester() == selfId) {
        readStates.add(new ReadState(r.requestId(), -1));
      } else {
        send(new ReadIndexResponse(selfId, r.requester(), hardState.term(), r.requestId(), -1), false);
      }
    }
    pendingReads.clear();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void entriesChanged() {
    mutationSeq++;
    appendsPending = true;
    if (isSoleVoter()) {
      maybeCommit();
    }
  }

  /** The membership in the log changed (appended, truncated or restored): follow it. */
  private void membershipChanged() {
    if (role != RaftRole.LEADER) {
      return;
    }
    Set<Integer> now = members();
    progress.keySet().removeIf(peer -> !now.contains(peer));
    inflights.keySet().removeIf(peer -> !now.contains(peer));
    for (int peer : now) {
      if (peer != selfId && !progress.containsKey(peer)) {
        addProgress(peer);
      }
    }
  }

  private void addProgress(int peer) {
    Progress p = new Progress(log.lastIndex() + 1);
    p.recentActive = true;
    progress.put(peer, p);
    inflights.put(peer, new ArrayDeque<>());
  }

  private void freeInflights(int peer, long matchIndex) {
    ArrayDeque<Long> q = inflights.get(peer);
    while (q != null && !q.isEmpty() && q.peekFirst() <= matchIndex) {
      q.pollFirst();
    }
  }

  private void send(RaftMessage m, boolean needsDurableState) {
    outbox.addLast(new Held(needsDurableState ? mutationSeq : 0, m));
  }

  private void setHardState(HardState hs) {
    Check.state(hs.term() >= hardState.term(), "term going backwards: %d -> %d", hardState.term(), hs.term());
    if (!hs.equals(hardState)) {
      hardState = hs;
      hardStateDirty = true;
      mutationSeq++;
    }
  }

  private void setLeader(int leader) {
    leaderLinkLost = false; // heard from a leader, or the election moved on
    campaignInTicks = 0;
    if (leader != 0) {
      noLeaderSinceStart = false;
    }
    if (leader != leaderId && leader != 0) {
      leaderChanges++;
    }
    if (leader != leaderId) {
      failRemoteReads(); // the leader they were sent to will not answer any more
    }
    leaderId = leader;
  }

  /**
   * The link with {@code peer} reset: messages to or from it may have been lost. Raft's own
   * traffic is retried by the protocol; a ReadIndex request to the leader is not, so it fails
   * (the caller may ask again) instead of waiting forever for an answer that was lost.
   */
  public void onLinkReset(int peer) {
    if (peer == leaderId && role != RaftRole.LEADER) {
      failRemoteReads();
      if (role == RaftRole.FOLLOWER && options.preVote()) {
        // A crashed leader's sockets close at once: waiting out a whole election timeout would
        // only add its length to every failover. If nothing arrives from the leader within two
        // heartbeats (a link that merely blipped reconnects sooner), campaign; and grant
        // pre-votes meanwhile. PreVote keeps this harmless when the leader is alive: the
        // followers still hearing it refuse.
        campaignSoon();
      }
    }
  }

  /** Campaigns (with PreVote) in two to three heartbeats unless a leader is heard first. */
  private void campaignSoon() {
    leaderLinkLost = true;
    campaignInTicks = 2 * options.heartbeatTicks() + random.nextInt(options.heartbeatTicks());
  }

  private void failRemoteReads() {
    for (long requestId : remoteReads.keySet()) {
      readStates.add(new ReadState(requestId, -1));
    }
    remoteReads.clear();
  }

  private void resetElectionTimeout() {
    randomizedElectionTimeout = options.electionTimeoutTicks() + random.nextInt(options.electionTimeoutTicks());
  }

  private Set<Integer> members() {
    Membership m = log.membership();
    Set<Integer> all = new java.util.TreeSet<>(m.voters());
    all.addAll(m.learners());
    return all;
  }

  private boolean isVoter(int id) {
    return log.membership().isVoter(id);
  }

  private boolean isSoleVoter() {
    Membership m = log.membership();
    return m.voters().size() == 1 && m.isVoter(selfId);
  }

  private int peerOf(Progress target) {
    for (Map.Entry<Integer, Progress> e : progress.entrySet()) {
      if (e.getValue() == target) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("unknown progress");
  }

  static boolean isSingleServerChange(Membership from, Membership to) {
    Set<Integer> added = new java.util.HashSet<>(to.voters());
    added.removeAll(from.voters());
    Set<Integer> removed = new java.util.HashSet<>(from.voters());
    removed.removeAll(to.voters());
    return added.size() + removed.size() <= 1 && !to.equals(from);
  }

  // ---- reports -------------------------------------------------------------------------------

  public RaftRole role() {
    return role;
  }

  public boolean isLeader() {
    return role == RaftRole.LEADER;
  }

  /**
   * A leader whose term's first entry is committed and whose quorum is recently active: only
   * such a leader may decide that sessions expired (DESIGN.md D7).
   */
  /** A leadership transfer is under way: the leader takes no proposals until it ends. */
  public boolean isTransferringLeadership() {
    return leadTransferee != 0;
  }

  public boolean isConfirmedLeader() {
    return role == RaftRole.LEADER && commitIndex >= termStartIndex
        && (!options.checkQuorum() || quorumActiveLastWindow || quorumRecentlyActive());
  }

  public int leaderId() {
    return leaderId;
  }

  /**
   * Whether this node follows a leader it heard from within an election timeout (or leads
   * with a confirmed leadership): the condition for serving clients.
   */
  public boolean hasRecentLeader() {
    if (role == RaftRole.LEADER) {
      return isConfirmedLeader();
    }
    return leaderId != 0 && electionElapsed < options.electionTimeoutTicks();
  }

  /** A learner: it receives the log and never votes (ZooKeeper's observer). */
  public boolean isLearner() {
    return log.membership().learners().contains(selfId);
  }

  public int selfId() {
    return selfId;
  }

  public long term() {
    return hardState.term();
  }

  public HardState hardState() {
    return hardState;
  }

  public long commitIndex() {
    return commitIndex;
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  public long stableIndex() {
    return log.stableIndex();
  }

  public long snapshotIndex() {
    return log.snapshotIndex();
  }

  /** The term of a retained entry (or of the snapshot point); -1 if not retained. */
  public long termAt(long index) {
    return log.termAt(index);
  }

  /** A retained entry (for invariant checks). */
  public LogEntry entry(long index) {
    return log.entry(index);
  }

  public int retainedEntries() {
    return log.size();
  }

  public long retainedBytes() {
    return log.bytes();
  }

  public Membership membership() {
    return log.membership();
  }

  /** The membership in force at {@code index} (what a snapshot taken there records). */
  public Membership membershipAt(long index) {
    return log.membershipAt(index);
  }

  public long elections() {
    return elections;
  }

  public long leaderChanges() {
    return leaderChanges;
  }

  /** Leader: each follower's match index (replication lag = lastIndex - match). */
  public Map<Integer, Long> matchIndexes() {
    Map<Integer, Long> out = new TreeMap<>();
    progress.forEach((peer, p) -> out.put(peer, p.matchIndex));
    return out;
  }
}
