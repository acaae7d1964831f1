package io.warden.coordinator.node;

import io.warden.coordinator.fsm.FsmImage;
import io.warden.coordinator.raft.PersistBatch;
import io.warden.coordinator.raft.RaftMessage;

/**
 * The node loop's asynchronous view of storage. Implementations run the blocking work on
 * dedicated threads (DESIGN.md D9) and report completion by calling back into the loop on the
 * core thread: {@link NodeLoop#onPersisted}, {@link NodeLoop#onSnapshotSaved} and the snapshot
 * transfer callbacks. A failure of the log or of a local snapshot is fatal and reported through
 * {@link NodeLoop#onStorageFailure}; a failed transfer is reported as such.
 */
public interface StorageIo {
  /** Make {@code batch} durable (one fsync); at most one batch is outstanding at a time. */
  void persist(PersistBatch batch);

  /** Write {@code image} as the snapshot at (image.index(), term), then compact the log before it. */
  void snapshot(FsmImage image, long term, byte[] membership);

  /**
   * Leader: read chunk {@code chunk} of the newest local snapshot for {@code peer}; answer with
   * {@link NodeLoop#onSnapshotChunkRead}, or {@link NodeLoop#onSnapshotChunkUnavailable} if the
   * newest snapshot is no longer the one at {@code snapshotIndex}.
   */
  void readSnapshotChunk(int peer, long snapshotIndex, int chunk);

  /**
   * Follower: store a chunk of an incoming snapshot ({@link NodeLoop#onSnapshotChunkStored});
   * after the last one commit it, compact the log before it, and read it back into a state
   * machine image ({@link NodeLoop#onSnapshotReceived}). On failure
   * {@link NodeLoop#onSnapshotReceiveFailed}.
   */
  void storeSnapshotChunk(RaftMessage.SnapshotChunk chunk);
}
