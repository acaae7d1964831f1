package io.warden.coordinator.storage;

import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.node.LogStore;
import io.warden.coordinator.node.SnapshotMeta;
import io.warden.coordinator.node.SnapshotStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's durable state (DESIGN.md §4): the Raft log's entries in segment files under
 * {@code raft-log/} ({@link SegmentFiles}); in one RocksDB instance, hard state, membership,
 * first index and snapshot manifests in column family {@code meta}, snapshot chunks in
 * {@code snapshot}. Every record carries a CRC32C; the layout of RocksDB's keys and values is
 * in {@link DiskFormat}, the segments' in {@link SegmentFiles}.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li><b>Storage thread</b>: {@link #load()} (once, at start, before the other threads use
 *       the store), {@link #append}, {@link #saveMembership}. Each is one synced batch.
 *   <li><b>Snapshot thread</b>: {@link #begin} and the sink it returns, {@link #compactPrefix}
 *       (unsynced batches, plus one synced commit per snapshot, and a synced
 *       first index before covered segments are deleted).
 *   <li><b>Any thread</b>: {@link #latest()}, {@link #openLatest()} (the source is then
 *       confined to its reader), {@link #sizeBytes()}, {@link #close()}.
 * </ul>
 *
 * No lock is held while RocksDB or the segment files write or sync, except the shared halves
 * of the close guards (see {@link RocksDatabase} and {@link SegmentFiles}), which only
 * {@code close()} waits for. The storage and snapshot threads write disjoint keys and files:
 * RocksDB serializes their batches, the snapshot thread deletes only segments the storage
 * thread has left. The log's bounds and the segment list are the only Java state they share
 * ({@link DurableLog}, {@link SegmentFiles}). {@code close()} waits for calls in flight; later
 * calls throw {@code StorageException}.
 *
 * <h2>Failures</h2>
 *
 * A record that fails verification throws {@code CorruptStorageException} naming the column
 * family and key; an engine failure throws {@code StorageException} naming the operation and
 * directory. Both are fatal for the node. Misuse (a gap in appended entries, a second
 * concurrent append, a snapshot not newer than the latest) throws {@code
 * IllegalStateException} / {@code IllegalArgumentException}.
 */
public final class RocksStorage implements LogStore, SnapshotStore {
  /** The segment directory, inside the store's directory (RocksDB ignores what it did not write). */
  static final String LOG_DIRECTORY = "raft-log";

  private final RocksDatabase database;
  private final SegmentFiles segments;
  private final DurableLog log;
  private final RocksSnapshots snapshots;

  private RocksStorage(
      RocksDatabase database, SegmentFiles segments, DurableLog log, RocksSnapshots snapshots) {
    this.database = database;
    this.segments = segments;
    this.log = log;
    this.snapshots = snapshots;
  }

  /**
   * Opens the store in {@code directory}, creating it (and the column families) on first use,
   * verifying the format version otherwise, and removing snapshot chunks no commit claims.
   * The log is verified by {@link #load()}, which must precede {@link #append}.
   */
  public static RocksStorage open(Path directory, StorageOptions options) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(options, "options");
    RocksDatabase database = RocksDatabase.open(directory.toAbsolutePath(), options);
    SegmentFiles segments = null;
    try {
      Path logDirectory = directory.toAbsolutePath().resolve(LOG_DIRECTORY);
      StoreFormat.initializeOrVerify(
          database, () -> SegmentFiles.refuseLeftoverSegments(logDirectory));
      segments = SegmentFiles.open(logDirectory, options.logSegmentBytes());
      RocksSnapshots snapshots = new RocksSnapshots(database, options);
      snapshots.collectGarbage();
      return new RocksStorage(database, segments, new DurableLog(database, segments), snapshots);
    } catch (RuntimeException e) {
      try {
        if (segments != null) {
          segments.close();
        }
        database.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  public Path directory() {
    return database.directory();
  }

  @Override
  public Persisted load() {
    return log.load();
  }

  @Override
  public void append(HardState hardState, long truncateFromIndex, List<LogEntry> entries) {
    log.append(hardState, truncateFromIndex, entries);
  }

  @Override
  public void saveMembership(byte[] membership) {
    log.saveMembership(membership);
  }

  @Override
  public void recordCommit(long commitIndex) {
    log.recordCommit(commitIndex);
  }

  @Override
  public void compactPrefix(long upToIndex) {
    log.compactPrefix(upToIndex);
  }

  @Override
  public long sizeBytes() {
    return log.sizeBytes();
  }

  @Override
  public SnapshotSink begin(long index, long term, byte[] membership) {
    return snapshots.begin(index, term, membership);
  }

  @Override
  public Optional<SnapshotSource> openLatest() {
    return snapshots.openLatest();
  }

  @Override
  public Optional<SnapshotMeta> latest() {
    return snapshots.latest();
  }

  /** Closes the segment files and the database, releasing every native handle; idempotent. */
  @Override
  public void close() {
    try {
      segments.close();
    } finally {
      database.close();
    }
  }
}
