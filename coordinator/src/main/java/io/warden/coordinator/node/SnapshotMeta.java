package io.warden.coordinator.node;

/**
 * Describes a committed snapshot: the state machine at {@code index} (whose entry had
 * {@code term}), with the membership in force there.
 */
public record SnapshotMeta(long index, long term, byte[] membership, int chunkCount, long sizeBytes) {
}
