package io.warden.coordinator.tree;

import static io.warden.coordinator.tree.Fixtures.ANON;
import static io.warden.coordinator.tree.Fixtures.mk;
import static io.warden.coordinator.tree.Fixtures.session;
import static io.warden.coordinator.tree.Fixtures.worldWithout;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.Perms;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads (§7.3, 7.4, 7.8, 7.19, 7.20) and the session side: ephemerals and their removal. */
class ReadsAndSessionsTest {
  private final DataTree tree = DataTree.initial();

  @Test
  void existsRejectsNulAndChecksReadOnlyWhenTheNodeExists() {
    tree.create("/hidden", null, worldWithout(Perms.READ), CreateMode.PERSISTENT, -1, ANON, 2, 0);
    assertThat(tree.exists("/a\u0000", ANON).code()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    assertThat(tree.exists("/hidden", ANON).code()).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(tree.exists("/missing", ANON).code()).isEqualTo(ErrorCode.NO_NODE);
    assertThat(tree.exists("/hidden", Fixtures.SUPER).isOk()).isTrue();
  }

  @Test
  void readsOfInvalidPathsAreSimplyNoNode() {
    mk(tree, "/a", 2);
    for (String bad : List.of("/a/", "a", "/a//", "/./a")) {
      assertThat(tree.getData(bad, ANON).code()).isEqualTo(ErrorCode.NO_NODE);
      assertThat(tree.getChildren(bad, ANON).code()).isEqualTo(ErrorCode.NO_NODE);
      assertThat(tree.exists(bad, ANON).code()).isEqualTo(ErrorCode.NO_NODE);
      assertThat(tree.getAcl(bad, ANON).code()).isEqualTo(ErrorCode.NO_NODE);
    }
  }

  @Test
  void getChildrenAndAllChildrenNumber() {
    mk(tree, "/a", 2);
    mk(tree, "/a/b", 3);
    mk(tree, "/a/c", 4);
    mk(tree, "/a/b/d", 5);
    ChildrenAndStat cs = tree.getChildren("/a", ANON).value();
    assertThat(cs.children()).containsExactlyInAnyOrder("b", "c");
    assertThat(cs.stat()).isEqualTo(tree.statOrNull("/a"));
    assertThat(tree.getAllChildrenNumber("/a", ANON).value()).isEqualTo(3);
    assertThat(tree.getAllChildrenNumber("/a/c", ANON).value()).isZero();
    assertThat(tree.getAllChildrenNumber("/", ANON).value()).isEqualTo(tree.nodeCount() - 1);
  }

  @Test
  void ephemeralsPerSessionAndPrefix() {
    mk(tree, "/app", 2);
    mk(tree, "/apple", 3);
    mk(tree, "/app/", CreateMode.EPHEMERAL_SEQUENTIAL, session(1), 4);
    mk(tree, "/apple/x", CreateMode.EPHEMERAL, session(1), 5);
    mk(tree, "/e2", CreateMode.EPHEMERAL, session(2), 6);
    assertThat(tree.getEphemerals(1, null)).containsExactly("/app/0000000000", "/apple/x");
    assertThat(tree.getEphemerals(1, " / ")).hasSize(2);
    assertThat(tree.getEphemerals(1, "  ")).hasSize(2);
    assertThat(tree.getEphemerals(1, "/app")).as("a plain string prefix")
        .containsExactly("/app/0000000000", "/apple/x");
    assertThat(tree.getEphemerals(1, "/app/")).containsExactly("/app/0000000000");
    assertThat(tree.getEphemerals(3, null)).isEmpty();
    assertThat(tree.ephemeralCount()).isEqualTo(3);
    assertThat(tree.ephemeralCount(1)).isEqualTo(2);
    assertThat(tree.ephemeralCount(2)).isEqualTo(1);
  }

  @Test
  void removeEphemeralsDeletesTheSessionsNodesInPathOrder() {
    mk(tree, "/b", 2);
    mk(tree, "/b/z", CreateMode.EPHEMERAL, session(1), 3);
    mk(tree, "/a", CreateMode.EPHEMERAL, session(1), 4);
    mk(tree, "/other", CreateMode.EPHEMERAL, session(2), 5);
    tree.drainChanges();
    assertThat(tree.removeEphemerals(1, 10)).containsExactly("/a", "/b/z");
    assertThat(tree.drainChanges()).containsExactly(
        new Change(10, "/a", EventType.NODE_DELETED, Acl.OPEN_ACL_UNSAFE),
        new Change(10, "/", EventType.NODE_CHILDREN_CHANGED, Acl.OPEN_ACL_UNSAFE),
        new Change(10, "/b/z", EventType.NODE_DELETED, Acl.OPEN_ACL_UNSAFE),
        new Change(10, "/b", EventType.NODE_CHILDREN_CHANGED, Acl.OPEN_ACL_UNSAFE));
    assertThat(tree.statOrNull("/b").pzxid()).isEqualTo(10);
    assertThat(tree.ephemeralCount(1)).isZero();
    assertThat(tree.ephemeralCount()).isEqualTo(1);
    assertThat(tree.removeEphemerals(1, 11)).isEmpty();
    assertThat(tree.statOrNull("/other")).isNotNull();
    tree.checkInvariants();
  }

  @Test
  void deletingAnEphemeralUpdatesTheIndex() {
    mk(tree, "/e", CreateMode.EPHEMERAL, session(1), 2);
    tree.delete("/e", -1, ANON, 3);
    assertThat(tree.ephemeralCount(1)).isZero();
    assertThat(tree.removeEphemerals(1, 4)).isEmpty();
    tree.checkInvariants();
  }
}
