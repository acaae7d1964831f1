package io.warden.coordinator.storage;

import io.warden.coordinator.node.CorruptStorageException;
import io.warden.coordinator.node.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One node's RocksDB instance: the engine handle, its three column families, every native
 * option object, and the rules for calling into it safely.
 *
 * <p><b>Close guard.</b> A RocksJava handle used after {@code close()} is a use-after-free in
 * native code (a JVM crash, not an exception). Every call therefore runs under the read half
 * of a read-write lock and checks {@code closed}; {@link #close()} takes the write half, so it
 * waits for calls in flight and later calls fail with a {@link StorageException}. The read
 * half is shared: the storage and snapshot threads never wait for each other here, only
 * {@code close()} waits for them.
 *
 * <p><b>Errors.</b> A {@link RocksDBException} becomes a {@link StorageException} naming the
 * operation and the directory, except RocksDB's own {@code Corruption} status (a bad block
 * checksum, a damaged WAL or manifest), which becomes a {@link CorruptStorageException}: the
 * node must not serve from a store RocksDB itself cannot read.
 */
final class RocksDatabase implements AutoCloseable {

  /** The column families of DESIGN.md §4. */
  enum Family {
    /**
     * Format 1's Raft log. Empty since format 2 keeps the log in {@link SegmentFiles}; still
     * opened so that a format-1 store is refused by its version, with a message that says
     * so, rather than by RocksDB's complaint about a family nobody opened.
     */
    LOG("log"),
    META("meta"),
    SNAPSHOT("snapshot");

    private final String label;

    Family(String label) {
      this.label = label;
    }

    byte[] nameBytes() {
      return label.getBytes(StandardCharsets.US_ASCII);
    }

    /** How messages name it: {@code column family 'log'}. */
    String describe() {
      return "column family '" + label + "'";
    }
  }

  /** A call into RocksDB, run by {@link #call} under the close guard. */
  @FunctionalInterface
  interface RocksCall<T> {
    T call(RocksDB db) throws RocksDBException;
  }

  /** Fills a batch that {@link #write} then applies atomically. */
  @FunctionalInterface
  interface BatchBuilder {
    void fill(WriteBatch batch) throws RocksDBException;
  }

  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  private final Path directory;
  private final RocksDB db;
  private final Map<Family, ColumnFamilyHandle> handles;
  /** Option objects and the cache, closed after the database, in reverse creation order. */
  private final List<AutoCloseable> owned;
  private final WriteOptions syncWrites;
  private final WriteOptions bufferedWrites;
  private final Set<ReadView> openViews = ConcurrentHashMap.newKeySet();
  private final ReentrantReadWriteLock closeGuard = new ReentrantReadWriteLock();
  /** Guarded by {@link #closeGuard}: written under the write lock, read under either. */
  private boolean closed;

  private RocksDatabase(
      Path directory,
      RocksDB db,
      Map<Family, ColumnFamilyHandle> handles,
      List<AutoCloseable> owned,
      WriteOptions syncWrites,
      WriteOptions bufferedWrites) {
    this.directory = directory;
    this.db = db;
    this.handles = handles;
    this.owned = owned;
    this.syncWrites = syncWrites;
    this.bufferedWrites = bufferedWrites;
  }

  /**
   * Opens the store in {@code directory}, creating the database and its column families only
   * if the directory holds no database yet. An existing database that lacks one of them is
   * refused (RocksDB reports the missing family) rather than silently given an empty log.
   */
  static RocksDatabase open(Path directory, StorageOptions options) {
    RocksDB.loadLibrary();
    createDirectory(directory);
    boolean fresh = !Files.exists(directory.resolve("CURRENT"));
    List<AutoCloseable> owned = new ArrayList<>();
    List<ColumnFamilyHandle> handleList = new ArrayList<>();
    try {
      Cache cache = own(owned, new LRUCache(options.blockCacheBytes()));
      DBOptions dbOptions = own(owned, databaseOptions(options, fresh));
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      // RocksDB always has the default family and requires opening it; Warden leaves it empty.
      descriptors.add(
          new ColumnFamilyDescriptor(
              RocksDB.DEFAULT_COLUMN_FAMILY, own(owned, new ColumnFamilyOptions())));
      for (Family family : Family.values()) {
        ColumnFamilyOptions familyOptions = own(owned, familyOptions(family, options, cache));
        descriptors.add(new ColumnFamilyDescriptor(family.nameBytes(), familyOptions));
      }
      RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, handleList);
      Map<Family, ColumnFamilyHandle> handles = new EnumMap<>(Family.class);
      for (Family family : Family.values()) {
        handles.put(family, handleList.get(family.ordinal() + 1));
      }
      WriteOptions syncWrites = own(owned, new WriteOptions().setSync(true));
      WriteOptions bufferedWrites = own(owned, new WriteOptions().setSync(false));
      return new RocksDatabase(directory, db, handles, owned, syncWrites, bufferedWrites);
    } catch (RocksDBException | RuntimeException e) {
      handleList.forEach(ColumnFamilyHandle::close);
      throw closeAll(
          owned,
          new StorageException(
              "opening RocksDB in " + directory + " failed: " + e.getMessage(), e));
    }
  }

  /**
   * Database-wide options. Each choice, and why:
   *
   * <ul>
   *   <li>WAL on (the default) and point-in-time recovery: after a crash RocksDB replays the WAL
   *       up to the first torn record, i.e. a prefix of the writes. Every synced write is in
   *       that prefix, and so is every write that preceded it.
   *   <li>max_open_files 256: keeps file descriptors bounded when many nodes share a process.
   *   <li>max_background_jobs 2: one flush and one compaction; the machines are small and the
   *       write rate of a coordinator is low.
   *   <li>bytes_per_sync / wal_bytes_per_sync 1 MiB: start write-back of SSTs and of unsynced
   *       WAL bytes (snapshot chunks) early, so the final fsync of a flush or of a snapshot
   *       commit does not stall on a large dirty range.
   *   <li>db_write_buffer_size and max_total_wal_size: bound memtable memory for the whole
   *       instance, and force a flush of a rarely written family (meta) so it cannot pin old
   *       WAL files forever.
   *   <li>info log rotated and bounded; no periodic statistics dump (metrics come from us).
   * </ul>
   */
  private static DBOptions databaseOptions(StorageOptions options, boolean fresh) {
    return new DBOptions()
        .setCreateIfMissing(fresh)
        .setCreateMissingColumnFamilies(fresh)
        .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
        .setMaxOpenFiles(256)
        .setMaxBackgroundJobs(2)
        .setBytesPerSync(MIB)
        .setWalBytesPerSync(MIB)
        .setDbWriteBufferSize(2 * options.writeBufferBytes())
        .setMaxTotalWalSize(4 * options.writeBufferBytes())
        .setKeepLogFileNum(4)
        .setMaxLogFileSize(4 * MIB)
        .setStatsDumpPeriodSec(0);
  }

  /**
   * Per-family options. All families use leveled compaction with dynamic level sizes (the
   * least space amplification) and share one small block cache that also holds index blocks,
   * so a node's read memory is bounded by {@code blockCacheBytes}. Meta is not compressed: a
   * few small keys. Snapshot
   * chunks are the bulk of the data and stay until retention drops them: LZ4 costs little
   * CPU, and serialized trees (paths with shared prefixes, repeated field layouts) compress.
   */
  private static ColumnFamilyOptions familyOptions(
      Family family, StorageOptions options, Cache cache) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setCacheIndexAndFilterBlocks(true)
            .setBlockSize(16 * KIB);
    long writeBufferBytes = options.writeBufferBytes();
    if (family != Family.SNAPSHOT) {
      writeBufferBytes = Math.min(writeBufferBytes, MIB); // a few tiny keys, or none
    }
    return new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setCompactionStyle(CompactionStyle.LEVEL)
        .setLevelCompactionDynamicLevelBytes(true)
        .setWriteBufferSize(writeBufferBytes)
        .setMaxWriteBufferNumber(2)
        .setCompressionType(
            family == Family.SNAPSHOT
                ? CompressionType.LZ4_COMPRESSION
                : CompressionType.NO_COMPRESSION);
  }

  Path directory() {
    return directory;
  }

  ColumnFamilyHandle handle(Family family) {
    return handles.get(family);
  }

  /**
   * Runs {@code call} against the open database, translating engine failures. {@code what}
   * names the operation and record for messages, e.g. "append of entries 5..9".
   */
  <T> T call(String what, RocksCall<T> call) {
    Lock lock = closeGuard.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new StorageException(what + ": the store in " + directory + " is closed", null);
      }
      return call.call(db);
    } catch (RocksDBException e) {
      throw translate(what, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes one batch atomically (one WAL record). With {@code sync} the WAL is fsynced before
   * this returns, and with it every earlier record: RocksDB syncs all live WAL files for a
   * synced write, not only the current one.
   */
  void write(String what, boolean sync, BatchBuilder builder) {
    call(what, rocks -> writeBatch(rocks, sync, builder));
  }

  /** Like {@link #write}, but does nothing and returns false if the store is closed. */
  boolean writeIfOpen(String what, boolean sync, BatchBuilder builder) {
    Lock lock = closeGuard.readLock();
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      writeBatch(db, sync, builder);
      return true;
    } catch (RocksDBException e) {
      throw translate(what, e);
    } finally {
      lock.unlock();
    }
  }

  private Void writeBatch(RocksDB rocks, boolean sync, BatchBuilder builder)
      throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      builder.fill(batch);
      if (batch.count() > 0) {
        rocks.write(sync ? syncWrites : bufferedWrites, batch);
      }
    }
    return null;
  }

  /**
   * The exception for a stored record that failed verification; the message names the column
   * family and the record, e.g. "corrupt record in column family 'log' at index 1234: CRC
   * mismatch".
   */
  CorruptStorageException corrupt(Family family, String record, String reason) {
    return new CorruptStorageException(
        "corrupt record in " + family.describe() + " at " + record + ": " + reason
            + " (store " + directory + ")");
  }

  /** Opens a point-in-time view; reads through it ignore later writes and deletions. */
  ReadView openView(String what) {
    return call(
        what,
        rocks -> {
          Snapshot snapshot = rocks.getSnapshot();
          ReadView view = new ReadView(snapshot, new ReadOptions().setSnapshot(snapshot));
          openViews.add(view);
          return view;
        });
  }

  /**
   * A RocksDB snapshot and the read options that use it. While open, RocksDB keeps every
   * value visible to it, even ones deleted since: this is what lets a reader stream a
   * snapshot that retention has just dropped. Must be closed; {@link RocksDatabase#close()}
   * releases views still open.
   */
  final class ReadView implements AutoCloseable {
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    private final AtomicBoolean released = new AtomicBoolean();

    private ReadView(Snapshot snapshot, ReadOptions readOptions) {
      this.snapshot = snapshot;
      this.readOptions = readOptions;
    }

    ReadOptions readOptions() {
      return readOptions;
    }

    @Override
    public void close() {
      Lock lock = closeGuard.readLock();
      lock.lock();
      try {
        release();
      } finally {
        lock.unlock();
      }
    }

    /** Caller holds the close guard (either half), so the database is alive or released us. */
    private void release() {
      if (released.compareAndSet(false, true)) {
        openViews.remove(this);
        db.releaseSnapshot(snapshot);
        snapshot.close();
        readOptions.close();
      }
    }
  }

  /**
   * Releases open views, then the database (RocksDB flushes memtables on close, which only
   * shortens the next open: every write is already in the WAL), then the option objects.
   * Idempotent; waits for calls in flight.
   */
  @Override
  public void close() {
    Lock lock = closeGuard.writeLock();
    lock.lock();
    StorageException failure = null;
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (ReadView view : List.copyOf(openViews)) {
        view.release();
      }
      handles.values().forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } catch (RocksDBException e) {
        failure = new StorageException("closing RocksDB in " + directory + " failed", e);
      }
      failure = closeAll(owned, failure);
    } finally {
      lock.unlock();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private RuntimeException translate(String what, RocksDBException e) {
    Status status = e.getStatus();
    if (status != null && status.getCode() == Status.Code.Corruption) {
      CorruptStorageException corrupt =
          new CorruptStorageException(
              what + " in " + directory + ": RocksDB reports corruption: " + e.getMessage());
      corrupt.initCause(e);
      return corrupt;
    }
    return new StorageException(what + " in " + directory + " failed: " + e.getMessage(), e);
  }

  private static <T extends AutoCloseable> T own(List<AutoCloseable> owned, T object) {
    owned.add(object);
    return object;
  }

  /**
   * Closes everything in reverse order, even after a failure; returns {@code failure} with
   * later failures attached, or a new exception if only closing failed, or null.
   */
  private static StorageException closeAll(List<AutoCloseable> owned, StorageException failure) {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new StorageException("releasing RocksDB options failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }

  private static void createDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StorageException("creating storage directory " + directory + " failed", e);
    }
  }
}
