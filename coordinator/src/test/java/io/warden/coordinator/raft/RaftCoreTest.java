package io.warden.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RaftCoreTest {

  private static byte[] cmd(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static RaftCore fresh() {
    return new RaftCore(1, Membership.single(1), HardState.INITIAL, 0, 0, List.of());
  }

  @Test
  void soleVoterLeadsAtStartWithNoopOfNewTerm() {
    RaftCore raft = fresh();
    assertThat(raft.propose(cmd("x"))).as("no proposals before start").isEqualTo(-1);
    raft.start();
    assertThat(raft.role()).isEqualTo(RaftRole.LEADER);
    assertThat(raft.term()).isEqualTo(1);
    PersistBatch b = raft.takePersistBatch();
    assertThat(b.hardState()).isEqualTo(new HardState(1, 1));
    assertThat(b.entries()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EntryType.NOOP);
      assertThat(e.index()).isEqualTo(1);
      assertThat(e.term()).isEqualTo(1);
    });
  }

  @Test
  void aRestoredCommitHintMakesTheStoredEntriesUpToItApplicableAtOnceClampedToTheLog() {
    List<LogEntry> stored = new ArrayList<>();
    for (long i = 1; i <= 10; i++) {
      stored.add(new LogEntry(i, 1, EntryType.COMMAND, cmd("e" + i)));
    }
    Membership three = new Membership(Set.of(1, 2, 3), Set.of());
    RaftCore raft = new RaftCore(1, three, new HardState(1, 1), 0, 0, stored);
    assertThat(raft.restoreCommitHint(7)).isEqualTo(7);
    raft.start();
    assertThat(raft.takeCommitted(100)).extracting(LogEntry::index).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(raft.leaderId()).as("no leader needed").isZero();

    RaftCore clamped = new RaftCore(1, three, new HardState(1, 1), 0, 0, stored);
    assertThat(clamped.restoreCommitHint(25)).as("only what the log holds").isEqualTo(10);
    clamped.start();
    assertThatThrownBy(() -> clamped.restoreCommitHint(3)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nothingCommitsOrAppliesBeforeFsync() {
    RaftCore raft = fresh();
    raft.start();
    long idx = raft.propose(cmd("a"));
    assertThat(idx).isEqualTo(2);
    assertThat(raft.takeCommitted(100)).isEmpty();
    PersistBatch b = raft.takePersistBatch();
    assertThat(b.entries()).hasSize(2);
    assertThat(raft.takeCommitted(100)).as("durable before visible").isEmpty();
    raft.persisted(b);
    assertThat(raft.commitIndex()).isEqualTo(2);
    assertThat(raft.takeCommitted(100)).extracting(LogEntry::index).containsExactly(1L, 2L);
    assertThat(raft.takeCommitted(100)).isEmpty();
  }

  @Test
  void proposalsDuringAnFsyncShareTheNextOne() {
    RaftCore raft = fresh();
    raft.start();
    PersistBatch first = raft.takePersistBatch();
    raft.propose(cmd("b"));
    raft.propose(cmd("c"));
    assertThat(raft.takePersistBatch()).as("one batch in flight at a time").isNull();
    raft.persisted(first);
    assertThat(raft.takeCommitted(100)).extracting(LogEntry::index).containsExactly(1L);
    PersistBatch second = raft.takePersistBatch();
    assertThat(second.hardState()).as("hard state unchanged").isNull();
    assertThat(second.entries()).extracting(LogEntry::index).containsExactly(2L, 3L);
    raft.persisted(second);
    assertThat(raft.takeCommitted(1)).extracting(LogEntry::index).containsExactly(2L);
    assertThat(raft.takeCommitted(10)).extracting(LogEntry::index).containsExactly(3L);
  }

  @Test
  void restartRecommitsTheStoredLogThroughTheNewTermsNoop() {
    List<LogEntry> stored = new ArrayList<>();
    stored.add(new LogEntry(1, 1, EntryType.NOOP, new byte[0]));
    stored.add(new LogEntry(2, 1, EntryType.COMMAND, cmd("a")));
    RaftCore raft = new RaftCore(1, Membership.single(1), new HardState(1, 1), 0, 0, stored);
    raft.start();
    assertThat(raft.term()).isEqualTo(2);
    assertThat(raft.takeCommitted(10)).as("old-term entries wait for the new no-op").isEmpty();
    PersistBatch b = raft.takePersistBatch();
    assertThat(b.entries()).extracting(LogEntry::index).containsExactly(3L);
    raft.persisted(b);
    assertThat(raft.takeCommitted(10)).extracting(LogEntry::index).containsExactly(1L, 2L, 3L);
  }

  @Test
  void compactionDropsAppliedPrefixOnly() {
    RaftCore raft = fresh();
    raft.start();
    raft.propose(cmd("a"));
    raft.persisted(raft.takePersistBatch());
    assertThat(raft.takeCommitted(10)).hasSize(2);
    raft.compact(2);
    assertThat(raft.retainedEntries()).isZero();
    assertThat(raft.termAt(2)).isEqualTo(1);
    assertThatThrownBy(() -> raft.compact(5)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void membershipRoundTripsAndValidates() {
    Membership m = new Membership(Set.of(3, 1, 2), Set.of(7));
    assertThat(Membership.decode(m.encode())).isEqualTo(m);
    assertThat(m.quorum()).isEqualTo(2);
    assertThatThrownBy(() -> new Membership(Set.of(0), Set.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Membership(Set.of(1), Set.of(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
