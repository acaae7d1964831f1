package io.warden.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.fsm.StateMachine;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.raft.Membership;
import io.warden.coordinator.raft.PersistBatch;
import io.warden.coordinator.raft.RaftOptions;
import io.warden.coordinator.storage.RocksStorage;
import io.warden.coordinator.storage.StorageOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery from the states a crash can leave between a snapshot becoming durable and the log
 * catching up with it (both found by the simulation: the node then refused every append, or
 * kept a suffix the snapshot had discarded).
 */
class NodeRecoveryTest {
  private static final Membership ONE = Membership.single(1);

  @TempDir Path directory;

  private static List<LogEntry> noops(long from, long to, long term) {
    List<LogEntry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(new LogEntry(i, term, EntryType.NOOP, new byte[0]));
    }
    return out;
  }

  /** Leaves a durable snapshot at {@code index} (term {@code term}) and the given log, uncompacted. */
  private void crashAfterSnapshot(long index, long term, List<LogEntry> log) {
    RocksStorage store = RocksStorage.open(directory, StorageOptions.DEFAULTS);
    try {
      store.load();
      store.saveMembership(ONE.encode());
      store.append(new HardState(term, 1), 0, log);
      StateMachine fsm = new StateMachine(true);
      noops(1, index, term).forEach(fsm::apply);
      try (SnapshotStore.SnapshotSink sink = store.begin(index, term, ONE.encode())) {
        fsm.image().write(1024, sink::writeChunk);
        sink.commit();
      }
      // the crash: the snapshot is durable, the compaction (or truncation) after it never ran
    } finally {
      store.close();
    }
  }

  private NodeRecovery.Recovered recover(RocksStorage store) {
    return NodeRecovery.recover(1, true, RaftOptions.defaults(), new Random(1), ONE, store, store, null);
  }

  @Test
  void aSnapshotBeyondAnUncompactedLogIsFollowedByTheNextEntriesWithoutAGap() {
    crashAfterSnapshot(10, 1, noops(1, 8, 1));

    RocksStorage store = RocksStorage.open(directory, StorageOptions.DEFAULTS);
    try {
      NodeRecovery.Recovered r = recover(store);
      assertThat(r.snapshotIndex()).isEqualTo(10);
      assertThat(r.raft().lastIndex()).isEqualTo(10);

      store.append(null, 0, noops(11, 12, 2)); // refused as a gap (log ending at 8) before the fix

      LogStore.Persisted reloaded = store.load();
      assertThat(reloaded.firstIndex()).isEqualTo(11);
      assertThat(reloaded.entries()).extracting(LogEntry::index).containsExactly(11L, 12L);
    } finally {
      store.close();
    }
  }

  @Test
  void aDiscardedSuffixThatACrashKeptAfterTheSnapshotIsDroppedAgainDurably() {
    // the log came from a deposed leader of term 1; the snapshot of term 3 replaced all of it
    crashAfterSnapshot(10, 3, noops(1, 14, 1));

    RocksStorage store = RocksStorage.open(directory, StorageOptions.DEFAULTS);
    try {
      NodeRecovery.Recovered r = recover(store);
      assertThat(r.raft().lastIndex()).as("the stale suffix 11..14 is not part of the log").isEqualTo(10);

      PersistBatch first = r.raft().takePersistBatch();
      assertThat(first).isNotNull();
      assertThat(first.truncateFromIndex()).isEqualTo(11);
      store.append(first.hardState(), first.truncateFromIndex(), first.entries());
      store.append(null, 0, noops(11, 11, 3));

      assertThat(store.load().entries()).extracting(LogEntry::term).containsExactly(3L);
    } finally {
      store.close();
    }
  }
}
