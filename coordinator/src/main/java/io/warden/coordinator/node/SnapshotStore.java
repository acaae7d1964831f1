package io.warden.coordinator.node;

import java.util.Optional;

/**
 * Durable snapshots of the state machine (DESIGN.md §4, column {@code snapshot}), written and
 * read as a stream of opaque chunks (the fsm owns their format). Blocking: called only from the
 * node's snapshot thread (or, at start, before the node serves). Each chunk carries a CRC.
 */
public interface SnapshotStore extends AutoCloseable {

  /** Starts writing the snapshot of the state at (index, term). */
  SnapshotSink begin(long index, long term, byte[] membership);

  /** The newest committed snapshot, verified chunk by chunk while it is read. */
  Optional<SnapshotSource> openLatest();

  /** Metadata of the newest committed snapshot, if any, without reading its chunks. */
  Optional<SnapshotMeta> latest();

  @Override
  void close();

  /** A snapshot being written. Nothing of it is visible until {@link #commit()}. */
  interface SnapshotSink extends AutoCloseable {
    void writeChunk(byte[] chunk);

    /**
     * Makes the snapshot durable (fsync) and the latest, atomically; then removes snapshots
     * older than the store's retention count.
     */
    SnapshotMeta commit();

    /** Discards what was written. Safe to call after commit (no-op). */
    void abort();

    @Override
    default void close() {
      abort();
    }
  }

  /** A committed snapshot being read; {@link #nextChunk()} throws {@link CorruptStorageException} on a bad CRC. */
  interface SnapshotSource extends AutoCloseable {
    SnapshotMeta meta();

    boolean hasNext();

    byte[] nextChunk();

    @Override
    void close();
  }
}
