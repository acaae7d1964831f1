package io.warden.coordinator.raft;

import io.warden.coordinator.util.Check;
import java.util.List;

/**
 * The Raft core: a pure state machine (DESIGN.md D2, etcd-raft style). It never touches a
 * thread, a clock, a socket or a disk; the node loop drives it:
 *
 * <ol>
 *   <li>{@link #propose} appends a command (leader only) and returns its index = zxid;</li>
 *   <li>{@link #takePersistBatch} hands hard state and new entries to the storage thread;
 *       {@link #persisted} reports them fsynced — only then do they count toward commit
 *       ("durable before visible");</li>
 *   <li>{@link #takeCommitted} yields committed, durable entries to apply, in order.</li>
 * </ol>
 *
 * <p>This version runs a one-voter group: the node elects itself at {@link #start()} and
 * commits an entry once its own fsync completes. Replication to peers (messages, PreVote,
 * CheckQuorum, learners, snapshots to followers) extends this class in the ensemble issue;
 * the driver contract above does not change.
 */
public final class RaftCore {
  private final int selfId;
  private final Membership membership;
  private final RaftLog log;
  private HardState hardState;
  private boolean hardStateDirty;
  private RaftRole role = RaftRole.FOLLOWER;
  private int leaderId;
  private long commitIndex;
  private long appliedIndex;
  private boolean persistInFlight;

  /**
   * @param snapshotIndex index covered by the newest snapshot (0 if none)
   * @param stableEntries the durable log after the snapshot, as loaded from storage
   */
  public RaftCore(int selfId, Membership membership, HardState hardState,
      long snapshotIndex, long snapshotTerm, List<LogEntry> stableEntries) {
    Check.argument(membership.voters().equals(java.util.Set.of(selfId)),
        "this build runs one-voter groups only (server %d, voters %s); replication comes with the ensemble work",
        selfId, membership.voters());
    this.selfId = selfId;
    this.membership = membership;
    this.hardState = hardState;
    this.log = new RaftLog(snapshotIndex, snapshotTerm, stableEntries);
    Check.state(hardState.term() >= log.lastTerm(),
        "hard state term %d is behind the log's last term %d", hardState.term(), log.lastTerm());
    this.commitIndex = snapshotIndex;
    this.appliedIndex = snapshotIndex;
  }

  /**
   * Starts the node. A sole voter needs nobody's vote: it moves to a new term, votes for
   * itself and leads. Its first entry is a no-op of the new term, whose commit also commits
   * everything before it (Raft §5.4.2, §8) — this is how a restarted node re-commits its log.
   */
  public void start() {
    Check.state(role == RaftRole.FOLLOWER && hardState.term() >= 0, "already started");
    becomeCandidate();
    if (membership.quorum() == 1) {
      becomeLeader();
    }
  }

  /** One logical clock tick. Elections and heartbeats are driven from here once peers exist. */
  public void tick() {
    // A sole voter never times out: it is always its own quorum.
  }

  /** Appends a command; returns its index (its zxid), or -1 when this node is not the leader. */
  public long propose(byte[] command) {
    if (role != RaftRole.LEADER) {
      return -1;
    }
    return log.append(hardState.term(), EntryType.COMMAND, command);
  }

  /** The next batch for the storage thread, or null if nothing is due or one is in flight. */
  public PersistBatch takePersistBatch(int maxEntries) {
    if (persistInFlight || (!hardStateDirty && !log.hasUnpersisted())) {
      return null;
    }
    persistInFlight = true;
    HardState hs = hardStateDirty ? hardState : null;
    hardStateDirty = false;
    return new PersistBatch(hs, 0, log.takeUnpersisted(maxEntries));
  }

  /** The storage thread fsynced {@code batch}. */
  public void persisted(PersistBatch batch) {
    Check.state(persistInFlight, "persisted() without a batch in flight");
    persistInFlight = false;
    if (!batch.entries().isEmpty()) {
      log.stableTo(batch.lastIndex());
    }
    maybeCommit();
  }

  /** Committed, durable entries not yet handed out for apply, in index order. */
  public List<LogEntry> takeCommitted(int maxEntries) {
    long upTo = Math.min(commitIndex, log.stableIndex());
    if (upTo <= appliedIndex) {
      return List.of();
    }
    List<LogEntry> out = log.slice(appliedIndex, upTo, maxEntries);
    appliedIndex += out.size();
    return out;
  }

  /** A snapshot covering {@code index} is durable: the in-memory log before it can go. */
  public void compact(long index) {
    Check.state(index <= appliedIndex, "snapshot at %d is past applied %d", index, appliedIndex);
    log.compactTo(index);
  }

  public RaftRole role() {
    return role;
  }

  public boolean isLeader() {
    return role == RaftRole.LEADER;
  }

  public int leaderId() {
    return leaderId;
  }

  public int selfId() {
    return selfId;
  }

  public long term() {
    return hardState.term();
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

  /** The term of a retained entry (or of the snapshot point). */
  public long termAt(long index) {
    return log.termAt(index);
  }

  /** Entries and bytes retained in memory since the last snapshot: the snapshot trigger. */
  public int retainedEntries() {
    return log.size();
  }

  public long retainedBytes() {
    return log.bytes();
  }

  public Membership membership() {
    return membership;
  }

  private void becomeCandidate() {
    hardState = new HardState(hardState.term() + 1, selfId);
    hardStateDirty = true;
    role = RaftRole.CANDIDATE;
    leaderId = 0;
  }

  private void becomeLeader() {
    role = RaftRole.LEADER;
    leaderId = selfId;
    log.append(hardState.term(), EntryType.NOOP, new byte[0]);
  }

  /**
   * Commit = the highest index stored on a quorum whose entry is from the current term (Raft
   * §5.4.2: entries of earlier terms are committed only indirectly). With one voter the quorum
   * is this node's own stable index.
   */
  private void maybeCommit() {
    if (role != RaftRole.LEADER) {
      return;
    }
    long candidate = log.stableIndex();
    if (candidate > commitIndex && log.termAt(candidate) == hardState.term()) {
      commitIndex = candidate;
    }
  }
}
