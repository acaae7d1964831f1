package io.warden.coordinator.raft;

/** Work the driver does for snapshot transfers, on its snapshot thread (the core never reads disks). */
public sealed interface SnapshotTransfer {
  /** Leader: read chunk {@code chunk} of the local snapshot at {@code snapshotIndex} for {@code peer}. */
  record ReadChunk(int peer, long snapshotIndex, int chunk) implements SnapshotTransfer {
  }

  /**
   * Follower: store this chunk of an incoming snapshot; then call
   * {@link RaftCore#snapshotChunkStored}, and after the last chunk restore the state machine
   * from it and call {@link RaftCore#snapshotInstalled}.
   */
  record StoreChunk(RaftMessage.SnapshotChunk chunk) implements SnapshotTransfer {
  }
}
