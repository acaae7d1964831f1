package io.warden.coordinator.storage;

import io.warden.coordinator.node.StorageException;
import io.warden.coordinator.storage.DiskFormat.InvalidRecordException;
import io.warden.coordinator.storage.RocksDatabase.Family;
import org.rocksdb.RocksIterator;

/**
 * Marks a new store with its format version and checks it on every later open, so a store
 * written by an incompatible build is refused instead of misread.
 */
final class StoreFormat {
  private StoreFormat() {}

  /**
   * For a new store, writes {@code format-version} and {@code first-index = 1} in one synced
   * batch. A store that lacks the version but holds data is corrupt: the version is written
   * before anything else, so it was lost, not never written. (A crash during the very first
   * open leaves all families empty, which is treated as new.)
   */
  static void initializeOrVerify(RocksDatabase database) {
    initializeOrVerify(database, () -> { });
  }

  /** As above; {@code beforeCreating} runs (and may refuse) only when the store is new. */
  static void initializeOrVerify(RocksDatabase database, Runnable beforeCreating) {
    byte[] stored =
        database.call(
            "reading the format version from " + Family.META.describe(),
            rocks -> rocks.get(database.handle(Family.META), DiskFormat.KEY_FORMAT_VERSION));
    if (stored != null) {
      verify(database, stored);
      return;
    }
    for (Family family : Family.values()) {
      if (!isEmpty(database, family)) {
        throw database.corrupt(
            Family.META, "key 'format-version'", "record missing, but " + family.describe()
                + " holds data");
      }
    }
    beforeCreating.run();
    database.write(
        "initializing a new store",
        true,
        batch -> {
          batch.put(
              database.handle(Family.META),
              DiskFormat.KEY_FORMAT_VERSION,
              DiskFormat.sealInt(DiskFormat.FORMAT_VERSION));
          batch.put(
              database.handle(Family.META), DiskFormat.KEY_FIRST_INDEX, DiskFormat.sealLong(1));
        });
  }

  private static void verify(RocksDatabase database, byte[] stored) {
    int version;
    try {
      version = DiskFormat.unsealInt(stored);
    } catch (InvalidRecordException e) {
      throw database.corrupt(Family.META, "key 'format-version'", e.getMessage());
    }
    if (version != DiskFormat.FORMAT_VERSION) {
      throw new StorageException(
          "the store in " + database.directory() + " has format version " + version
              + "; this build reads only version " + DiskFormat.FORMAT_VERSION
              + (version == 1
                  ? " (version 1, from development builds before the Raft log moved out of"
                      + " RocksDB into segment files, is not converted: run it with the build"
                      + " that wrote it, or start this node from an empty data directory)"
                  : ""),
          null);
    }
  }

  private static boolean isEmpty(RocksDatabase database, Family family) {
    return database.call(
        "checking whether " + family.describe() + " is empty",
        rocks -> {
          try (RocksIterator iterator = rocks.newIterator(database.handle(family))) {
            iterator.seekToFirst();
            boolean empty = !iterator.isValid();
            iterator.status();
            return empty;
          }
        });
  }
}
