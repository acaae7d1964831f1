package io.warden.coordinator.raft;

import io.warden.coordinator.util.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * The log as the Raft core sees it: every entry after the latest snapshot, in memory (like
 * etcd's MemoryStorage), so the core never reads the disk. The node bounds the tail by
 * snapshotting every {@code snapCount} entries or log bytes.
 *
 * <p>Persistence marks: {@code persistRequestedIndex} (handed to the storage thread) and
 * {@code stableIndex} (fsynced and still in the log). A follower may truncate entries that are
 * already on disk or on their way there; the truncation then travels in the next batch, and
 * a batch in flight cannot make truncated entries "stable" ({@link #stableTo}).
 *
 * <p>It also tracks the membership in force: that of the last membership entry in the log,
 * committed or not (thesis §4.1), else the snapshot's.
 */
final class RaftLog {
  private record MembershipAt(long index, Membership membership) {
  }

  private long snapshotIndex;
  private long snapshotTerm;
  private Membership snapshotMembership;
  private final ArrayList<LogEntry> entries = new ArrayList<>();
  private final ArrayList<MembershipAt> memberships = new ArrayList<>();
  private long stableIndex;
  private long persistRequestedIndex;
  /** A truncation not yet handed to storage (0 = none). */
  private long pendingTruncateFrom;
  /** Entries above this were truncated while the batch in flight was being written. */
  private long inflightCap = Long.MAX_VALUE;
  private long bytes;

  RaftLog(long snapshotIndex, long snapshotTerm, Membership snapshotMembership, List<LogEntry> stableEntries) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    this.snapshotMembership = snapshotMembership;
    long expect = snapshotIndex + 1;
    for (LogEntry e : stableEntries) {
      if (e.index() <= snapshotIndex) {
        continue; // already covered by the snapshot; compaction may have lagged behind it
      }
      Check.state(e.index() == expect, "log gap: expected index %d, found %d", expect, e.index());
      if (e.term() < lastTerm()) {
        // Terms never go down along a log. This is the divergent suffix that installing the
        // snapshot discarded, kept by a crash before that discard was durable: it was never
        // committed (committed entries after the snapshot carry at least its term). Drop it
        // again, durably with the first batch.
        pendingTruncateFrom = e.index();
        break;
      }
      add(e);
      expect++;
    }
    this.stableIndex = lastIndex();
    this.persistRequestedIndex = stableIndex;
  }

  long lastIndex() {
    return snapshotIndex + entries.size();
  }

  long lastTerm() {
    return entries.isEmpty() ? snapshotTerm : entries.get(entries.size() - 1).term();
  }

  long snapshotIndex() {
    return snapshotIndex;
  }

  long snapshotTerm() {
    return snapshotTerm;
  }

  long stableIndex() {
    return stableIndex;
  }

  long bytes() {
    return bytes;
  }

  int size() {
    return entries.size();
  }

  Membership membership() {
    return memberships.isEmpty() ? snapshotMembership : memberships.get(memberships.size() - 1).membership();
  }

  /** The membership in force at {@code index} (for a snapshot taken there). */
  Membership membershipAt(long index) {
    Membership m = snapshotMembership;
    for (MembershipAt at : memberships) {
      if (at.index() <= index) {
        m = at.membership();
      }
    }
    return m;
  }

  /** Index of the last membership entry after the snapshot, or 0. */
  long lastMembershipIndex() {
    return memberships.isEmpty() ? 0 : memberships.get(memberships.size() - 1).index();
  }

  /** The term of the entry at {@code index}; the snapshot's term at its index; -1 if unknown. */
  long termAt(long index) {
    if (index == snapshotIndex) {
      return snapshotTerm;
    }
    if (index < snapshotIndex || index > lastIndex()) {
      return -1;
    }
    return entries.get((int) (index - snapshotIndex - 1)).term();
  }

  LogEntry entry(long index) {
    Check.state(index > snapshotIndex && index <= lastIndex(),
        "index %d outside retained log (%d, %d]", index, snapshotIndex, lastIndex());
    return entries.get((int) (index - snapshotIndex - 1));
  }

  /** Entries in (fromExclusive, toInclusive], at most {@code maxEntries} and about {@code maxBytes}. */
  List<LogEntry> slice(long fromExclusive, long toInclusive, int maxEntries, long maxBytes) {
    List<LogEntry> out = new ArrayList<>();
    long size = 0;
    for (long i = fromExclusive + 1; i <= toInclusive && out.size() < maxEntries; i++) {
      LogEntry e = entry(i);
      if (!out.isEmpty() && size + e.sizeBytes() > maxBytes) {
        break;
      }
      out.add(e);
      size += e.sizeBytes();
    }
    return out;
  }

  /** Leader: appends a new entry of its term. */
  long append(long term, EntryType type, byte[] data) {
    LogEntry e = new LogEntry(lastIndex() + 1, term, type, data);
    add(e);
    return e.index();
  }

  /**
   * Follower: appends entries that follow a matching (prevIndex, prevTerm). Entries already
   * present with the same term are skipped; at the first conflict the suffix is truncated
   * (never at or below {@code commitIndex}: that would lose a committed entry). Returns whether
   * the log changed (duplicates change nothing).
   */
  boolean appendFollower(List<LogEntry> incoming, long commitIndex) {
    boolean changed = false;
    for (LogEntry e : incoming) {
      if (e.index() <= snapshotIndex) {
        continue;
      }
      long existing = termAt(e.index());
      if (existing == e.term()) {
        continue;
      }
      if (existing != -1) {
        Check.state(e.index() > commitIndex,
            "refusing to truncate committed entry %d (commit %d)", e.index(), commitIndex);
        truncateFrom(e.index());
      }
      Check.state(e.index() == lastIndex() + 1, "append at %d leaves a gap after %d", e.index(), lastIndex());
      add(e);
      changed = true;
    }
    return changed;
  }

  /** Does our log hold an entry at {@code index} with {@code term} (the append consistency check)? */
  boolean matches(long index, long term) {
    return termAt(index) == term;
  }

  /**
   * Where a leader should retry after a mismatch at {@code index}: the first index of our term
   * there (so a whole divergent term is skipped at once), or our last index + 1 if we are short.
   */
  long conflictHint(long index) {
    if (index > lastIndex()) {
      return lastIndex() + 1;
    }
    long term = termAt(index);
    long i = index;
    while (i - 1 > snapshotIndex && termAt(i - 1) == term) {
      i--;
    }
    return Math.max(i, snapshotIndex + 1);
  }

  /** Entries not yet handed to storage, with any pending truncation; marks them requested. */
  PersistBatch takeUnpersisted(HardState hardState, long seq, long commitIndex) {
    List<LogEntry> out = new ArrayList<>(slice(persistRequestedIndex, lastIndex(), Integer.MAX_VALUE, Long.MAX_VALUE));
    PersistBatch b = new PersistBatch(hardState, pendingTruncateFrom, out, seq, commitIndex);
    persistRequestedIndex = lastIndex();
    pendingTruncateFrom = 0;
    inflightCap = Long.MAX_VALUE;
    return b;
  }

  boolean hasUnpersisted() {
    return persistRequestedIndex < lastIndex() || pendingTruncateFrom != 0;
  }

  /** The batch was fsynced; its entries are stable unless truncated meanwhile. */
  void persisted(PersistBatch batch) {
    if (batch.entries().isEmpty()) {
      return;
    }
    long upTo = Math.min(batch.lastIndex(), Math.min(inflightCap, persistRequestedIndex));
    if (upTo > stableIndex) {
      stableIndex = upTo;
    }
  }

  /**
   * Installs a snapshot at (index, term): entries it covers go; the suffix after it survives
   * only if our entry at {@code index} has the snapshot's term (thesis §5.1: otherwise the
   * whole log is discarded, not merely truncated). Returns whether a truncation must now be
   * made durable.
   */
  boolean restore(long index, long term, Membership membership) {
    boolean keepSuffix = termAt(index) == term && index <= lastIndex();
    if (keepSuffix) {
      compactTo(index);
      snapshotMembership = membership;
      return false;
    }
    boolean truncate = false;
    if (lastIndex() > index || persistRequestedIndex > index) {
      // a divergent suffix may be on disk: it must go with the next batch
      long from = index + 1;
      pendingTruncateFrom = pendingTruncateFrom == 0 ? from : Math.min(pendingTruncateFrom, from);
      truncate = true;
    }
    entries.clear();
    memberships.clear();
    bytes = 0;
    snapshotIndex = index;
    snapshotTerm = term;
    snapshotMembership = membership;
    stableIndex = index;
    persistRequestedIndex = index;
    inflightCap = Math.min(inflightCap, index);
    return truncate;
  }

  /** Forgets entries up to {@code index}, which a committed snapshot now covers. */
  void compactTo(long index) {
    if (index <= snapshotIndex) {
      return;
    }
    Check.state(index <= lastIndex(), "cannot compact past the last index (%d > %d)", index, lastIndex());
    long term = termAt(index);
    Membership m = membershipAt(index);
    int drop = (int) (index - snapshotIndex);
    for (int i = 0; i < drop; i++) {
      bytes -= entries.get(i).sizeBytes();
    }
    entries.subList(0, drop).clear();
    memberships.removeIf(at -> at.index() <= index);
    snapshotIndex = index;
    snapshotTerm = term;
    snapshotMembership = m;
  }

  private void add(LogEntry e) {
    entries.add(e);
    bytes += e.sizeBytes();
    if (e.type() == EntryType.MEMBERSHIP) {
      memberships.add(new MembershipAt(e.index(), Membership.decode(e.data())));
    }
  }

  private void truncateFrom(long index) {
    while (lastIndex() >= index) {
      LogEntry last = entries.remove(entries.size() - 1);
      bytes -= last.sizeBytes();
    }
    memberships.removeIf(at -> at.index() >= index);
    if (index <= persistRequestedIndex) {
      pendingTruncateFrom = pendingTruncateFrom == 0 ? index : Math.min(pendingTruncateFrom, index);
      persistRequestedIndex = index - 1;
    }
    stableIndex = Math.min(stableIndex, index - 1);
    inflightCap = Math.min(inflightCap, index - 1);
  }
}
