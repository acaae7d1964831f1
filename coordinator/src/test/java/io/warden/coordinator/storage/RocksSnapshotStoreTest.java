package io.warden.coordinator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.coordinator.node.SnapshotMeta;
import io.warden.coordinator.node.SnapshotStore.SnapshotSink;
import io.warden.coordinator.node.SnapshotStore.SnapshotSource;
import io.warden.coordinator.node.StorageException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksSnapshotStoreTest {
  @TempDir Path directory;
  private RocksStorage store;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private void open(StorageOptions options) {
    store = RocksStorage.open(directory, options);
  }

  private void reopen(StorageOptions options) {
    store.close();
    open(options);
  }

  /** Writes and commits a snapshot whose chunk {@code i} is {@link TestData#chunk}(index, i). */
  private SnapshotMeta commitSnapshot(long index, int chunks, int chunkBytes) {
    try (SnapshotSink sink = store.begin(index, 7, TestData.membership(index))) {
      for (int chunk = 0; chunk < chunks; chunk++) {
        sink.writeChunk(TestData.chunk(index, chunk, chunkBytes));
      }
      return sink.commit();
    }
  }

  private static List<byte[]> readAll(SnapshotSource source) {
    List<byte[]> chunks = new ArrayList<>();
    try (source) {
      while (source.hasNext()) {
        chunks.add(source.nextChunk());
      }
    }
    return chunks;
  }

  private static void assertChunks(List<byte[]> chunks, long index, int count, int chunkBytes) {
    assertThat(chunks).hasSize(count);
    for (int chunk = 0; chunk < count; chunk++) {
      assertThat(chunks.get(chunk)).isEqualTo(TestData.chunk(index, chunk, chunkBytes));
    }
  }

  @Test
  void committedSnapshotReadsBackChunkByChunk() {
    open(StorageOptions.DEFAULTS);

    SnapshotMeta committed = commitSnapshot(42, 5, 3000);

    assertThat(committed.index()).isEqualTo(42);
    assertThat(committed.term()).isEqualTo(7);
    assertThat(committed.membership()).isEqualTo(TestData.membership(42));
    assertThat(committed.chunkCount()).isEqualTo(5);
    assertThat(committed.sizeBytes()).isEqualTo(15_000);
    SnapshotSource source = store.openLatest().orElseThrow();
    assertThat(source.meta()).usingRecursiveComparison().isEqualTo(committed);
    assertChunks(readAll(source), 42, 5, 3000);
    assertThat(store.latest()).hasValueSatisfying(
        meta -> assertThat(meta).usingRecursiveComparison().isEqualTo(committed));
  }

  @Test
  void aMultiMebibyteSnapshotInManyChunksSurvivesReopening() {
    long seed = Long.getLong("storage.test.seed", System.nanoTime());
    System.out.println("aMultiMebibyteSnapshotInManyChunksSurvivesReopening seed=" + seed
        + " (replay with -Dstorage.test.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> written = new ArrayList<>();
    open(StorageOptions.DEFAULTS);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (SnapshotSink sink = store.begin(1000, 3, new byte[] {1})) {
      while (all.size() < 6 * 1024 * 1024) {
        byte[] chunk = new byte[random.nextInt(1, 128 * 1024)];
        random.nextBytes(chunk);
        sink.writeChunk(chunk);
        written.add(chunk);
        all.writeBytes(chunk);
      }
      sink.commit();
    }

    reopen(StorageOptions.DEFAULTS);

    SnapshotSource source = store.openLatest().orElseThrow();
    assertThat(source.meta().chunkCount()).isEqualTo(written.size()).isGreaterThan(50);
    assertThat(source.meta().sizeBytes()).isEqualTo(all.size());
    assertThat(readAll(source)).containsExactlyElementsOf(written);
  }

  @Test
  void aSnapshotWithoutChunksRoundTrips() {
    open(StorageOptions.DEFAULTS);

    commitSnapshot(5, 0, 0);

    SnapshotSource source = store.openLatest().orElseThrow();
    assertThat(source.hasNext()).isFalse();
    assertThat(source.meta().sizeBytes()).isZero();
    assertThatThrownBy(source::nextChunk).isInstanceOf(NoSuchElementException.class);
    source.close();
  }

  @Test
  void nothingIsVisibleBeforeCommitAndAbortRemovesTheChunks() throws Exception {
    open(StorageOptions.DEFAULTS);
    commitSnapshot(10, 2, 100);

    SnapshotSink sink = store.begin(20, 7, new byte[0]);
    sink.writeChunk(new byte[100]);
    assertThat(store.latest().orElseThrow().index()).isEqualTo(10);
    sink.abort();
    sink.abort();

    assertThat(store.latest().orElseThrow().index()).isEqualTo(10);
    assertChunks(readAll(store.openLatest().orElseThrow()), 10, 2, 100);
    store.close();
    try (RawRocks raw = RawRocks.open(directory)) {
      assertThat(raw.chunkOwners()).containsExactly(10L);
    }
    store = null;
  }

  @Test
  void anUncommittedSnapshotIsInvisibleAfterReopenAndItsChunksAreRemoved() throws Exception {
    open(StorageOptions.DEFAULTS);
    commitSnapshot(10, 3, 100);
    SnapshotSink abandoned = store.begin(20, 7, new byte[0]);
    abandoned.writeChunk(new byte[100]);
    abandoned.writeChunk(new byte[100]);

    reopen(StorageOptions.DEFAULTS);

    assertThat(store.latest().orElseThrow().index()).isEqualTo(10);
    assertChunks(readAll(store.openLatest().orElseThrow()), 10, 3, 100);
    abandoned.abort(); // the old store is closed: nothing to do, nothing thrown
    store.close();
    try (RawRocks raw = RawRocks.open(directory)) {
      assertThat(raw.chunkOwners()).containsExactly(10L);
      assertThat(raw.manifests()).containsExactly(10L);
    }
    store = null;
  }

  @Test
  void commitDropsSnapshotsBeyondRetention() throws Exception {
    open(StorageOptions.DEFAULTS.withSnapshotsRetained(2));

    for (long index = 10; index <= 40; index += 10) {
      commitSnapshot(index, 2, 50);
    }

    assertThat(store.latest().orElseThrow().index()).isEqualTo(40);
    store.close();
    try (RawRocks raw = RawRocks.open(directory)) {
      assertThat(raw.manifests()).containsExactly(30L, 40L);
      assertThat(raw.chunkOwners()).containsExactly(30L, 40L);
    }
    store = null;
  }

  @Test
  void openingWithALowerRetentionDropsTheOldestSnapshots() throws Exception {
    open(StorageOptions.DEFAULTS.withSnapshotsRetained(3));
    for (long index = 10; index <= 30; index += 10) {
      commitSnapshot(index, 1, 50);
    }

    reopen(StorageOptions.DEFAULTS.withSnapshotsRetained(1));

    assertThat(store.latest().orElseThrow().index()).isEqualTo(30);
    store.close();
    try (RawRocks raw = RawRocks.open(directory)) {
      assertThat(raw.manifests()).containsExactly(30L);
      assertThat(raw.chunkOwners()).containsExactly(30L);
    }
    store = null;
  }

  @Test
  void aReaderKeepsItsSnapshotWhileRetentionDropsIt() {
    open(StorageOptions.DEFAULTS.withSnapshotsRetained(1));
    commitSnapshot(10, 4, 500);
    SnapshotSource reader = store.openLatest().orElseThrow();
    assertThat(reader.nextChunk()).isEqualTo(TestData.chunk(10, 0, 500));

    commitSnapshot(20, 1, 500);
    commitSnapshot(30, 1, 500);

    List<byte[]> rest = readAll(reader);
    assertThat(rest).hasSize(3);
    assertThat(rest.get(2)).isEqualTo(TestData.chunk(10, 3, 500));
    assertThat(store.latest().orElseThrow().index()).isEqualTo(30);
  }

  @Test
  void closingTheStoreEndsOpenReaders() {
    open(StorageOptions.DEFAULTS);
    commitSnapshot(10, 2, 10);
    SnapshotSource reader = store.openLatest().orElseThrow();

    store.close();

    assertThatThrownBy(reader::nextChunk).isInstanceOf(StorageException.class);
    reader.close();
    store = null;
  }

  @Test
  void misuseOfSinksIsRefused() {
    open(StorageOptions.DEFAULTS.withSnapshotChunkLimits(100, 2));
    commitSnapshot(10, 1, 10);

    assertThatThrownBy(() -> store.begin(10, 1, new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not newer than the latest committed snapshot at 10");
    SnapshotSink sink = store.begin(20, 1, new byte[0]);
    assertThatThrownBy(() -> store.begin(30, 1, new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("snapshot at index 20 is still being written");
    assertThatThrownBy(() -> sink.writeChunk(new byte[101]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snapshotChunkBytesMax 100");
    sink.writeChunk(new byte[100]);
    sink.writeChunk(new byte[100]);
    assertThatThrownBy(() -> sink.writeChunk(new byte[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exceeds snapshotChunksMax 2");
    sink.commit();
    sink.abort(); // no-op after commit
    assertThatThrownBy(() -> sink.writeChunk(new byte[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already COMMITTED");
    assertThat(store.latest().orElseThrow().chunkCount()).isEqualTo(2);
    assertThatThrownBy(() -> store.begin(0, 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSnapshotIndexCanBeRetriedAfterAnAbort() {
    open(StorageOptions.DEFAULTS);
    SnapshotSink first = store.begin(10, 1, new byte[0]);
    for (int chunk = 0; chunk < 5; chunk++) {
      first.writeChunk(new byte[] {(byte) chunk});
    }
    first.abort();

    commitSnapshot(10, 2, 30);

    assertChunks(readAll(store.openLatest().orElseThrow()), 10, 2, 30);
  }
}
