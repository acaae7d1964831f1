package io.warden.coordinator.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The on-disk format of every key and value the store writes (DESIGN.md §4). Pure: bytes in,
 * values out; no RocksDB types. Every value ends with a CRC32C over the bytes before it, so a
 * flipped bit anywhere is detected when the value is read. Integers are big-endian, so the
 * byte order of keys is their numeric order and RocksDB's default comparator sorts them.
 *
 * <p>Decoders throw {@link InvalidRecordException} with the reason only; the caller knows the
 * column family and key and turns it into a {@code CorruptStorageException} naming both.
 */
final class DiskFormat {
  /**
   * Bumped on any incompatible change; a store written by another version is refused. Version
   * 1 kept the log in RocksDB's {@code log} column family; version 2 keeps it in segment files
   * ({@link SegmentFiles}) and leaves that family empty.
   */
  static final int FORMAT_VERSION = 2;

  static final int CRC_BYTES = 4;
  static final int INDEX_KEY_BYTES = 8;
  static final int CHUNK_KEY_BYTES = 12;
  /** index, term, chunk count, size, content CRC, before the membership bytes. */
  private static final int MANIFEST_HEADER_BYTES = 8 + 8 + 4 + 8 + 4;

  // Keys of the `meta` column family.
  static final byte[] KEY_FORMAT_VERSION = ascii("format-version");
  static final byte[] KEY_TERM = ascii("term");
  static final byte[] KEY_VOTE = ascii("vote");
  static final byte[] KEY_MEMBERSHIP = ascii("membership");
  static final byte[] KEY_FIRST_INDEX = ascii("first-index");
  /** A lower bound of the commit index, written without fsync (LogStore.recordCommit). */
  static final byte[] KEY_COMMIT = ascii("commit");
  /** Followed by the snapshot's index (8 bytes): one manifest per committed snapshot. */
  static final byte[] MANIFEST_KEY_PREFIX = ascii("snapshot/");

  private DiskFormat() {}

  /** Thrown by decoders: the stored bytes are not a valid record of the expected kind. */
  static final class InvalidRecordException extends Exception {
    InvalidRecordException(String reason) {
      super(reason, null, false, false);
    }
  }

  // ---- keys

  static byte[] chunkKey(long snapshotIndex, int chunk) {
    return ByteBuffer.allocate(CHUNK_KEY_BYTES).putLong(snapshotIndex).putInt(chunk).array();
  }

  /** First key of a snapshot's chunks (inclusive). */
  static byte[] chunkRangeStart(long snapshotIndex) {
    return chunkKey(snapshotIndex, 0);
  }

  /**
   * End of a snapshot's chunks (exclusive): the id followed by five 0xFF bytes sorts after
   * every 12-byte key with that id and before the next id, without computing id + 1.
   */
  static byte[] chunkRangeEnd(long snapshotIndex) {
    byte[] end = filled(CHUNK_KEY_BYTES + 1, (byte) 0xFF);
    ByteBuffer.wrap(end).putLong(snapshotIndex);
    return end;
  }

  /** The snapshot id of a chunk key, or -1 if the key does not have the chunk key's shape. */
  static long snapshotIndexOfChunkKey(byte[] key) {
    return key.length == CHUNK_KEY_BYTES ? ByteBuffer.wrap(key).getLong() : -1;
  }

  static byte[] manifestKey(long snapshotIndex) {
    return ByteBuffer.allocate(MANIFEST_KEY_PREFIX.length + INDEX_KEY_BYTES)
        .put(MANIFEST_KEY_PREFIX)
        .putLong(snapshotIndex)
        .array();
  }

  static boolean isManifestKey(byte[] key) {
    return key.length >= MANIFEST_KEY_PREFIX.length
        && Arrays.equals(
            key, 0, MANIFEST_KEY_PREFIX.length, MANIFEST_KEY_PREFIX, 0, MANIFEST_KEY_PREFIX.length);
  }

  /** The snapshot index of a manifest key, or -1 if its suffix is not 8 bytes. */
  static long snapshotIndexOfManifestKey(byte[] key) {
    if (!isManifestKey(key) || key.length != MANIFEST_KEY_PREFIX.length + INDEX_KEY_BYTES) {
      return -1;
    }
    return ByteBuffer.wrap(key, MANIFEST_KEY_PREFIX.length, INDEX_KEY_BYTES).getLong();
  }

  /** A meta key for messages: printable names as they are, manifest keys with their index. */
  static String describeMetaKey(byte[] key) {
    long snapshotIndex = snapshotIndexOfManifestKey(key);
    if (snapshotIndex >= 0) {
      return "snapshot/" + snapshotIndex;
    }
    return new String(key, StandardCharsets.US_ASCII);
  }

  // ---- meta values: payload | CRC32C (4)

  static byte[] sealLong(long value) {
    return seal(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
  }

  static byte[] sealInt(int value) {
    return seal(ByteBuffer.allocate(Integer.BYTES).putInt(value).array());
  }

  static byte[] seal(byte[] payload) {
    return appendCrc(ByteBuffer.allocate(payload.length + CRC_BYTES).put(payload));
  }

  static byte[] unseal(byte[] value) throws InvalidRecordException {
    if (value.length < CRC_BYTES) {
      throw new InvalidRecordException("record too short (" + value.length + " bytes)");
    }
    verifyCrc(value);
    return Arrays.copyOf(value, value.length - CRC_BYTES);
  }

  static long unsealLong(byte[] value) throws InvalidRecordException {
    return ByteBuffer.wrap(unsealExactly(value, Long.BYTES)).getLong();
  }

  static int unsealInt(byte[] value) throws InvalidRecordException {
    return ByteBuffer.wrap(unsealExactly(value, Integer.BYTES)).getInt();
  }

  private static byte[] unsealExactly(byte[] value, int payloadBytes)
      throws InvalidRecordException {
    byte[] payload = unseal(value);
    if (payload.length != payloadBytes) {
      throw new InvalidRecordException(
          "value has " + payload.length + " bytes, expected " + payloadBytes);
    }
    return payload;
  }

  // ---- snapshot manifests (meta) and chunks (snapshot)

  static byte[] encodeManifest(SnapshotManifest manifest) {
    ByteBuffer buffer =
        ByteBuffer.allocate(MANIFEST_HEADER_BYTES + manifest.membership().length + CRC_BYTES)
            .putLong(manifest.index())
            .putLong(manifest.term())
            .putInt(manifest.chunkCount())
            .putLong(manifest.sizeBytes())
            .putInt(manifest.contentCrc())
            .put(manifest.membership());
    return appendCrc(buffer);
  }

  static SnapshotManifest decodeManifest(long expectedIndex, byte[] value)
      throws InvalidRecordException {
    if (value.length < MANIFEST_HEADER_BYTES + CRC_BYTES) {
      throw new InvalidRecordException("manifest too short (" + value.length + " bytes)");
    }
    verifyCrc(value);
    ByteBuffer buffer = ByteBuffer.wrap(value);
    long index = buffer.getLong();
    long term = buffer.getLong();
    int chunkCount = buffer.getInt();
    long sizeBytes = buffer.getLong();
    int contentCrc = buffer.getInt();
    byte[] membership = Arrays.copyOfRange(value, MANIFEST_HEADER_BYTES, value.length - CRC_BYTES);
    if (index != expectedIndex) {
      throw new InvalidRecordException("manifest describes index " + index);
    }
    if (term <= 0 || chunkCount < 0 || sizeBytes < 0) {
      throw new InvalidRecordException(
          "impossible manifest: term " + term + ", " + chunkCount + " chunks, " + sizeBytes
              + " bytes");
    }
    return new SnapshotManifest(index, term, membership, chunkCount, sizeBytes, contentCrc);
  }

  // ---- CRC32C

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  private static byte[] appendCrc(ByteBuffer buffer) {
    int length = buffer.position();
    buffer.putInt(crc(buffer.array(), 0, length));
    if (buffer.hasRemaining()) {
      throw new IllegalStateException("record buffer not filled: " + buffer);
    }
    return buffer.array();
  }

  private static void verifyCrc(byte[] value) throws InvalidRecordException {
    int length = value.length - CRC_BYTES;
    int stored = ByteBuffer.wrap(value, length, CRC_BYTES).getInt();
    if (stored != crc(value, 0, length)) {
      throw new InvalidRecordException("CRC mismatch");
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] filled(int length, byte value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, value);
    return bytes;
  }
}
