package io.warden.coordinator.tree;

import static io.warden.coordinator.tree.Fixtures.ANON;
import static io.warden.coordinator.tree.Fixtures.mk;
import static io.warden.coordinator.tree.Fixtures.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mark/rollback, as a failed multi uses them (§8.3): no trace, not even sequence numbers. */
class MarkRollbackTest {
  private final DataTree tree = DataTree.initial();

  @Test
  void failedMultiLeavesNoTraceAndConsumesNoSequenceNumber() {
    mk(tree, "/q", 2);
    tree.drainChanges();
    long digest = tree.digest();
    Stat q = tree.statOrNull("/q");

    Mark m = tree.mark();
    // multi at zxid 3: two sequential creates, an ephemeral, a setData, then a failing delete
    assertThat(mk(tree, "/q/", CreateMode.PERSISTENT_SEQUENTIAL, ANON, 3)).endsWith("0000000000");
    assertThat(mk(tree, "/q/", CreateMode.PERSISTENT_SEQUENTIAL, ANON, 3)).endsWith("0000000001");
    mk(tree, "/e", CreateMode.EPHEMERAL, session(5), 3);
    mk(tree, "/c", CreateMode.CONTAINER, ANON, 3);
    tree.setData("/q", null, -1, ANON, 3, 0);
    assertThat(tree.delete("/missing", -1, ANON, 3).code()).isEqualTo(ErrorCode.NO_NODE);
    tree.rollback(m);

    assertThat(tree.digest()).isEqualTo(digest);
    assertThat(tree.statOrNull("/q")).isEqualTo(q);
    assertThat(tree.statOrNull("/e")).isNull();
    assertThat(tree.ephemeralCount(5)).isZero();
    assertThat(tree.reapCandidates(Long.MAX_VALUE, 10)).isEmpty();
    assertThat(tree.drainChanges()).isEmpty();
    assertThat(mk(tree, "/q/", CreateMode.PERSISTENT_SEQUENTIAL, ANON, 4))
        .isEqualTo("/q/0000000000");
    tree.checkInvariants();
  }

  @Test
  void rollbackKeepsChangesRecordedBeforeTheMark() {
    mk(tree, "/a", 2);
    Mark m = tree.mark();
    mk(tree, "/b", 3);
    tree.rollback(m);
    assertThat(tree.drainChanges()).extracting(Change::path).containsExactly("/a", "/");
  }

  @Test
  void markTakenAfterADrainStillWorks() {
    mk(tree, "/a", 2);
    tree.drainChanges();
    Mark m = tree.mark();
    mk(tree, "/b", 3);
    tree.rollback(m);
    assertThat(tree.drainChanges()).isEmpty();
    assertThat(tree.nodeCount()).isEqualTo(5);
  }

  @Test
  void rollingBackPastADrainIsABug() {
    Mark m = tree.mark();
    mk(tree, "/a", 2);
    List<Change> handedOut = tree.drainChanges();
    assertThat(handedOut).hasSize(2);
    assertThatThrownBy(() -> tree.rollback(m)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("drained");
  }

  @Test
  void markOfAnotherTreeIsRejected() {
    Mark foreign = DataTree.initial().mark();
    assertThatThrownBy(() -> tree.rollback(foreign)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nestedMarks() {
    Mark outer = tree.mark();
    mk(tree, "/a", 2);
    Mark inner = tree.mark();
    mk(tree, "/b", 3);
    tree.rollback(inner);
    assertThat(tree.statOrNull("/a")).isNotNull();
    assertThat(tree.statOrNull("/b")).isNull();
    tree.rollback(outer);
    assertThat(tree.statOrNull("/a")).isNull();
    assertThat(tree.drainChanges()).isEmpty();
  }
}
