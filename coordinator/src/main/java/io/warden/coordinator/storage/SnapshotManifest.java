package io.warden.coordinator.storage;

import io.warden.coordinator.node.SnapshotMeta;

/**
 * What the store records about a committed snapshot (in {@code meta}, key
 * {@code snapshot/<index>}): {@link SnapshotMeta} plus the CRC32C over all chunk bytes in order,
 * which catches a chunk that is intact by itself but belongs elsewhere.
 */
record SnapshotManifest(
    long index, long term, byte[] membership, int chunkCount, long sizeBytes, int contentCrc) {

  SnapshotMeta toMeta() {
    return new SnapshotMeta(index, term, membership.clone(), chunkCount, sizeBytes);
  }
}
