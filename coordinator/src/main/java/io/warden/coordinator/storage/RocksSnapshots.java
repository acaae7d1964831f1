package io.warden.coordinator.storage;

import io.warden.coordinator.node.SnapshotMeta;
import io.warden.coordinator.node.SnapshotStore.SnapshotSink;
import io.warden.coordinator.node.SnapshotStore.SnapshotSource;
import io.warden.coordinator.storage.DiskFormat.InvalidRecordException;
import io.warden.coordinator.storage.RocksDatabase.Family;
import io.warden.coordinator.storage.RocksDatabase.ReadView;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Snapshots of {@link RocksStorage}: chunks in {@code snapshot} under (index, chunk number),
 * one manifest per committed snapshot in {@code meta} under {@code snapshot/<index>}.
 *
 * <p><b>Visibility.</b> A snapshot exists only through its manifest, and the manifest is
 * written by the synced commit batch. Before it, chunks are invisible (no reader looks for
 * them); a crash before it leaves orphan chunks and the previous snapshot as the latest, and
 * the orphans are removed at the next open ({@link #collectGarbage}).
 *
 * <p><b>Durability of the chunks.</b> Chunks are written without fsync as they arrive. Before
 * the commit batch, {@code flushWal(true)} syncs the WAL, so every chunk is on disk before the
 * manifest can be. (The synced commit write alone would also do it, since RocksDB syncs all
 * live WAL files for a synced write and a chunk already flushed to an SST was fsynced by the
 * flush; the explicit sync keeps the guarantee independent of that detail, for one extra
 * fsync per snapshot.) Recovery replays a prefix of the WAL, so a recovered manifest implies
 * recovered chunks; readers still verify every chunk and the content CRC.
 *
 * <p><b>Threading.</b> One sink at a time (the snapshot thread); a sink and a source are each
 * confined to one thread. Readers ({@link #openLatest}, possibly on another thread, e.g.
 * streaming to a follower) read through a RocksDB snapshot, so a commit that drops their
 * snapshot by retention does not disturb them.
 */
final class RocksSnapshots {
  private final RocksDatabase database;
  private final StorageOptions options;
  private final ColumnFamilyHandle metaFamily;
  private final ColumnFamilyHandle snapshotFamily;
  private final AtomicReference<Sink> activeSink = new AtomicReference<>();

  RocksSnapshots(RocksDatabase database, StorageOptions options) {
    this.database = database;
    this.options = options;
    this.metaFamily = database.handle(Family.META);
    this.snapshotFamily = database.handle(Family.SNAPSHOT);
  }

  /**
   * Removes chunks that no manifest claims (a crash mid-write) and snapshots beyond the
   * retention count (a crash between a commit and its retention, or a lower count). Not
   * synced: if lost, the next open does it again. Only keys are read, so a damaged manifest
   * value does not stop the node from opening; it is reported when the snapshot is read.
   */
  void collectGarbage() {
    List<Long> committed = committedIndexes();
    List<Long> retained = newest(committed, options.snapshotsRetained());
    List<Long> chunkOwners = chunkOwners();
    database.write(
        "removing orphaned and expired snapshots",
        false,
        batch -> {
          for (long index : committed) {
            if (!retained.contains(index)) {
              batch.delete(metaFamily, DiskFormat.manifestKey(index));
            }
          }
          for (long index : chunkOwners) {
            if (!retained.contains(index)) {
              deleteChunks(batch, index);
            }
          }
        });
  }

  SnapshotSink begin(long index, long term, byte[] membership) {
    if (index <= 0 || term <= 0 || membership == null) {
      throw new IllegalArgumentException(
          "snapshot needs a positive index and term and a membership: " + index + "/" + term);
    }
    long latest = latestCommittedIndex();
    if (index <= latest) {
      // Its chunk keys would overwrite a committed snapshot's, and Raft never needs it.
      throw new IllegalStateException(
          "snapshot at index " + index + " is not newer than the latest committed snapshot at "
              + latest);
    }
    Sink sink = new Sink(index, term, membership.clone());
    Sink active = activeSink.compareAndExchange(null, sink);
    if (active != null) {
      throw new IllegalStateException(
          "snapshot at index " + active.index + " is still being written: commit or abort it"
              + " before beginning another");
    }
    try {
      // Leftovers of an earlier attempt at this index would otherwise read as extra chunks.
      database.write(
          "clearing old chunks of snapshot " + index, false, batch -> deleteChunks(batch, index));
    } catch (RuntimeException e) {
      activeSink.compareAndSet(sink, null);
      throw e;
    }
    return sink;
  }

  Optional<SnapshotMeta> latest() {
    return latestManifest(null).map(SnapshotManifest::toMeta);
  }

  Optional<SnapshotSource> openLatest() {
    ReadView view = database.openView("opening the latest snapshot");
    try {
      Optional<SnapshotManifest> manifest = latestManifest(view.readOptions());
      if (manifest.isEmpty()) {
        view.close();
        return Optional.empty();
      }
      Source source = new Source(view, manifest.get());
      if (manifest.get().chunkCount() == 0) {
        source.verifyComplete();
      }
      return Optional.of(source);
    } catch (RuntimeException e) {
      view.close();
      throw e;
    }
  }

  // ---- manifests

  /** Indexes of all manifests, ascending. Reads keys only. */
  private List<Long> committedIndexes() {
    return database.call(
        "listing snapshot manifests in " + Family.META.describe(),
        rocks -> {
          List<Long> indexes = new ArrayList<>();
          try (RocksIterator iterator = rocks.newIterator(metaFamily)) {
            for (iterator.seek(DiskFormat.MANIFEST_KEY_PREFIX);
                iterator.isValid() && DiskFormat.isManifestKey(iterator.key());
                iterator.next()) {
              indexes.add(manifestIndex(iterator.key()));
            }
            iterator.status();
          }
          return indexes;
        });
  }

  private long latestCommittedIndex() {
    return database.call(
        "finding the latest snapshot manifest in " + Family.META.describe(),
        rocks -> {
          try (RocksIterator iterator = rocks.newIterator(metaFamily)) {
            return seekLatestManifest(iterator) ? manifestIndex(iterator.key()) : 0L;
          }
        });
  }

  /** The newest manifest, decoded and verified; {@code read} may be null (latest state). */
  private Optional<SnapshotManifest> latestManifest(ReadOptions read) {
    return database.call(
        "reading the latest snapshot manifest in " + Family.META.describe(),
        rocks -> {
          try (RocksIterator iterator = newIterator(rocks, metaFamily, read)) {
            if (!seekLatestManifest(iterator)) {
              return Optional.empty();
            }
            long index = manifestIndex(iterator.key());
            try {
              return Optional.of(DiskFormat.decodeManifest(index, iterator.value()));
            } catch (InvalidRecordException e) {
              throw database.corrupt(Family.META, "key 'snapshot/" + index + "'", e.getMessage());
            }
          }
        });
  }

  /** Positions on the manifest with the highest index; false if there is none. */
  private static boolean seekLatestManifest(RocksIterator iterator) throws RocksDBException {
    iterator.seekForPrev(DiskFormat.manifestKey(Long.MAX_VALUE));
    boolean found = iterator.isValid() && DiskFormat.isManifestKey(iterator.key());
    iterator.status();
    return found;
  }

  private long manifestIndex(byte[] key) {
    long index = DiskFormat.snapshotIndexOfManifestKey(key);
    if (index <= 0) {
      throw database.corrupt(
          Family.META, "a key starting with 'snapshot/'", "malformed manifest key of "
              + key.length + " bytes");
    }
    return index;
  }

  // ---- chunks

  /** The snapshot index of every group of chunks, ascending; one seek per group. */
  private List<Long> chunkOwners() {
    return database.call(
        "listing snapshots in " + Family.SNAPSHOT.describe(),
        rocks -> {
          List<Long> owners = new ArrayList<>();
          try (RocksIterator iterator = rocks.newIterator(snapshotFamily)) {
            iterator.seekToFirst();
            while (iterator.isValid()) {
              long index = DiskFormat.snapshotIndexOfChunkKey(iterator.key());
              if (index <= 0) {
                throw database.corrupt(
                    Family.SNAPSHOT, "the key after snapshot " + lastOrZero(owners),
                    "malformed chunk key of " + iterator.key().length + " bytes");
              }
              owners.add(index);
              iterator.seek(DiskFormat.chunkRangeEnd(index));
            }
            iterator.status();
          }
          return owners;
        });
  }

  private void deleteChunks(WriteBatch batch, long index) throws RocksDBException {
    batch.deleteRange(
        snapshotFamily, DiskFormat.chunkRangeStart(index), DiskFormat.chunkRangeEnd(index));
  }

  private static RocksIterator newIterator(
      RocksDB rocks, ColumnFamilyHandle family, ReadOptions read) {
    return read == null ? rocks.newIterator(family) : rocks.newIterator(family, read);
  }

  private static List<Long> newest(List<Long> ascending, int count) {
    return ascending.subList(Math.max(0, ascending.size() - count), ascending.size());
  }

  private static long lastOrZero(List<Long> values) {
    return values.isEmpty() ? 0 : values.get(values.size() - 1);
  }

  private static String chunkRecord(long index, int chunk) {
    return "snapshot " + index + " chunk " + chunk;
  }

  private enum SinkState {
    WRITING,
    COMMITTED,
    ABORTED,
    /** commit() threw: whether the manifest is durable is unknown, so nothing is deleted. */
    FAILED
  }

  /** A snapshot being written; confined to the thread that called {@link #begin}. */
  private final class Sink implements SnapshotSink {
    private final long index;
    private final long term;
    private final byte[] membership;
    private final CRC32C content = new CRC32C();
    private int chunkCount;
    private long sizeBytes;
    private SinkState state = SinkState.WRITING;

    Sink(long index, long term, byte[] membership) {
      this.index = index;
      this.term = term;
      this.membership = membership;
    }

    @Override
    public void writeChunk(byte[] chunk) {
      requireWriting("writeChunk");
      if (chunk == null || chunk.length > options.snapshotChunkBytesMax()) {
        throw new IllegalArgumentException(
            "snapshot chunk is null or larger than snapshotChunkBytesMax "
                + options.snapshotChunkBytesMax() + ": " + (chunk == null ? null : chunk.length));
      }
      if (chunkCount >= options.snapshotChunksMax()) {
        throw new IllegalStateException(
            "snapshot at index " + index + " exceeds snapshotChunksMax "
                + options.snapshotChunksMax());
      }
      byte[] key = DiskFormat.chunkKey(index, chunkCount);
      byte[] value = DiskFormat.seal(chunk);
      // Buffered: commit() makes every chunk durable with one WAL sync.
      database.write(
          "writing " + chunkRecord(index, chunkCount),
          false,
          batch -> batch.put(snapshotFamily, key, value));
      content.update(chunk);
      chunkCount++;
      sizeBytes += chunk.length;
    }

    @Override
    public SnapshotMeta commit() {
      requireWriting("commit");
      SnapshotManifest manifest =
          new SnapshotManifest(
              index, term, membership, chunkCount, sizeBytes, (int) content.getValue());
      try {
        database.call(
            "syncing the chunks of snapshot " + index,
            rocks -> {
              rocks.flushWal(true);
              return null;
            });
        List<Long> expired = expiredBy(index);
        database.write(
            "committing snapshot " + index,
            true,
            batch -> {
              batch.put(
                  metaFamily, DiskFormat.manifestKey(index), DiskFormat.encodeManifest(manifest));
              for (long old : expired) {
                batch.delete(metaFamily, DiskFormat.manifestKey(old));
                deleteChunks(batch, old);
              }
            });
        state = SinkState.COMMITTED;
        return manifest.toMeta();
      } catch (RuntimeException e) {
        state = SinkState.FAILED;
        throw e;
      } finally {
        activeSink.compareAndSet(this, null);
      }
    }

    /** Committed snapshots that fall out of retention once {@code newIndex} is committed. */
    private List<Long> expiredBy(long newIndex) {
      List<Long> all = new ArrayList<>(committedIndexes());
      all.add(newIndex);
      return all.subList(0, Math.max(0, all.size() - options.snapshotsRetained()));
    }

    @Override
    public void abort() {
      if (state != SinkState.WRITING) {
        return;
      }
      state = SinkState.ABORTED;
      activeSink.compareAndSet(this, null);
      // Not synced: if lost (or the store is already closed), the next open removes the chunks.
      database.writeIfOpen(
          "discarding uncommitted snapshot " + index, false, batch -> deleteChunks(batch, index));
    }

    private void requireWriting(String operation) {
      if (state != SinkState.WRITING) {
        throw new IllegalStateException(
            operation + " on snapshot " + index + " which is already " + state);
      }
    }
  }

  /** A committed snapshot being read through a point-in-time view; one thread. */
  private final class Source implements SnapshotSource {
    private final ReadView view;
    private final SnapshotManifest manifest;
    private final CRC32C content = new CRC32C();
    private int nextChunk;
    private long bytesRead;
    private boolean closed;

    Source(ReadView view, SnapshotManifest manifest) {
      this.view = view;
      this.manifest = manifest;
    }

    @Override
    public SnapshotMeta meta() {
      return manifest.toMeta();
    }

    @Override
    public boolean hasNext() {
      return nextChunk < manifest.chunkCount();
    }

    /** The next chunk, verified; after the last one, the count, size and content CRC too. */
    @Override
    public byte[] nextChunk() {
      if (closed) {
        throw new IllegalStateException(
            "snapshot source for index " + manifest.index() + " is closed");
      }
      if (!hasNext()) {
        throw new NoSuchElementException(
            "snapshot " + manifest.index() + " has only " + manifest.chunkCount() + " chunks");
      }
      int chunk = nextChunk;
      byte[] value = readChunk(chunk);
      if (value == null) {
        throw database.corrupt(
            Family.SNAPSHOT, chunkRecord(manifest.index(), chunk), "chunk missing (the manifest"
                + " lists " + manifest.chunkCount() + " chunks)");
      }
      byte[] data;
      try {
        data = DiskFormat.unseal(value);
      } catch (InvalidRecordException e) {
        throw database.corrupt(
            Family.SNAPSHOT, chunkRecord(manifest.index(), chunk), e.getMessage());
      }
      content.update(data);
      bytesRead += data.length;
      nextChunk++;
      if (!hasNext()) {
        verifyComplete();
      }
      return data;
    }

    void verifyComplete() {
      int count = manifest.chunkCount();
      if (readChunk(count) != null) {
        throw database.corrupt(
            Family.SNAPSHOT, chunkRecord(manifest.index(), count), "chunk beyond the " + count
                + " the manifest lists");
      }
      if (bytesRead != manifest.sizeBytes() || (int) content.getValue() != manifest.contentCrc()) {
        throw database.corrupt(
            Family.SNAPSHOT, "snapshot " + manifest.index(), "content does not match its"
                + " manifest (" + bytesRead + " bytes read, " + manifest.sizeBytes()
                + " expected, or content CRC mismatch)");
      }
    }

    private byte[] readChunk(int chunk) {
      return database.call(
          "reading " + chunkRecord(manifest.index(), chunk) + " from "
              + Family.SNAPSHOT.describe(),
          rocks ->
              rocks.get(
                  snapshotFamily,
                  view.readOptions(),
                  DiskFormat.chunkKey(manifest.index(), chunk)));
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        view.close();
      }
    }
  }
}
