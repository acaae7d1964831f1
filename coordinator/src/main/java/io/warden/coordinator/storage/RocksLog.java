package io.warden.coordinator.storage;

import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.storage.DiskFormat.InvalidRecordException;
import io.warden.coordinator.storage.RocksDatabase.Family;
import io.warden.coordinator.storage.RocksDatabase.ReadView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Range;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * The Raft log ({@code log}) and hard state ({@code meta}) of {@link RocksStorage}.
 *
 * <p>Threading: {@link #append} and {@link #saveMembership} run on the storage thread,
 * {@link #compactPrefix} on the snapshot thread, concurrently. They touch disjoint keys (the
 * suffix and term/vote/membership, versus the prefix and first-index), RocksDB orders their
 * batches, and neither holds a lock while writing. The only shared Java state is the bounds
 * {@code firstIndex..lastIndex}, read and updated under {@code boundsLock} around (never
 * during) the writes; they let {@code append} refuse a gap or an unannounced overwrite at once
 * instead of leaving a log that the next {@link #load} must reject.
 */
final class RocksLog {
  private final RocksDatabase database;
  private final ColumnFamilyHandle logFamily;
  private final ColumnFamilyHandle metaFamily;

  private final Object boundsLock = new Object();
  // Guarded by boundsLock. Set by load(); lastIndex == firstIndex - 1 means an empty log.
  private boolean loaded;
  private long firstIndex = 1;
  private long lastIndex;

  /** One append and one compaction at a time; a second concurrent caller is a bug. */
  private final AtomicBoolean appending = new AtomicBoolean();
  private final AtomicBoolean compacting = new AtomicBoolean();

  RocksLog(RocksDatabase database) {
    this.database = database;
    this.logFamily = database.handle(Family.LOG);
    this.metaFamily = database.handle(Family.META);
  }

  /**
   * Reads and verifies everything through one point-in-time view. Also sets the bounds that
   * {@link #append} checks against: load must run (once, before the writers start) before
   * the log is changed, so a node never builds on a store it has not verified.
   */
  Persisted load() {
    try (ReadView view = database.openView("loading the log")) {
      ReadOptions read = view.readOptions();
      HardState hardState = readHardState(read);
      byte[] membership = readMeta(read, DiskFormat.KEY_MEMBERSHIP);
      byte[] firstIndexValue = readMeta(read, DiskFormat.KEY_FIRST_INDEX);
      if (firstIndexValue == null) {
        throw database.corrupt(Family.META, "key 'first-index'", "record missing");
      }
      long first = decodeMeta(DiskFormat.KEY_FIRST_INDEX, firstIndexValue, DiskFormat::unsealLong);
      if (first < 1) {
        throw database.corrupt(Family.META, "key 'first-index'", "impossible value " + first);
      }
      List<LogEntry> entries = readEntries(read, first);
      synchronized (boundsLock) {
        firstIndex = first;
        lastIndex = first - 1 + entries.size();
        loaded = true;
      }
      return new Persisted(
          hardState,
          membership == null ? null : unsealMembership(membership),
          first,
          List.copyOf(entries));
    }
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
   * The entries from {@code first} on, which must be contiguous with non-decreasing terms
   * (Raft's log matching property; a decrease can only be damage). Entries below
   * {@code first} are ignored: they are covered by a snapshot (see {@link #compactPrefix}).
   */
  private List<LogEntry> readEntries(ReadOptions read, long first) {
    return database.call(
        "reading " + Family.LOG.describe(),
        rocks -> {
          List<LogEntry> entries = new ArrayList<>();
          try (RocksIterator iterator = rocks.newIterator(logFamily, read)) {
            long previousTerm = 0;
            for (iterator.seek(DiskFormat.indexKey(first)); iterator.isValid(); iterator.next()) {
              long expected = first + entries.size();
              LogEntry entry = decodeLogRecord(expected, iterator.key(), iterator.value());
              if (entry.term() < previousTerm) {
                throw database.corrupt(
                    Family.LOG, "index " + expected, "term " + entry.term()
                        + " is lower than term " + previousTerm + " of the entry before it");
              }
              previousTerm = entry.term();
              entries.add(entry);
            }
            iterator.status();
          }
          return entries;
        });
  }

  private LogEntry decodeLogRecord(long expected, byte[] key, byte[] value) {
    long index = DiskFormat.indexOfKey(key);
    if (index <= 0) {
      throw database.corrupt(
          Family.LOG, "the key after index " + (expected - 1), "malformed key of "
              + key.length + " bytes");
    }
    if (index != expected) {
      throw database.corrupt(
          Family.LOG, "index " + expected, "record missing (gap: the next record is at index "
              + index + ")");
    }
    try {
      return DiskFormat.decodeEntry(index, value);
    } catch (InvalidRecordException e) {
      throw database.corrupt(Family.LOG, "index " + index, e.getMessage());
    }
  }

  /**
   * One synced batch: hard state, truncation of the conflicting suffix (a range deletion, so
   * its cost does not depend on the suffix length) and the new entries. Raft may acknowledge
   * the entries, or vote, as soon as this returns (durable before visible).
   */
  void append(HardState hardState, long truncateFromIndex, List<LogEntry> entries) {
    append(hardState, truncateFromIndex, entries, true);
  }

  /**
   * {@link #append} with the fsync optional. Only for the JMH benchmark of the append path,
   * which separates the cost of the fsync from the rest (batch building, encoding, RocksDB's
   * write): the LogStore contract needs {@code sync}, so nothing else may pass false.
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
      database.write(
          describeAppend(hardState, truncateFromIndex, entries),
          sync,
          batch -> fillAppend(batch, hardState, truncateFromIndex, entries));
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

  private void fillAppend(
      WriteBatch batch,
      HardState hardState,
      long truncateFromIndex,
      List<LogEntry> entries)
      throws RocksDBException {
    if (hardState != null) {
      batch.put(metaFamily, DiskFormat.KEY_TERM, DiskFormat.sealLong(hardState.term()));
      batch.put(metaFamily, DiskFormat.KEY_VOTE, DiskFormat.sealInt(hardState.votedFor()));
    }
    if (truncateFromIndex > 0) {
      batch.deleteRange(logFamily, DiskFormat.indexKey(truncateFromIndex), DiskFormat.LOG_KEY_END);
    }
    for (LogEntry entry : entries) {
      batch.put(logFamily, DiskFormat.indexKey(entry.index()), DiskFormat.encodeEntry(entry));
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
   * Deletes the prefix up to {@code upToIndex} (from key 0, which also removes entries a
   * racing append left below the old first index) and moves {@code first-index} past it, in
   * one batch.
   *
   * <p>Not synced, as the LogStore contract allows, and safe: the batch is one WAL record, so
   * after a crash both halves survive or neither does. Losing it only brings back entries the
   * committed snapshot covers, which are committed and identical on every replica; the next
   * compaction deletes them. The halves cannot be split across families by a flush either:
   * with several column families RocksDB syncs the closed WALs before it installs a flush, so
   * a flushed {@code log} never outlives the unsynced {@code meta} half of the same batch.
   * And the next synced append makes it durable anyway, because an fsync of the WAL persists
   * every record before it. Recovery redoes the compaction of the latest snapshot, so a lost
   * one does not leave the bounds below the snapshot, where the next append would be a gap.
   */
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
          false,
          batch -> {
            batch.deleteRange(
                logFamily, DiskFormat.indexKey(0), DiskFormat.indexKey(newFirstIndex));
            batch.put(metaFamily, DiskFormat.KEY_FIRST_INDEX, DiskFormat.sealLong(newFirstIndex));
          });
      synchronized (boundsLock) {
        firstIndex = newFirstIndex;
        lastIndex = Math.max(lastIndex, upToIndex);
      }
    } finally {
      compacting.set(false);
    }
  }

  /**
   * RocksDB's estimate of the bytes of keys {@code firstIndex..} in memtables and SSTs. It
   * reads file metadata and samples memtables, no data blocks, so it is cheap; it reflects a
   * compaction of the prefix immediately (the range starts after it), though a truncated
   * suffix still counts until RocksDB compacts it away.
   */
  long sizeBytes() {
    long first;
    synchronized (boundsLock) {
      first = firstIndex;
    }
    return database.call(
        "estimating the size of " + Family.LOG.describe(),
        rocks -> {
          try (Slice start = new Slice(DiskFormat.indexKey(first));
              Slice end = new Slice(DiskFormat.LOG_KEY_END)) {
            long[] sizes =
                rocks.getApproximateSizes(
                    logFamily,
                    List.of(new Range(start, end)),
                    SizeApproximationFlag.INCLUDE_MEMTABLES,
                    SizeApproximationFlag.INCLUDE_FILES);
            return sizes[0];
          }
        });
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
