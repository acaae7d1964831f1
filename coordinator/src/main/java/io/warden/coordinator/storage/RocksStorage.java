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
 * A node's durable state in one RocksDB instance (DESIGN.md §4): the Raft log in column family
 * {@code log}, hard state, membership, first index and snapshot manifests in {@code meta},
 * snapshot chunks in {@code snapshot}. Every value carries a CRC32C; the layout of keys and
 * values is in {@link DiskFormat}.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li><b>Storage thread</b>: {@link #load()} (once, at start, before the other threads use
 *       the store), {@link #append}, {@link #saveMembership}. Each is one synced batch.
 *   <li><b>Snapshot thread</b>: {@link #begin} and the sink it returns, {@link #compactPrefix}
 *       (unsynced batches, plus one synced commit per snapshot).
 *   <li><b>Any thread</b>: {@link #latest()}, {@link #openLatest()} (the source is then
 *       confined to its reader), {@link #sizeBytes()}, {@link #close()}.
 * </ul>
 *
 * No lock is held while RocksDB writes or syncs, except the shared half of the close guard
 * (see {@link RocksDatabase}), which only {@code close()} waits for. The storage and snapshot
 * threads write disjoint keys; RocksDB serializes their batches in its write queue, and each
 * batch is atomic. The log's bounds are the only Java state they share ({@link RocksLog}).
 * {@code close()} waits for calls in flight; later calls throw {@code StorageException}.
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
  private final RocksDatabase database;
  private final RocksLog log;
  private final RocksSnapshots snapshots;

  private RocksStorage(RocksDatabase database, RocksLog log, RocksSnapshots snapshots) {
    this.database = database;
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
    try {
      StoreFormat.initializeOrVerify(database);
      RocksSnapshots snapshots = new RocksSnapshots(database, options);
      snapshots.collectGarbage();
      return new RocksStorage(database, new RocksLog(database), snapshots);
    } catch (RuntimeException e) {
      try {
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

  /** Closes the database and releases every native handle; idempotent. */
  @Override
  public void close() {
    database.close();
  }
}
