package io.warden.coordinator.tree;

import static io.warden.coordinator.tree.Fixtures.ANON;
import static io.warden.coordinator.tree.Fixtures.SUPER;
import static io.warden.coordinator.tree.Fixtures.bytes;
import static io.warden.coordinator.tree.Fixtures.mk;
import static io.warden.coordinator.tree.Fixtures.worldWithout;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.Perms;
import io.warden.protocol.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** delete (§7.2), setData (§7.5) and check (§7.11): error precedence and Stat changes. */
class DeleteSetDataCheckTest {
  private final DataTree tree = DataTree.initial();

  // ---------------------------------------------------------------------------------- delete

  @Test
  void deleteUpdatesOnlyTheParentsPzxid() {
    mk(tree, "/p", 2);
    mk(tree, "/p/c", 3);
    Stat before = tree.statOrNull("/p");
    assertThat(tree.delete("/p/c", 0, ANON, 9).isOk()).isTrue();
    Stat after = tree.statOrNull("/p");
    assertThat(after.pzxid()).isEqualTo(9);
    assertThat(after.numChildren()).isZero();
    assertThat(after.cversion()).isEqualTo(2); // 2 * 1 creation - 0 children
    assertThat(after).usingRecursiveComparison()
        .ignoringFields("pzxid", "numChildren", "cversion").isEqualTo(before);
    assertThat(tree.statOrNull("/p/c")).isNull();
    tree.checkInvariants();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config", "", "a",
      "/a\u0000"})
  void step2ProtectedOrMalformedPaths(String path) {
    assertThat(tree.delete(path, -1, SUPER, 5).code()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
  }

  @Test
  void step2OnlyChecksSlashNulAndProtectedNodes() {
    mk(tree, "/a", 2);
    assertThat(tree.delete("/a/", -1, ANON, 3).code()).as("parent /a, node '/a/' missing")
        .isEqualTo(ErrorCode.NO_NODE);
    assertThat(tree.delete("/zookeeper/", -1, ANON, 3).code()).isEqualTo(ErrorCode.NO_NODE);
  }

  @Test
  void step3ParentMissing() {
    assertThat(tree.delete("/missing/x", 7, ANON, 3).code()).isEqualTo(ErrorCode.NO_NODE);
  }

  @Test
  void step4ParentDeletePermissionBeforeNodeExistence() {
    tree.create("/locked", null, worldWithout(Perms.DELETE), CreateMode.PERSISTENT, -1, ANON, 2, 0);
    assertThat(tree.delete("/locked/missing", -1, ANON, 3).code()).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(tree.delete("/locked/missing", -1, SUPER, 3).code()).isEqualTo(ErrorCode.NO_NODE);
  }

  @Test
  void step4TheNodesOwnAclDoesNotMatter() {
    tree.create("/x", null, worldWithout(Perms.DELETE), CreateMode.PERSISTENT, -1, ANON, 2, 0);
    assertThat(tree.delete("/x", -1, ANON, 3).isOk()).isTrue();
  }

  @Test
  void step6VersionBeforeStep7Children() {
    mk(tree, "/a", 2);
    mk(tree, "/a/b", 3);
    assertThat(tree.delete("/a", 5, ANON, 4).code()).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.delete("/a", 0, ANON, 4).code()).isEqualTo(ErrorCode.NOT_EMPTY);
    assertThat(tree.delete("/a", -1, ANON, 4).code()).isEqualTo(ErrorCode.NOT_EMPTY);
  }

  @Test
  void deleteRecordsNodeDeletedThenParentChildrenChanged() {
    mk(tree, "/a", 2);
    tree.drainChanges();
    tree.delete("/a", -1, ANON, 3);
    assertThat(tree.drainChanges()).containsExactly(
        new Change(3, "/a", EventType.NODE_DELETED, Acl.OPEN_ACL_UNSAFE),
        new Change(3, "/", EventType.NODE_CHILDREN_CHANGED, Acl.OPEN_ACL_UNSAFE));
  }

  // --------------------------------------------------------------------------------- setData

  @Test
  void setDataChangesVersionMzxidMtimeOnly() {
    mk(tree, "/a", 2);
    Stat before = tree.statOrNull("/a");
    Result<Stat> r = tree.setData("/a", bytes("four"), 0, ANON, 8, 88_000);
    assertThat(r.isOk()).isTrue();
    assertThat(r.value()).isEqualTo(tree.statOrNull("/a"));
    assertThat(r.value()).isEqualTo(new Stat(before.czxid(), 8, before.ctime(), 88_000, 1,
        before.cversion(), before.aversion(), 0, 4, 0, before.pzxid()));
    assertThat(tree.setData("/a", null, 1, ANON, 9, 99_000).value().dataLength()).isZero();
    assertThat(tree.getData("/a", ANON).value().data()).isNull();
  }

  @Test
  void setDataErrorOrder() {
    tree.create("/ro", null, worldWithout(Perms.WRITE), CreateMode.PERSISTENT, -1, ANON, 2, 0);
    assertThat(tree.setData("/ro/", null, 7, ANON, 3, 0).code()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    assertThat(tree.setData("", null, 7, ANON, 3, 0).code()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    assertThat(tree.setData("/missing", null, 7, ANON, 3, 0).code()).isEqualTo(ErrorCode.NO_NODE);
    assertThat(tree.setData("/ro", null, 7, ANON, 3, 0).code()).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(tree.setData("/ro", null, 7, SUPER, 3, 0).code()).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.setData("/ro", null, 0, SUPER, 3, 0).code()).isEqualTo(ErrorCode.OK);
  }

  @Test
  void setDataRecordsDataChanged() {
    mk(tree, "/a", 2);
    tree.drainChanges();
    tree.setData("/a", null, -1, ANON, 3, 0);
    assertThat(tree.drainChanges()).containsExactly(
        new Change(3, "/a", EventType.NODE_DATA_CHANGED, Acl.OPEN_ACL_UNSAFE));
  }

  // ----------------------------------------------------------------------------------- check

  @Test
  void checkErrorOrder() {
    tree.create("/hidden", null, worldWithout(Perms.READ), CreateMode.PERSISTENT, -1, ANON, 2, 0);
    assertThat(tree.check("/hidden/", 7, ANON)).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    assertThat(tree.check("/missing", 7, ANON)).isEqualTo(ErrorCode.NO_NODE);
    assertThat(tree.check("/hidden", 7, ANON)).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(tree.check("/hidden", 7, SUPER)).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.check("/hidden", 0, SUPER)).isEqualTo(ErrorCode.OK);
    assertThat(tree.check("/hidden", -1, SUPER)).isEqualTo(ErrorCode.OK);
  }
}
