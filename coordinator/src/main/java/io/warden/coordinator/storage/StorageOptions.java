package io.warden.coordinator.storage;

/**
 * Limits and sizes of one node's store (RocksDB and the log's segment files), validated when
 * constructed.
 *
 * <p>The memory defaults are deliberately small: a test JVM runs many nodes, and the store's
 * working set is tiny (the log is read once at start; hot data is the memtable). A production
 * node can raise them from configuration.
 *
 * @param snapshotsRetained committed snapshots kept on disk (the newest is the one in use; older
 *     ones are a fallback for an operator, and let a slow reader finish)
 * @param snapshotChunkBytesMax largest chunk {@code SnapshotSink.writeChunk} accepts; each chunk
 *     is one RocksDB value, and RocksDB holds whole values in memory
 * @param snapshotChunksMax most chunks one snapshot may have
 * @param blockCacheBytes block cache shared by the node's column families
 * @param writeBufferBytes memtable size of each column family (before it is flushed to an SST)
 * @param logSegmentBytes size of one log segment file, allocated (sparsely) when the segment
 *     is started; a batch larger than that gets a segment of its own, which grows
 */
public record StorageOptions(
    int snapshotsRetained,
    int snapshotChunkBytesMax,
    int snapshotChunksMax,
    long blockCacheBytes,
    long writeBufferBytes,
    long logSegmentBytes) {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  public static final int SNAPSHOTS_RETAINED_LIMIT = 100;
  public static final int SNAPSHOT_CHUNK_BYTES_LIMIT = 64 * MIB;

  public static final StorageOptions DEFAULTS =
      new StorageOptions(2, 4 * MIB, 65_536, 8L * MIB, 4L * MIB, 64L * MIB);

  public StorageOptions {
    requireRange("snapshotsRetained", snapshotsRetained, 1, SNAPSHOTS_RETAINED_LIMIT);
    requireRange("snapshotChunkBytesMax", snapshotChunkBytesMax, 1, SNAPSHOT_CHUNK_BYTES_LIMIT);
    requireRange("snapshotChunksMax", snapshotChunksMax, 1, Integer.MAX_VALUE);
    requireRange("blockCacheBytes", blockCacheBytes, 64L * KIB, 64L * 1024 * MIB);
    requireRange("writeBufferBytes", writeBufferBytes, 64L * KIB, 1024L * MIB);
    requireRange("logSegmentBytes", logSegmentBytes, 64L * KIB, 1024L * 1024 * MIB);
  }

  public StorageOptions withSnapshotsRetained(int retained) {
    return new StorageOptions(
        retained, snapshotChunkBytesMax, snapshotChunksMax, blockCacheBytes, writeBufferBytes,
        logSegmentBytes);
  }

  public StorageOptions withSnapshotChunkLimits(int chunkBytesMax, int chunksMax) {
    return new StorageOptions(
        snapshotsRetained, chunkBytesMax, chunksMax, blockCacheBytes, writeBufferBytes,
        logSegmentBytes);
  }

  public StorageOptions withMemory(long cacheBytes, long bufferBytes) {
    return new StorageOptions(
        snapshotsRetained, snapshotChunkBytesMax, snapshotChunksMax, cacheBytes, bufferBytes,
        logSegmentBytes);
  }

  public StorageOptions withLogSegmentBytes(long bytes) {
    return new StorageOptions(snapshotsRetained, snapshotChunkBytesMax, snapshotChunksMax,
        blockCacheBytes, writeBufferBytes, bytes);
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "storage option " + name + " = " + value + " is outside [" + min + ", " + max + "]");
    }
  }
}
