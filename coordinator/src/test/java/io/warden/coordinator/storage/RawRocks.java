package io.warden.coordinator.storage;

import io.warden.coordinator.storage.RocksDatabase.Family;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Direct RocksDB access to a closed store's directory, bypassing {@link RocksStorage}: tests
 * use it to damage records the way a disk would, and to look at what is really stored.
 */
final class RawRocks implements AutoCloseable {
  private final DBOptions options;
  private final ColumnFamilyOptions familyOptions;
  private final RocksDB db;
  private final Map<Family, ColumnFamilyHandle> handles = new EnumMap<>(Family.class);

  private RawRocks(Path directory) throws RocksDBException {
    RocksDB.loadLibrary();
    options = new DBOptions();
    familyOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
    for (Family family : Family.values()) {
      descriptors.add(new ColumnFamilyDescriptor(family.nameBytes(), familyOptions));
    }
    List<ColumnFamilyHandle> list = new ArrayList<>();
    db = RocksDB.open(options, directory.toString(), descriptors, list);
    for (Family family : Family.values()) {
      handles.put(family, list.get(family.ordinal() + 1));
    }
  }

  static RawRocks open(Path directory) throws RocksDBException {
    return new RawRocks(directory);
  }

  byte[] get(Family family, byte[] key) throws RocksDBException {
    return db.get(handles.get(family), key);
  }

  void put(Family family, byte[] key, byte[] value) throws RocksDBException {
    db.put(handles.get(family), key, value);
  }

  void delete(Family family, byte[] key) throws RocksDBException {
    db.delete(handles.get(family), key);
  }

  /** Inverts one bit of a stored value, as a failing disk might. */
  void flipBit(Family family, byte[] key, int byteOffset) throws RocksDBException {
    byte[] value = get(family, key);
    if (value == null) {
      throw new IllegalStateException("no value to damage in " + family + " at key");
    }
    value[byteOffset] ^= 0x10;
    put(family, key, value);
  }

  List<byte[]> keys(Family family) {
    List<byte[]> keys = new ArrayList<>();
    try (RocksIterator iterator = db.newIterator(handles.get(family))) {
      for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
        keys.add(iterator.key());
      }
    }
    return keys;
  }

  /** The distinct snapshot indexes that own chunks in {@code snapshot}, ascending. */
  List<Long> chunkOwners() {
    List<Long> owners = new ArrayList<>();
    for (byte[] key : keys(Family.SNAPSHOT)) {
      long owner = DiskFormat.snapshotIndexOfChunkKey(key);
      if (owners.isEmpty() || owners.get(owners.size() - 1) != owner) {
        owners.add(owner);
      }
    }
    return owners;
  }

  /** The snapshot indexes with a manifest in {@code meta}, ascending. */
  List<Long> manifests() {
    List<Long> manifests = new ArrayList<>();
    for (byte[] key : keys(Family.META)) {
      if (DiskFormat.isManifestKey(key)) {
        manifests.add(DiskFormat.snapshotIndexOfManifestKey(key));
      }
    }
    return manifests;
  }

  @Override
  public void close() {
    handles.values().forEach(ColumnFamilyHandle::close);
    db.close();
    familyOptions.close();
    options.close();
  }
}
