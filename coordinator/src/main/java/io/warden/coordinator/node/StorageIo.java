package io.warden.coordinator.node;

import io.warden.coordinator.fsm.FsmImage;
import io.warden.coordinator.raft.PersistBatch;

/**
 * The node loop's asynchronous view of storage. Implementations run the blocking work on
 * dedicated threads (DESIGN.md D9) and report completion by calling back into the loop on the
 * core thread: {@link NodeLoop#onPersisted} and {@link NodeLoop#onSnapshotSaved}. A failure is
 * fatal and reported through {@link NodeLoop#onStorageFailure}.
 */
public interface StorageIo {
  /** Make {@code batch} durable (one fsync); at most one batch is outstanding at a time. */
  void persist(PersistBatch batch);

  /** Write {@code image} as the snapshot at (image.index(), term), then compact the log before it. */
  void snapshot(FsmImage image, long term, byte[] membership);
}
