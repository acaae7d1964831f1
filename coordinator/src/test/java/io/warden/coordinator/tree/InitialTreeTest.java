package io.warden.coordinator.tree;

import static io.warden.coordinator.tree.Fixtures.ANON;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Acl;
import io.warden.protocol.Stat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The initial tree is exactly a fresh ZooKeeper 3.9 server's (oracle: ZooKeeper's DataTree). */
class InitialTreeTest {
  private final DataTree tree = DataTree.initial();

  @ParameterizedTest
  @ValueSource(strings = {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"})
  void builtInNodesHaveEmptyDataAndZeroStats(String path) {
    DataAndStat ours = tree.getData(path, ANON).value();
    assertThat(ours.data()).isNotNull().isEmpty();
    Stat s = ours.stat();
    assertThat(List.of(s.czxid(), s.mzxid(), s.pzxid(), s.ctime(), s.mtime(), s.ephemeralOwner()))
        .containsOnly(0L);
    assertThat(s.version()).isZero();
    assertThat(s.dataLength()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"})
  void builtInNodesMatchZooKeeper(String path) throws Exception {
    ZkOracle.requireServerClasses();
    org.apache.zookeeper.server.DataTree zk = new org.apache.zookeeper.server.DataTree();
    org.apache.zookeeper.data.Stat zkStat = new org.apache.zookeeper.data.Stat();
    byte[] zkData = zk.getData(path, zkStat, null);

    Result<DataAndStat> ours = tree.getData(path, ANON);
    assertThat(ours.isOk()).isTrue();
    assertThat(ours.value().data()).isEqualTo(zkData).isNotNull();
    assertThat(ZkOracle.toZk(ours.value().stat())).isEqualTo(zkStat);
    assertThat(ZkOracle.fromZkAcl(zk.getACL(path, null))).isEqualTo(tree.aclOrNull(path));
    assertThat(tree.getChildren(path, ANON).value().children())
        .containsExactlyInAnyOrderElementsOf(zk.getChildren(path, null, null));
  }

  @Test
  void cversionQuirkOfTheBuiltInParents() {
    assertThat(tree.statOrNull("/").cversion()).isEqualTo(-1);
    assertThat(tree.statOrNull("/zookeeper").cversion()).isEqualTo(-2);
    assertThat(tree.statOrNull("/zookeeper/config").aversion()).isEqualTo(-1);
  }

  @Test
  void countsAndSizes() {
    assertThat(tree.nodeCount()).isEqualTo(4);
    assertThat(tree.approximateDataBytes()).isEqualTo(44);
    assertThat(tree.getAllChildrenNumber("/", ANON).value()).isEqualTo(3);
    assertThat(tree.getAllChildrenNumber("", ANON).value()).isEqualTo(4);
    assertThat(tree.getAllChildrenNumber("/zookeeper", ANON).value()).isEqualTo(2);
    assertThat(tree.ephemeralCount()).isZero();
    tree.checkInvariants();
  }

  @Test
  void countsAndSizesMatchZooKeeper() {
    ZkOracle.requireServerClasses();
    org.apache.zookeeper.server.DataTree zk = new org.apache.zookeeper.server.DataTree();
    assertThat(tree.nodeCount()).isEqualTo(zk.getNodeCount() - 1);
    assertThat(tree.approximateDataBytes()).isEqualTo(zk.approximateDataSize());
    for (String path : List.of("/", "", "/zookeeper")) {
      assertThat(tree.getAllChildrenNumber(path, ANON).value())
          .isEqualTo(zk.getAllChildrenNumber(path));
    }
  }

  @Test
  void configIsReadOnlyForTheWorld() {
    assertThat(tree.aclOrNull("/zookeeper/config")).isSameAs(Acl.READ_ACL_UNSAFE);
    assertThat(tree.aclOrNull("/")).isSameAs(Acl.OPEN_ACL_UNSAFE);
  }

  @Test
  void emptyPathAliasesTheRoot() {
    Stat root = tree.statOrNull("/");
    assertThat(tree.statOrNull("")).isEqualTo(root);
    assertThat(tree.exists("", ANON).value()).isEqualTo(root);
    assertThat(tree.getChildren("", ANON).value().children()).containsExactly("zookeeper");
  }

  @Test
  void twoInitialTreesHaveTheSameDigest() {
    assertThat(DataTree.initial().digest()).isEqualTo(tree.digest()).isNotZero();
    assertThat(List.of(tree.getChildren("/zookeeper", ANON).value().children()))
        .isNotEmpty();
  }
}
