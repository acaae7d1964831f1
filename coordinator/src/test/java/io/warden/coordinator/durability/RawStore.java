package io.warden.coordinator.durability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A stopped node's RocksDB opened directly with rocksdbjni, bypassing Warden's storage code,
 * to damage stored records the way a failing disk would. Knows only the documented layout
 * (DESIGN.md §4): column families {@code log} (8-byte big-endian index keys), {@code meta}
 * (snapshot manifests under {@code snapshot/<8-byte index>}) and {@code snapshot} (12-byte
 * keys: snapshot index, chunk number).
 */
final class RawStore implements AutoCloseable {
  private static final byte[] MANIFEST_PREFIX = "snapshot/".getBytes(StandardCharsets.US_ASCII);

  private final DBOptions options;
  private final ColumnFamilyOptions familyOptions;
  private final RocksDB db;
  private final Map<String, ColumnFamilyHandle> families = new HashMap<>();
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();

  private RawStore(Path directory) throws RocksDBException {
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

  /** Indexes of the stored log records, ascending. */
  List<Long> logIndexes() {
    List<Long> out = new ArrayList<>();
    for (byte[] key : keys("log")) {
      out.add(ByteBuffer.wrap(key).getLong());
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

  void flipByteInLogRecord(long index) throws RocksDBException {
    flipMiddleByte("log", ByteBuffer.allocate(8).putLong(index).array());
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
