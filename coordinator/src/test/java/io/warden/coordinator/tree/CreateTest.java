package io.warden.coordinator.tree;

import static io.warden.coordinator.tree.Fixtures.ANON;
import static io.warden.coordinator.tree.Fixtures.bytes;
import static io.warden.coordinator.tree.Fixtures.mk;
import static io.warden.coordinator.tree.Fixtures.session;
import static io.warden.coordinator.tree.Fixtures.worldWithout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.Id;
import io.warden.protocol.Perms;
import io.warden.protocol.Stat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** create (§7.1): checks 5–12 in order, the new node's Stat, the parent's bookkeeping. */
class CreateTest {
  private final DataTree tree = DataTree.initial();

  private Result<Created> create(String path, List<Acl> acl, CreateMode mode, Caller caller) {
    return tree.create(path, bytes("x"), acl, mode, -1, caller, 50, 5000);
  }

  private ErrorCode code(String path) {
    return create(path, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, ANON).code();
  }

  @Test
  void newNodeStatAndParentBookkeeping() {
    mk(tree, "/p", 10);
    Stat parentBefore = tree.statOrNull("/p");
    Result<Created> r = tree.create("/p/c", bytes("hello"), Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT, -1, ANON, 11, 7777);
    assertThat(r.isOk()).isTrue();
    assertThat(r.value().path()).isEqualTo("/p/c");
    assertThat(r.value().stat()).isEqualTo(new Stat(11, 11, 7777, 7777, 0, 0, 0, 0, 5, 0, 11));
    assertThat(tree.statOrNull("/p/c")).isEqualTo(r.value().stat());
    Stat parent = tree.statOrNull("/p");
    assertThat(parent.pzxid()).isEqualTo(11);
    assertThat(parent.cversion()).isEqualTo(1);
    assertThat(parent.numChildren()).isEqualTo(1);
    assertThat(parent.mzxid()).isEqualTo(parentBefore.mzxid());
    assertThat(parent.version()).isEqualTo(parentBefore.version());
    assertThat(tree.statOrNull("/").cversion()).isEqualTo(0); // 2 * 1 - 2 children
    tree.checkInvariants();
  }

  @Test
  void nullAndEmptyDataStayDistinct() {
    tree.create("/null", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1, ANON, 2, 0);
    tree.create("/empty", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1, ANON, 3, 0);
    assertThat(tree.getData("/null", ANON).value().data()).isNull();
    assertThat(tree.getData("/empty", ANON).value().data()).isNotNull().isEmpty();
    assertThat(tree.statOrNull("/null").dataLength()).isZero();
    assertThat(tree.statOrNull("/empty").dataLength()).isZero();
    assertThat(tree.digest()).isNotEqualTo(swapped().digest());
  }

  private DataTree swapped() {
    DataTree other = DataTree.initial();
    other.create("/null", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1, ANON, 2, 0);
    other.create("/empty", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1, ANON, 3, 0);
    return other;
  }

  @Test
  void ephemeralOwnerIsVisibleOnlyForRealEphemerals() {
    Caller s = session(0x1234);
    tree.create("/e", null, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, -1, s, 2, 0);
    tree.create("/c", null, Acl.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, -1, s, 3, 0);
    tree.create("/t", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 500, s, 4, 0);
    tree.create("/p", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1, s, 5, 0);
    assertThat(tree.statOrNull("/e").ephemeralOwner()).isEqualTo(0x1234);
    assertThat(tree.statOrNull("/c").ephemeralOwner()).isZero();
    assertThat(tree.statOrNull("/t").ephemeralOwner()).isZero();
    assertThat(tree.statOrNull("/p").ephemeralOwner()).isZero();
    assertThat(tree.ephemeralCount(0x1234)).isEqualTo(1);
  }

  @Test
  void sequentialNamesComeFromTheParentsCreationCounter() {
    mk(tree, "/q", 2);
    assertThat(mk(tree, "/q/", CreateMode.PERSISTENT_SEQUENTIAL, ANON, 3))
        .isEqualTo("/q/0000000000");
    mk(tree, "/q/plain", 4); // a non-sequential child also advances the counter
    assertThat(mk(tree, "/q/job-", CreateMode.EPHEMERAL_SEQUENTIAL, session(7), 5))
        .isEqualTo("/q/job-0000000002");
    assertThat(tree.delete("/q/plain", -1, ANON, 6).isOk()).isTrue(); // deletes never go back
    assertThat(mk(tree, "/q/", CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, ANON, 7))
        .isEqualTo("/q/0000000003");
    assertThat(tree.statOrNull("/q").cversion()).isEqualTo(2 * 4 - 3);
  }

  @Test
  void sequentialCreateOfTheRootPathMakesARootChild() {
    assertThat(mk(tree, "/", CreateMode.PERSISTENT_SEQUENTIAL, ANON, 2)).isEqualTo("/0000000000");
  }

  @Test
  void sequenceSuffixIsPercent010d() {
    for (int v : new int[] {0, 1, 42, 999_999_999, 1_000_000_000, Integer.MAX_VALUE, -1, -42,
        -999_999_999, -1_000_000_000, Integer.MIN_VALUE}) {
      assertThat(DataTree.sequenceSuffix(v)).isEqualTo(String.format(Locale.ROOT, "%010d", v));
    }
    assertThat(DataTree.sequenceSuffix(Integer.MIN_VALUE)).isEqualTo("-2147483648");
  }

  // ---- error precedence, in the order of §7.1 steps 5–12

  @ParameterizedTest
  @ValueSource(strings = {"", "noslash", "/a\u0000b"})
  void step5PathWithoutSlashOrWithNul(String path) {
    // even with an invalid ACL and a missing parent, the path check wins
    assertThat(create(path, List.of(), CreateMode.PERSISTENT, ANON).code())
        .isEqualTo(ErrorCode.BAD_ARGUMENTS);
  }

  @Test
  void step6AclBeforeParentExistence() {
    assertThat(create("/missing/x", List.of(), CreateMode.PERSISTENT, ANON).code())
        .isEqualTo(ErrorCode.INVALID_ACL);
    assertThat(create("/missing/x", Acl.CREATOR_ALL_ACL, CreateMode.PERSISTENT, ANON).code())
        .as("auth without an authenticated identity").isEqualTo(ErrorCode.INVALID_ACL);
  }

  @Test
  void step7ParentMissingBeforePathRules() {
    // "a/b" fails the path rules, but ZooKeeper looks up the parent "a" first
    assertThat(code("a/b")).isEqualTo(ErrorCode.NO_NODE);
    assertThat(code("/missing/child")).isEqualTo(ErrorCode.NO_NODE);
    assertThat(code("/a//b")).isEqualTo(ErrorCode.NO_NODE);
  }

  @Test
  void step8CreatePermissionOnTheParentBeforePathRulesAndExistence() {
    tree.create("/locked", null, worldWithout(Perms.CREATE), CreateMode.PERSISTENT, -1, ANON, 2, 0);
    tree.create("/locked2", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1, ANON, 3, 0);
    tree.create("/locked2/x", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1, ANON, 4, 0);
    tree.setAcl("/locked2", worldWithout(Perms.CREATE), -1, ANON, 5);
    assertThat(code("/locked/x")).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(code("/locked/.")).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(code("/locked2/x")).as("exists, but no CREATE").isEqualTo(ErrorCode.NO_AUTH);
    assertThat(code("/locked/x")).isEqualTo(ErrorCode.NO_AUTH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a/", "/a/.", "/a/..", "/a/b\u0001"})
  void step10PathRulesAfterParentChecks(String path) {
    mk(tree, "/a", 2);
    assertThat(code(path)).isEqualTo(ErrorCode.BAD_ARGUMENTS);
  }

  @Test
  void step10SequentialPathIsValidatedWithItsSuffix() {
    mk(tree, "/a", 2);
    assertThat(create("/a/", Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, ANON).code())
        .isEqualTo(ErrorCode.OK);
    assertThat(create("/a/.", Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, ANON).code())
        .as("/a/.0000000001 is a valid name").isEqualTo(ErrorCode.OK);
  }

  @Test
  void step11NodeExists() {
    mk(tree, "/a", 2);
    assertThat(code("/a")).isEqualTo(ErrorCode.NODE_EXISTS);
    assertThat(code("/")).isEqualTo(ErrorCode.NODE_EXISTS);
    assertThat(code("/zookeeper")).isEqualTo(ErrorCode.NODE_EXISTS);
  }

  @Test
  void step12NoChildrenForEphemeralsAfterNodeExists() {
    tree.create("/e", null, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, -1, session(9), 2, 0);
    assertThat(code("/e/child")).isEqualTo(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
    assertThat(code("/e")).isEqualTo(ErrorCode.NODE_EXISTS);
    assertThat(create("/e/", Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, ANON).code())
        .isEqualTo(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
  }

  @Test
  void containersAndTtlParentsMayHaveChildren() {
    mk(tree, "/c", CreateMode.CONTAINER, ANON, 2);
    mk(tree, "/t", CreateMode.PERSISTENT_WITH_TTL, ANON, 3);
    mk(tree, "/c/x", 4);
    mk(tree, "/t/x", 5);
  }

  @Test
  void failedCreateChangesNothing() {
    mk(tree, "/a", 2);
    long digest = tree.digest();
    tree.drainChanges();
    assertThat(code("/a")).isEqualTo(ErrorCode.NODE_EXISTS);
    assertThat(tree.digest()).isEqualTo(digest);
    assertThat(tree.drainChanges()).isEmpty();
    assertThat(tree.statOrNull("/").cversion()).isEqualTo(0);
  }

  @Test
  void recordsNodeCreatedThenParentChildrenChanged() {
    tree.drainChanges();
    List<Acl> acl = List.of(new Acl(Perms.READ, Id.ANYONE));
    tree.create("/a", null, acl, CreateMode.PERSISTENT, -1, ANON, 2, 0);
    assertThat(tree.drainChanges()).containsExactly(
        new Change(2, "/a", EventType.NODE_CREATED, acl),
        new Change(2, "/", EventType.NODE_CHILDREN_CHANGED, Acl.OPEN_ACL_UNSAFE));
  }

  @Test
  void ephemeralWithoutSessionIsAProgrammingError() {
    assertThatThrownBy(() -> tree.create("/e", null, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL,
        -1, new Caller(0, List.of()), 2, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.create("/t", null, Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_WITH_TTL, 0, ANON, 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
