package io.warden.coordinator.durability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A stopped node's store opened directly (rocksdbjni, plain file I/O), bypassing Warden's
 * storage code, to damage stored records the way a failing disk would. Knows only the
 * documented layout (DESIGN.md §4, SegmentFiles): in RocksDB, column families {@code meta}
 * (snapshot manifests under {@code snapshot/<8-byte index>}) and {@code snapshot} (12-byte
 * keys: snapshot index, chunk number); the Raft log in {@code raft-log/segment-*.log}, a
 * 24-byte header (magic, sequence, salt), then 8-byte-aligned frames of {@code payload length (4) | payload CRC (4) |
 * header CRC (4) | payload}.
 */
final class RawStore implements AutoCloseable {
  private static final byte[] MANIFEST_PREFIX = "snapshot/".getBytes(StandardCharsets.US_ASCII);

  private static final int SEGMENT_HEADER_BYTES = 24;
  private static final int FRAME_HEADER_BYTES = 12;

  /** One frame (one append) of the log: its segment file, offset and payload size. */
  record LogFrame(Path segment, long offset, int payloadBytes) {}

  private final Path directory;
  private final DBOptions options;
  private final ColumnFamilyOptions familyOptions;
  private final RocksDB db;
  private final Map<String, ColumnFamilyHandle> families = new HashMap<>();
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();

  private RawStore(Path directory) throws RocksDBException {
    this.directory = directory;
    RocksDB.loadLibrary();
    List<byte[]> names;
    try (Options listing = new Options()) {
      names = RocksDB.listColumnFamilies(listing, directory.toString());
    }
    options = new DBOptions();
    familyOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (byte[] name : names) {
      descriptors.add(new ColumnFamilyDescriptor(name, familyOptions));
    }
    db = RocksDB.open(options, directory.toString(), descriptors, handles);
    for (int i = 0; i < names.size(); i++) {
      families.put(new String(names.get(i), StandardCharsets.US_ASCII), handles.get(i));
    }
  }

  /** {@code dataDir/rocksdb}, where the server keeps its store. */
  static RawStore openDataDir(Path dataDir) throws RocksDBException {
    return new RawStore(dataDir.resolve("rocksdb"));
  }

  /** The log's frames, in order: segments by name (their sequence), frames by offset. */
  List<LogFrame> logFrames() throws IOException {
    List<LogFrame> out = new ArrayList<>();
    List<Path> segments;
    try (Stream<Path> files = Files.list(directory.resolve("raft-log"))) {
      segments = files.sorted().toList();
    }
    ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER_BYTES);
    for (Path segment : segments) {
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
        long position = SEGMENT_HEADER_BYTES;
        while (position + FRAME_HEADER_BYTES <= ch.size()) {
          header.clear();
          ch.read(header, position);
          int length = header.getInt(0);
          if (length == 0) {
            break; // past the last frame: zeros
          }
          out.add(new LogFrame(segment, position, length));
          position += (FRAME_HEADER_BYTES + length + 7) / 8 * 8;
        }
      }
    }
    return out;
  }

  /** Indexes of the committed snapshots (those with a manifest), ascending. */
  List<Long> snapshotIndexes() {
    List<Long> out = new ArrayList<>();
    for (byte[] key : keys("meta")) {
      if (key.length == MANIFEST_PREFIX.length + 8
          && Arrays.equals(key, 0, MANIFEST_PREFIX.length, MANIFEST_PREFIX, 0, MANIFEST_PREFIX.length)) {
        out.add(ByteBuffer.wrap(key, MANIFEST_PREFIX.length, 8).getLong());
      }
    }
    return out;
  }

  /** Inverts one bit in the middle of the frame's payload (its CRC then fails). */
  void flipByteInLogFrame(LogFrame frame) throws IOException {
    long at = frame.offset() + FRAME_HEADER_BYTES + frame.payloadBytes() / 2;
    try (FileChannel ch = FileChannel.open(frame.segment(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
      ch.write(one, at);
    }
  }

  void flipByteInSnapshotChunk(long snapshotIndex, int chunk) throws RocksDBException {
    flipMiddleByte("snapshot", ByteBuffer.allocate(12).putLong(snapshotIndex).putInt(chunk).array());
  }

  /** Inverts one bit in the middle of a stored value (the payload, not its CRC). */
  private void flipMiddleByte(String family, byte[] key) throws RocksDBException {
    ColumnFamilyHandle h = families.get(family);
    byte[] value = db.get(h, key);
    if (value == null) {
      throw new IllegalStateException("no record to damage in " + family + " at " + Arrays.toString(key));
    }
    value[value.length / 2] ^= 0x10;
    db.put(h, key, value);
  }

  private List<byte[]> keys(String family) {
    List<byte[]> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(families.get(family))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.add(it.key());
      }
    }
    return out;
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    familyOptions.close();
    options.close();
  }
}
