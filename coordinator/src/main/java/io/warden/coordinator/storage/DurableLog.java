package io.warden.coordinator.storage;

import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.storage.DiskFormat.InvalidRecordException;
import io.warden.coordinator.storage.RocksDatabase.Family;
import io.warden.coordinator.storage.RocksDatabase.ReadView;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;

/**
 * The Raft log of {@link RocksStorage}: entries in Warden's own segment files
 * ({@link SegmentFiles}), hard state, membership and the first index in RocksDB's {@code meta}.
 *
 * <p>Threading: {@link #append} and {@link #saveMembership} run on the storage thread,
 * {@link #compactPrefix} on the snapshot thread, concurrently. The only shared Java state is
 * the bounds {@code firstIndex..lastIndex}, read and updated under {@code boundsLock} around
 * (never during) the writes; they let {@code append} refuse a gap or an unannounced overwrite
 * at once instead of leaving a log that the next {@link #load} must reject. The segment files
 * guard their own list (see there).
 */
final class DurableLog {
  private final RocksDatabase database;
  private final SegmentFiles files;
  private final ColumnFamilyHandle metaFamily;

  private final Object boundsLock = new Object();
  // Guarded by boundsLock. Set by load(); lastIndex == firstIndex - 1 means an empty log.
  private boolean loaded;
  private long firstIndex = 1;
  private long lastIndex;

  /** One append and one compaction at a time; a second concurrent caller is a bug. */
  private final AtomicBoolean appending = new AtomicBoolean();
  private final AtomicBoolean compacting = new AtomicBoolean();

  DurableLog(RocksDatabase database, SegmentFiles files) {
    this.database = database;
    this.files = files;
    this.metaFamily = database.handle(Family.META);
  }

  /**
   * Reads and verifies everything: the meta records through one point-in-time view, then the
   * segments. Also sets the bounds that {@link #append} checks against: load must run (once,
   * before the writers start) before the log is changed, so a node never builds on a store it
   * has not verified.
   */
  Persisted load() {
    HardState hardState;
    byte[] membership;
    long first;
    long commitHint = 0;
    try (ReadView view = database.openView("loading the log")) {
      ReadOptions read = view.readOptions();
      hardState = readHardState(read);
      membership = readMeta(read, DiskFormat.KEY_MEMBERSHIP);
      byte[] firstIndexValue = readMeta(read, DiskFormat.KEY_FIRST_INDEX);
      if (firstIndexValue == null) {
        throw database.corrupt(Family.META, "key 'first-index'", "record missing");
      }
      first = decodeMeta(DiskFormat.KEY_FIRST_INDEX, firstIndexValue, DiskFormat::unsealLong);
      if (first < 1) {
        throw database.corrupt(Family.META, "key 'first-index'", "impossible value " + first);
      }
      byte[] commitValue = readMeta(read, DiskFormat.KEY_COMMIT);
      if (commitValue != null) {
        commitHint = decodeMeta(DiskFormat.KEY_COMMIT, commitValue, DiskFormat::unsealLong);
        if (commitHint < 0) {
          throw database.corrupt(Family.META, "key 'commit'", "impossible value " + commitHint);
        }
      }
    }
    boolean untouched = hardState.equals(HardState.INITIAL) && first == 1;
    List<LogEntry> entries = files.recover(first, untouched);
    synchronized (boundsLock) {
      firstIndex = first;
      lastIndex = first - 1 + entries.size();
      loaded = true;
    }
    return new Persisted(
        hardState, membership == null ? null : unsealMembership(membership), first, entries, commitHint);
  }

  private HardState readHardState(ReadOptions read) {
    byte[] term = readMeta(read, DiskFormat.KEY_TERM);
    byte[] vote = readMeta(read, DiskFormat.KEY_VOTE);
    if (term == null && vote == null) {
      return HardState.INITIAL;
    }
    if (term == null || vote == null) {
      // Both are written in the same batch, so one alone means the other was lost.
      throw database.corrupt(
          Family.META, "key '" + (term == null ? "term" : "vote") + "'", "record missing");
    }
    long termValue = decodeMeta(DiskFormat.KEY_TERM, term, DiskFormat::unsealLong);
    int voteValue = decodeMeta(DiskFormat.KEY_VOTE, vote, DiskFormat::unsealInt);
    if (termValue < 0 || voteValue < 0) {
      throw database.corrupt(
          Family.META, "key 'term'", "impossible hard state " + termValue + "/" + voteValue);
    }
    return new HardState(termValue, voteValue);
  }

  private byte[] unsealMembership(byte[] value) {
    return decodeMeta(DiskFormat.KEY_MEMBERSHIP, value, DiskFormat::unseal);
  }

  /**
   * Durable before it returns: the hard state (a synced RocksDB write, only when it changed:
   * at elections), then one frame in the segment files holding the truncation of a conflicting
   * suffix and the new entries, fdatasynced. Raft may acknowledge the entries, or vote, as soon
   * as this returns (durable before visible). A crash between the two writes leaves the new
   * hard state without the entries, which is what an earlier, separate persist of the term and
   * vote would have left: Raft is safe with it.
   */
  void append(HardState hardState, long truncateFromIndex, List<LogEntry> entries) {
    append(hardState, truncateFromIndex, entries, true);
  }

  /**
   * {@link #append} with the fsync optional. Only for the JMH benchmark of the append path,
   * which separates the cost of the fsync from the rest (encoding, the write): the LogStore
   * contract needs {@code sync}, so nothing else may pass false.
   */
  void append(HardState hardState, long truncateFromIndex, List<LogEntry> entries, boolean sync) {
    if (entries == null || truncateFromIndex < 0) {
      throw new IllegalArgumentException(
          "entries required and truncateFromIndex >= 0: " + entries + "/" + truncateFromIndex);
    }
    requireContiguous(entries);
    enter(appending, "append");
    try {
      long newLastIndex = planAppend(truncateFromIndex, entries);
      if (hardState != null) {
        database.write(
            describeAppend(hardState, truncateFromIndex, entries),
            sync,
            batch -> {
              batch.put(metaFamily, DiskFormat.KEY_TERM, DiskFormat.sealLong(hardState.term()));
              batch.put(metaFamily, DiskFormat.KEY_VOTE, DiskFormat.sealInt(hardState.votedFor()));
            });
      }
      if (truncateFromIndex > 0 || !entries.isEmpty()) {
        files.append(truncateFromIndex, entries, sync);
      }
      synchronized (boundsLock) {
        // A concurrent compactPrefix beyond our last entry empties the log at its new first.
        lastIndex = Math.max(newLastIndex, firstIndex - 1);
      }
    } finally {
      appending.set(false);
    }
  }

  /**
   * Checks that the entries continue the retained log exactly and returns the resulting last
   * index. Entries that all lie below the first index are accepted and written but never
   * loaded: a concurrent {@link #compactPrefix} (installing a snapshot beyond them) overtook
   * this append, and the snapshot already covers them.
   */
  private long planAppend(long truncateFromIndex, List<LogEntry> entries) {
    synchronized (boundsLock) {
      if (!loaded) {
        throw new IllegalStateException("append before load(): the store must be verified first");
      }
      long retainedLast =
          truncateFromIndex > 0 ? Math.min(lastIndex, truncateFromIndex - 1) : lastIndex;
      retainedLast = Math.max(retainedLast, firstIndex - 1);
      if (entries.isEmpty()) {
        return retainedLast;
      }
      long start = entries.get(0).index();
      long end = entries.get(entries.size() - 1).index();
      if (end < firstIndex) {
        return retainedLast;
      }
      if (Math.max(start, firstIndex) != retainedLast + 1) {
        throw new IllegalStateException(
            "append of entries " + start + ".." + end + " (truncating from "
                + truncateFromIndex + ") does not continue the retained log " + firstIndex
                + ".." + retainedLast + ": a gap, or an overwrite without truncation");
      }
      return end;
    }
  }

  private static String describeAppend(
      HardState hardState, long truncateFromIndex, List<LogEntry> entries) {
    StringBuilder what = new StringBuilder("append of ");
    what.append(entries.isEmpty()
        ? "no entries"
        : "entries " + entries.get(0).index() + ".." + entries.get(entries.size() - 1).index());
    if (truncateFromIndex > 0) {
      what.append(", truncating from index ").append(truncateFromIndex);
    }
    if (hardState != null) {
      what.append(", hard state ").append(hardState.term()).append('/')
          .append(hardState.votedFor());
    }
    return what.toString();
  }

  private static void requireContiguous(List<LogEntry> entries) {
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).index() != entries.get(i - 1).index() + 1) {
        throw new IllegalArgumentException(
            "entries are not contiguous: index " + entries.get(i).index() + " follows "
                + entries.get(i - 1).index());
      }
    }
  }

  void saveMembership(byte[] membership) {
    if (membership == null) {
      throw new IllegalArgumentException("membership is required");
    }
    byte[] value = DiskFormat.seal(membership);
    database.write(
        "saving the membership",
        true,
        batch -> batch.put(metaFamily, DiskFormat.KEY_MEMBERSHIP, value));
  }

  /**
   * Moves {@code first-index} past {@code upToIndex} (a synced write), then deletes the
   * segments whose entries all lie at or below it. The order matters: a crash after the
   * deletion must find the first index already moved, or the log would seem to start above it.
   * Entries at or below it that stay (in the segment still in use) are skipped at recovery.
   */
  /** See LogStore.recordCommit: one unsynced write (RocksDB's WAL reaches the disk with the next synced one). */
  void recordCommit(long commitIndex) {
    if (commitIndex < 0) {
      throw new IllegalArgumentException("commitIndex must not be negative: " + commitIndex);
    }
    database.write("recording commit index " + commitIndex, false,
        batch -> batch.put(metaFamily, DiskFormat.KEY_COMMIT, DiskFormat.sealLong(commitIndex)));
  }

  void compactPrefix(long upToIndex) {
    if (upToIndex < 1) {
      throw new IllegalArgumentException("upToIndex must be positive: " + upToIndex);
    }
    enter(compacting, "compactPrefix");
    try {
      synchronized (boundsLock) {
        if (!loaded) {
          throw new IllegalStateException(
              "compactPrefix before load(): the store must be verified first");
        }
        if (upToIndex < firstIndex) {
          return;
        }
      }
      long newFirstIndex = upToIndex + 1;
      database.write(
          "compaction of the log up to index " + upToIndex,
          true,
          batch -> batch.put(metaFamily, DiskFormat.KEY_FIRST_INDEX, DiskFormat.sealLong(newFirstIndex)));
      synchronized (boundsLock) {
        firstIndex = newFirstIndex;
        lastIndex = Math.max(lastIndex, upToIndex);
      }
      files.deleteCoveredSegments(upToIndex);
    } finally {
      compacting.set(false);
    }
  }

  /** Bytes of the retained segments' frames (including entries a later frame truncated). */
  long sizeBytes() {
    return files.sizeBytes();
  }

  private byte[] readMeta(ReadOptions read, byte[] key) {
    return database.call(
        "reading key '" + DiskFormat.describeMetaKey(key) + "' of " + Family.META.describe(),
        rocks -> rocks.get(metaFamily, read, key));
  }

  @FunctionalInterface
  private interface Decoder<T> {
    T decode(byte[] value) throws InvalidRecordException;
  }

  private <T> T decodeMeta(byte[] key, byte[] value, Decoder<T> decoder) {
    try {
      return decoder.decode(value);
    } catch (InvalidRecordException e) {
      throw database.corrupt(
          Family.META, "key '" + DiskFormat.describeMetaKey(key) + "'", e.getMessage());
    }
  }

  private static void enter(AtomicBoolean flag, String operation) {
    if (!flag.compareAndSet(false, true)) {
      throw new IllegalStateException(
          operation + " called while another " + operation + " is running: the LogStore"
              + " contract allows one at a time (appends on the storage thread, compactions"
              + " on the snapshot thread)");
    }
  }
}
