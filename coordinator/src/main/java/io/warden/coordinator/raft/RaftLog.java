package io.warden.coordinator.raft;

import io.warden.coordinator.util.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * The log as the Raft core sees it: every entry after the latest snapshot, in memory (like
 * etcd's MemoryStorage). Keeping the tail in memory means the core never reads the disk; the
 * node bounds the tail by snapshotting every {@code snapCount} entries or log bytes.
 *
 * <p>Three marks move forward through it: {@code persistRequested} (handed to the storage
 * thread), {@code stable} (fsynced) and, in {@link RaftCore}, commit and applied.
 */
final class RaftLog {
  private long snapshotIndex;
  private long snapshotTerm;
  private final ArrayList<LogEntry> entries = new ArrayList<>();
  private long stableIndex;
  private long persistRequestedIndex;
  private long bytes;

  RaftLog(long snapshotIndex, long snapshotTerm, List<LogEntry> stableEntries) {
    this.snapshotIndex = snapshotIndex;
    this.snapshotTerm = snapshotTerm;
    long expect = snapshotIndex + 1;
    for (LogEntry e : stableEntries) {
      if (e.index() <= snapshotIndex) {
        continue; // already covered by the snapshot; compaction may have lagged behind it
      }
      Check.state(e.index() == expect, "log gap: expected index %d, found %d", expect, e.index());
      entries.add(e);
      bytes += e.sizeBytes();
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

  long stableIndex() {
    return stableIndex;
  }

  long bytes() {
    return bytes;
  }

  int size() {
    return entries.size();
  }

  /** The term of the entry at {@code index}; the snapshot's term at its index. */
  long termAt(long index) {
    if (index == snapshotIndex) {
      return snapshotTerm;
    }
    return entry(index).term();
  }

  LogEntry entry(long index) {
    Check.state(index > snapshotIndex && index <= lastIndex(),
        "index %d outside retained log (%d, %d]", index, snapshotIndex, lastIndex());
    return entries.get((int) (index - snapshotIndex - 1));
  }

  /** Entries in (fromExclusive, toInclusive], at most {@code max} of them. */
  List<LogEntry> slice(long fromExclusive, long toInclusive, int max) {
    long to = Math.min(toInclusive, fromExclusive + max);
    List<LogEntry> out = new ArrayList<>((int) Math.max(0, to - fromExclusive));
    for (long i = fromExclusive + 1; i <= to; i++) {
      out.add(entry(i));
    }
    return out;
  }

  long append(long term, EntryType type, byte[] data) {
    LogEntry e = new LogEntry(lastIndex() + 1, term, type, data);
    entries.add(e);
    bytes += e.sizeBytes();
    return e.index();
  }

  /** Entries not yet handed to storage; marks them as requested. */
  List<LogEntry> takeUnpersisted(int maxEntries) {
    List<LogEntry> out = slice(persistRequestedIndex, lastIndex(), maxEntries);
    persistRequestedIndex += out.size();
    return out;
  }

  boolean hasUnpersisted() {
    return persistRequestedIndex < lastIndex();
  }

  void stableTo(long index) {
    Check.state(index >= stableIndex && index <= persistRequestedIndex,
        "stable index %d must be in [%d, %d]", index, stableIndex, persistRequestedIndex);
    stableIndex = index;
  }

  /** Forgets entries up to {@code index}, which a committed snapshot now covers. */
  void compactTo(long index) {
    Check.state(index <= stableIndex, "cannot compact past the stable index (%d > %d)", index, stableIndex);
    if (index <= snapshotIndex) {
      return;
    }
    long term = termAt(index);
    int drop = (int) (index - snapshotIndex);
    for (int i = 0; i < drop; i++) {
      bytes -= entries.get(i).sizeBytes();
    }
    entries.subList(0, drop).clear();
    snapshotIndex = index;
    snapshotTerm = term;
  }
}
