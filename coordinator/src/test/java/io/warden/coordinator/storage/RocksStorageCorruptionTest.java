package io.warden.coordinator.storage;

import static io.warden.coordinator.storage.TestData.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.coordinator.node.CorruptStorageException;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.node.SnapshotStore.SnapshotSink;
import io.warden.coordinator.node.SnapshotStore.SnapshotSource;
import io.warden.coordinator.storage.RocksDatabase.Family;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage written with the raw RocksDB API, the way a disk or a bug would leave it: every kind
 * must be refused with a message naming the column family and the record. (The log's entries
 * live in segment files since format 2: their damage is {@link SegmentFilesTest}'s.)
 */
class RocksStorageCorruptionTest {
  @TempDir Path directory;
  private RocksStorage store;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** A store with hard state, membership, log 1..10 and snapshots 100 and 200 (4 chunks). */
  private void writeHealthyStoreAndClose() {
    store = RocksStorage.open(directory, StorageOptions.DEFAULTS);
    store.load();
    store.append(new HardState(2, 1), 0, entries(1, 10, 2));
    store.saveMembership(new byte[] {1, 2, 3});
    for (long index : new long[] {100, 200}) {
      try (SnapshotSink sink = store.begin(index, 2, TestData.membership(index))) {
        for (int chunk = 0; chunk < 4; chunk++) {
          sink.writeChunk(TestData.chunk(index, chunk, 1000));
        }
        sink.commit();
      }
    }
    store.close();
    store = null;
  }

  private interface Damage {
    void apply(RawRocks raw) throws Exception;
  }

  private void damage(Damage damage) throws Exception {
    writeHealthyStoreAndClose();
    try (RawRocks raw = RawRocks.open(directory)) {
      damage.apply(raw);
    }
    store = RocksStorage.open(directory, StorageOptions.DEFAULTS);
  }

  private void assertLoadFails(String message) {
    assertThatThrownBy(() -> store.load())
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aFlippedBitInTheTermIsACrcMismatchAtItsKey() throws Exception {
    damage(raw -> raw.flipBit(Family.META, DiskFormat.KEY_TERM, 7));

    assertLoadFails("corrupt record in column family 'meta' at key 'term': CRC mismatch");
  }

  @Test
  void aLostVoteIsRefused() throws Exception {
    damage(raw -> raw.delete(Family.META, DiskFormat.KEY_VOTE));

    assertLoadFails("column family 'meta' at key 'vote': record missing");
  }

  @Test
  void aFlippedBitInTheMembershipIsRefused() throws Exception {
    damage(raw -> raw.flipBit(Family.META, DiskFormat.KEY_MEMBERSHIP, 1));

    assertLoadFails("column family 'meta' at key 'membership': CRC mismatch");
  }

  @Test
  void aFlippedBitInTheFirstIndexIsRefused() throws Exception {
    damage(raw -> raw.flipBit(Family.META, DiskFormat.KEY_FIRST_INDEX, 0));

    assertLoadFails("column family 'meta' at key 'first-index': CRC mismatch");
  }

  @Test
  void aLostFormatVersionOnAStoreWithDataIsRefusedAtOpen() throws Exception {
    writeHealthyStoreAndClose();
    try (RawRocks raw = RawRocks.open(directory)) {
      raw.delete(Family.META, DiskFormat.KEY_FORMAT_VERSION);
    }

    assertThatThrownBy(() -> RocksStorage.open(directory, StorageOptions.DEFAULTS))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("column family 'meta' at key 'format-version': record missing");
  }

  @Test
  void aFlippedBitInASnapshotChunkFailsThatChunk() throws Exception {
    damage(raw -> raw.flipBit(Family.SNAPSHOT, DiskFormat.chunkKey(200, 2), 100));

    try (SnapshotSource source = store.openLatest().orElseThrow()) {
      assertThat(source.nextChunk()).isEqualTo(TestData.chunk(200, 0, 1000));
      assertThat(source.nextChunk()).isEqualTo(TestData.chunk(200, 1, 1000));
      assertThatThrownBy(source::nextChunk)
          .isInstanceOf(CorruptStorageException.class)
          .hasMessageContaining(
              "corrupt record in column family 'snapshot' at snapshot 200 chunk 2: CRC mismatch");
    }
  }

  @Test
  void aMissingSnapshotChunkIsRefused() throws Exception {
    damage(raw -> raw.delete(Family.SNAPSHOT, DiskFormat.chunkKey(200, 3)));

    assertThatThrownBy(() -> readAll(store.openLatest().orElseThrow()))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("column family 'snapshot' at snapshot 200 chunk 3: chunk missing");
  }

  @Test
  void aChunkBeyondTheManifestCountIsRefused() throws Exception {
    damage(raw ->
        raw.put(Family.SNAPSHOT, DiskFormat.chunkKey(200, 4), DiskFormat.seal(new byte[10])));

    assertThatThrownBy(() -> readAll(store.openLatest().orElseThrow()))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("snapshot 200 chunk 4: chunk beyond the 4 the manifest lists");
  }

  @Test
  void aValidChunkFromAnotherSnapshotFailsTheContentCrc() throws Exception {
    damage(raw ->
        raw.put(
            Family.SNAPSHOT,
            DiskFormat.chunkKey(200, 1),
            raw.get(Family.SNAPSHOT, DiskFormat.chunkKey(100, 1))));

    assertThatThrownBy(() -> readAll(store.openLatest().orElseThrow()))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("column family 'snapshot' at snapshot 200: content does not match");
  }

  @Test
  void aFlippedBitInAManifestIsRefusedByLatestAndOpenLatest() throws Exception {
    damage(raw -> raw.flipBit(Family.META, DiskFormat.manifestKey(200), 9));

    String message = "corrupt record in column family 'meta' at key 'snapshot/200': CRC mismatch";
    assertThatThrownBy(() -> store.latest())
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining(message);
    assertThatThrownBy(() -> store.openLatest())
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining(message);
  }

  private static void readAll(SnapshotSource source) {
    try (source) {
      while (source.hasNext()) {
        source.nextChunk();
      }
    }
  }
}
