package io.warden.coordinator.storage;

import static io.warden.coordinator.storage.TestData.assertEntries;
import static io.warden.coordinator.storage.TestData.entries;
import static io.warden.coordinator.storage.TestData.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.node.StorageException;
import io.warden.coordinator.storage.RocksDatabase.Family;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksLogStoreTest {
  @TempDir Path directory;
  private RocksStorage store;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Persisted open() {
    store = RocksStorage.open(directory, StorageOptions.DEFAULTS);
    return store.load();
  }

  private Persisted reopen() {
    store.close();
    return open();
  }

  @Test
  void emptyStoreHasInitialState() {
    Persisted persisted = open();

    assertThat(persisted.hardState()).isEqualTo(HardState.INITIAL);
    assertThat(persisted.membership()).isNull();
    assertThat(persisted.firstIndex()).isEqualTo(1);
    assertThat(persisted.entries()).isEmpty();
    assertThat(store.latest()).isEmpty();
    assertThat(store.openLatest()).isEmpty();
  }

  @Test
  void appendedEntriesAndHardStateLoadBack() {
    open();
    List<LogEntry> written = entries(1, 20, 3);

    store.append(new HardState(3, 2), 0, written.subList(0, 8));
    store.append(null, 0, written.subList(8, 20));

    Persisted persisted = store.load();
    assertThat(persisted.hardState()).isEqualTo(new HardState(3, 2));
    assertThat(persisted.firstIndex()).isEqualTo(1);
    assertEntries(persisted.entries(), written);
    assertThat(persisted.entries()).extracting(e -> e.data().length).contains(0);
  }

  @Test
  void theRecordedCommitIndexLoadsBackAsTheCommitHintAndTheLatestWins() {
    assertThat(open().commitHint()).as("none recorded").isZero();
    store.append(new HardState(1, 1), 0, entries(1, 10, 1));
    store.recordCommit(4);
    store.recordCommit(7);
    assertThat(reopen().commitHint()).isEqualTo(7);
    assertThatThrownBy(() -> store.recordCommit(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hardStateAloneIsDurableAndLaterOnesReplaceIt() {
    open();
    store.append(new HardState(1, 1), 0, List.of());
    assertThat(reopen().hardState()).isEqualTo(new HardState(1, 1));

    store.append(new HardState(2, HardState.NO_VOTE), 0, List.of());

    assertThat(reopen().hardState()).isEqualTo(new HardState(2, HardState.NO_VOTE));
  }

  @Test
  void membershipIsStoredAndReplaced() {
    open();
    store.saveMembership("1,2,3".getBytes(StandardCharsets.UTF_8));
    store.saveMembership("1,2,3,4".getBytes(StandardCharsets.UTF_8));

    assertThat(reopen().membership()).asString(StandardCharsets.UTF_8).isEqualTo("1,2,3,4");
  }

  @Test
  void truncationReplacesAConflictingSuffixInOneBatch() {
    open();
    store.append(new HardState(1, 1), 0, entries(1, 10, 1));

    store.append(new HardState(2, 3), 6, entries(6, 8, 2));

    Persisted persisted = reopen();
    List<LogEntry> expected = new ArrayList<>(entries(1, 5, 1));
    expected.addAll(entries(6, 8, 2));
    assertEntries(persisted.entries(), expected);
    assertThat(persisted.hardState()).isEqualTo(new HardState(2, 3));
  }

  @Test
  void truncationWithoutEntriesShortensTheLog() {
    open();
    store.append(null, 0, entries(1, 10, 1));

    store.append(null, 4, List.of());
    store.append(null, 0, entries(4, 5, 2));

    List<LogEntry> expected = new ArrayList<>(entries(1, 3, 1));
    expected.addAll(entries(4, 5, 2));
    assertEntries(reopen().entries(), expected);
  }

  @Test
  void compactPrefixMovesTheFirstIndex() {
    open();
    store.append(new HardState(1, 1), 0, entries(1, 10, 1));

    store.compactPrefix(4);
    store.append(null, 0, entries(11, 12, 1));

    Persisted persisted = reopen();
    assertThat(persisted.firstIndex()).isEqualTo(5);
    assertEntries(persisted.entries(), entries(5, 12, 1));
  }

  @Test
  void compactPrefixBeyondTheLastEntryEmptiesTheLogAtTheNewFirstIndex() {
    open();
    store.append(null, 0, entries(1, 5, 1));

    store.compactPrefix(10);
    // Entries a slower append wrote below the new first index are covered by the snapshot.
    store.append(null, 0, entries(6, 8, 1));
    Persisted afterCompaction = store.load();
    store.append(null, 0, entries(11, 12, 2));

    assertThat(afterCompaction.firstIndex()).isEqualTo(11);
    assertThat(afterCompaction.entries()).isEmpty();
    Persisted persisted = reopen();
    assertThat(persisted.firstIndex()).isEqualTo(11);
    assertEntries(persisted.entries(), entries(11, 12, 2));
  }

  @Test
  void compactingAnAlreadyCompactedPrefixChangesNothing() {
    open();
    store.append(null, 0, entries(1, 10, 1));
    store.compactPrefix(6);

    store.compactPrefix(3);

    Persisted persisted = reopen();
    assertThat(persisted.firstIndex()).isEqualTo(7);
    assertEntries(persisted.entries(), entries(7, 10, 1));
  }

  @Test
  void everythingSurvivesReopening() throws Exception {
    open();
    store.append(new HardState(4, 2), 0, entries(1, 30, 4));
    store.saveMembership(new byte[] {1, 2, 3});
    store.compactPrefix(10);
    try (var sink = store.begin(10, 4, new byte[] {1, 2, 3})) {
      sink.writeChunk(new byte[] {9, 9});
      sink.commit();
    }

    Persisted persisted = reopen();

    assertThat(persisted.hardState()).isEqualTo(new HardState(4, 2));
    assertThat(persisted.membership()).containsExactly(1, 2, 3);
    assertThat(persisted.firstIndex()).isEqualTo(11);
    assertEntries(persisted.entries(), entries(11, 30, 4));
    assertThat(store.latest()).hasValueSatisfying(meta -> assertThat(meta.index()).isEqualTo(10));
  }

  @Test
  void appendThatWouldLeaveAGapOrOverwriteIsRefused() {
    open();
    store.append(null, 0, entries(1, 10, 1));

    assertThatThrownBy(() -> store.append(null, 0, entries(12, 13, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not continue the retained log 1..10");
    assertThatThrownBy(() -> store.append(null, 0, entries(5, 6, 2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("overwrite without truncation");
    assertThatThrownBy(() -> store.append(null, 0, List.of(entry(11, 1), entry(13, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not contiguous");
    assertEntries(reopen().entries(), entries(1, 10, 1));
  }

  @Test
  void writingBeforeLoadIsRefused() {
    store = RocksStorage.open(directory, StorageOptions.DEFAULTS);

    assertThatThrownBy(() -> store.append(null, 0, entries(1, 1, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before load()");
    assertThatThrownBy(() -> store.compactPrefix(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before load()");
  }

  @Test
  void sizeGrowsWithAppendsAndShrinksWithCompaction() {
    // Compaction deletes whole segments, never the one in use: small ones, so it has some.
    store = RocksStorage.open(directory, StorageOptions.DEFAULTS.withLogSegmentBytes(64 * 1024));
    store.load();
    long empty = store.sizeBytes();
    for (int batch = 0; batch < 50; batch++) {
      store.append(null, 0, bigEntries(batch * 20 + 1, batch * 20 + 20));
    }
    long full = store.sizeBytes();

    store.compactPrefix(900);
    long compacted = store.sizeBytes();

    assertThat(full).isGreaterThan(empty).isGreaterThan(500_000);
    assertThat(compacted).isLessThan(full / 2);
  }

  private static List<LogEntry> bigEntries(long from, long to) {
    List<LogEntry> entries = new ArrayList<>();
    for (long index = from; index <= to; index++) {
      entries.add(new LogEntry(index, 1, EntryType.COMMAND, new byte[1000]));
    }
    return entries;
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailWithStorageException() {
    open();
    store.close();
    store.close();

    assertThatThrownBy(() -> store.append(null, 0, entries(1, 1, 1)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> store.load()).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> store.latest()).isInstanceOf(StorageException.class);
  }

  @Test
  void aStoreOfAnotherFormatVersionIsRefused() throws Exception {
    int newer = DiskFormat.FORMAT_VERSION + 1;
    writeFormatVersion(newer);

    assertThatThrownBy(() -> RocksStorage.open(directory, StorageOptions.DEFAULTS))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("format version " + newer)
        .hasMessageContaining("reads only version " + DiskFormat.FORMAT_VERSION);
  }

  @Test
  void aStoreOfFormatVersion1WithItsLogInRocksDbIsRefusedWithTheReason() throws Exception {
    writeFormatVersion(1);

    assertThatThrownBy(() -> RocksStorage.open(directory, StorageOptions.DEFAULTS))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("has format version 1; this build reads only version 2")
        .hasMessageContaining("before the Raft log moved out of RocksDB into segment files")
        .hasMessageContaining("start this node from an empty data directory");
  }

  private void writeFormatVersion(int version) throws Exception {
    open();
    store.close();
    store = null;
    try (RawRocks raw = RawRocks.open(directory)) {
      raw.put(Family.META, DiskFormat.KEY_FORMAT_VERSION, DiskFormat.sealInt(version));
    }
  }

  @Test
  void anotherProcessHoldingTheStoreIsAnEngineError() {
    open();

    assertThatThrownBy(() -> RocksStorage.open(directory, StorageOptions.DEFAULTS))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("opening RocksDB in " + directory.toAbsolutePath());
  }
}
