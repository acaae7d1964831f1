package io.warden.coordinator.tree;

import static io.warden.coordinator.tree.Fixtures.ANON;
import static io.warden.coordinator.tree.Fixtures.bytes;
import static io.warden.coordinator.tree.Fixtures.mk;
import static io.warden.coordinator.tree.Fixtures.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import org.junit.jupiter.api.Test;

/** Container and TTL reaping (§9.4, §7.14): eligibility, re-check at reap time, the index. */
class ReapTest {
  private final DataTree tree = DataTree.initial();

  private void ttlNode(String path, long ttlMs, long zxid, long timeMs) {
    assertThat(tree.create(path, null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, ttlMs,
        ANON, zxid, timeMs).isOk()).isTrue();
  }

  @Test
  void containerIsEligibleOnlyAfterHavingHadAChildThatIsGone() {
    mk(tree, "/c", CreateMode.CONTAINER, ANON, 2);
    assertThat(tree.reapCandidates(Long.MAX_VALUE, 10)).isEmpty();
    assertThat(tree.reap("/c", 3, 0)).as("never used").isEqualTo(ErrorCode.BAD_VERSION);
    mk(tree, "/c/x", 4);
    assertThat(tree.reapCandidates(0, 10)).isEmpty();
    assertThat(tree.reap("/c", 5, 0)).isEqualTo(ErrorCode.NOT_EMPTY);
    tree.delete("/c/x", -1, ANON, 6);
    assertThat(tree.reapCandidates(0, 10)).containsExactly("/c");
    tree.drainChanges();
    assertThat(tree.reap("/c", 7, 0)).isEqualTo(ErrorCode.OK);
    assertThat(tree.drainChanges()).containsExactly(
        new Change(7, "/c", EventType.NODE_DELETED, Acl.OPEN_ACL_UNSAFE),
        new Change(7, "/", EventType.NODE_CHILDREN_CHANGED, Acl.OPEN_ACL_UNSAFE));
    assertThat(tree.reap("/c", 8, 0)).isEqualTo(ErrorCode.NO_NODE);
    assertThat(tree.reapCandidates(0, 10)).isEmpty();
    tree.checkInvariants();
  }

  @Test
  void ttlNodeExpiresStrictlyAfterTtlSinceMtime() {
    ttlNode("/t", 100, 2, 1_000);
    assertThat(tree.reapCandidates(1_100, 10)).isEmpty();
    assertThat(tree.reap("/t", 3, 1_100)).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.reapCandidates(1_101, 10)).containsExactly("/t");
    tree.setData("/t", bytes("refresh"), -1, ANON, 4, 1_050); // setData refreshes mtime
    assertThat(tree.reapCandidates(1_101, 10)).isEmpty();
    assertThat(tree.reap("/t", 5, 1_101)).as("stale decision is re-checked")
        .isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.reap("/t", 6, 1_151)).isEqualTo(ErrorCode.OK);
  }

  @Test
  void ttlNodeWithChildrenIsNotReaped() {
    ttlNode("/t", 1, 2, 0);
    mk(tree, "/t/x", 3);
    assertThat(tree.reapCandidates(1_000, 10)).isEmpty();
    assertThat(tree.reap("/t", 4, 1_000)).isEqualTo(ErrorCode.NOT_EMPTY);
  }

  @Test
  void neverReapsEphemeralOrPersistentNodes() {
    mk(tree, "/p", 2);
    mk(tree, "/p/e", CreateMode.EPHEMERAL, session(1), 3);
    mk(tree, "/q", 4);
    mk(tree, "/q/x", 5);
    tree.delete("/q/x", -1, ANON, 6); // a persistent node that had a child: still not a container
    assertThat(tree.reap("/p/e", 7, Long.MAX_VALUE)).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.reap("/q", 7, Long.MAX_VALUE)).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.reap("/zookeeper/quota", 7, Long.MAX_VALUE)).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.reap("/missing", 7, 0)).isEqualTo(ErrorCode.NO_NODE);
    assertThat(tree.reapCandidates(Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void candidatesAreSortedAndLimited() {
    for (String p : new String[] {"/d", "/b", "/a", "/c"}) {
      ttlNode(p, 10, 2, 0);
    }
    assertThat(tree.reapCandidates(100, 3)).containsExactly("/a", "/b", "/c");
    assertThat(tree.reapCandidates(100, 0)).isEmpty();
  }

  @Test
  void candidatesComeFromTheIndexNotAWalk() {
    for (int i = 0; i < 2_000; i++) {
      mk(tree, "/n" + i, 2 + i);
    }
    ttlNode("/t", 10, 5_000, 0);
    TreeState state = stateOf(tree);
    assertThat(state.reapable().toList()).containsExactly("/t");
    assertThat(tree.reapCandidates(100, 10)).containsExactly("/t");
  }

  private static TreeState stateOf(DataTree tree) {
    return tree.mark().state();
  }
}
