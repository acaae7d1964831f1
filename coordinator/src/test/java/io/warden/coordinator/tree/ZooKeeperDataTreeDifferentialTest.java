package io.warden.coordinator.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Id;
import io.warden.protocol.Perms;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.zookeeper.server.DataNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Differential test against the real thing: the same random create/delete/setData/session-close
 * sequence drives our tree and ZooKeeper's own {@code org.apache.zookeeper.server.DataTree}
 * (fed with the same zxids and times, and with the paths our tree chose), and after every step
 * every node's Stat (all eleven fields), data, ACL and children must agree, as must the
 * sequential names (predicted from ZooKeeper's parent counter), node counts, data size,
 * ephemeral sets and container/TTL sets. When we refuse an operation, ZooKeeper's state must
 * justify the error. ZooKeeper's DataTree does no ACL checks, so every caller here is super.
 * Prints its seed; {@code -Dwarden.tree.seed=N} replays it. Needs metrics-core (see ZkOracle).
 */
class ZooKeeperDataTreeDifferentialTest {
  private static final String EXTENDED_TYPES = "zookeeper.extendedTypesEnabled";
  private static final String[] NAMES = {"a", "b", "c"};
  private static final List<List<Acl>> ACLS = List.of(Acl.OPEN_ACL_UNSAFE, Acl.READ_ACL_UNSAFE,
      List.of(new Acl(Perms.ALL, Fixtures.digest("alice:secret")),
          new Acl(Perms.READ, new Id("ip", "10.0.0.0/8"))));

  private String previousExtendedTypes;
  private Random random;
  private DataTree ours;
  private org.apache.zookeeper.server.DataTree zk;
  private long zxid;

  @BeforeEach
  void enableExtendedTypes() {
    // TTL owners are decoded as TTL (client-visible owner 0) only with extended types on
    previousExtendedTypes = System.setProperty(EXTENDED_TYPES, "true");
  }

  @AfterEach
  void restoreExtendedTypes() {
    if (previousExtendedTypes == null) {
      System.clearProperty(EXTENDED_TYPES);
    } else {
      System.setProperty(EXTENDED_TYPES, previousExtendedTypes);
    }
  }

  @Test
  void randomWorkloadMatchesZooKeeper() throws Exception {
    ZkOracle.requireServerClasses();
    long seed = RandomOps.seed("randomWorkloadMatchesZooKeeper");
    random = new Random(seed);
    ours = DataTree.initial();
    zk = new org.apache.zookeeper.server.DataTree();
    int applied = 0;
    for (int i = 0; i < 2_500; i++) {
      zxid++;
      String what = step();
      if (!what.contains("->")) {
        applied++;
      }
      compareAll("step " + i + " (" + what + ", seed " + seed + ")");
    }
    System.out.println("applied " + applied + " of 2500 operations; final tree has "
        + ours.nodeCount() + " nodes");
    assertThat(applied).as("the workload must do real work").isGreaterThan(700);
  }

  private String path() {
    StringBuilder sb = new StringBuilder();
    int depth = 1 + random.nextInt(3);
    for (int i = 0; i < depth; i++) {
      sb.append('/').append(NAMES[random.nextInt(NAMES.length)]);
    }
    return sb.toString();
  }

  private byte[] data() {
    int kind = random.nextInt(4);
    if (kind == 0) {
      return null;
    }
    byte[] b = new byte[kind == 1 ? 0 : random.nextInt(10)];
    random.nextBytes(b);
    return b;
  }

  private Caller caller(long session) {
    return new Caller(session, List.of(new Id("ip", "127.0.0.1"), new Id("super", "")));
  }

  /** One random operation on both trees; returns "op path" if applied, "op path -> CODE" if not. */
  private String step() throws Exception {
    int kind = random.nextInt(100);
    long session = 1 + random.nextInt(3);
    long timeMs = 1_000 + zxid * 7;
    if (kind < 50) {
      return create(session, timeMs);
    }
    if (kind < 75) {
      String path = path();
      int version = random.nextInt(3) - 1;
      ErrorCode code = ours.delete(path, version, caller(session), zxid).code();
      if (code == ErrorCode.OK) {
        zk.deleteNode(path, zxid);
        return "delete " + path;
      }
      justifyDeleteError(code, path, version);
      return "delete " + path + " -> " + code;
    }
    if (kind < 95) {
      String path = path();
      int version = random.nextInt(3) - 1;
      byte[] data = data();
      Result<io.warden.protocol.Stat> r = ours.setData(path, data, version, caller(session), zxid,
          timeMs);
      if (r.isOk()) {
        zk.setData(path, data, r.value().version(), zxid, timeMs);
        return "setData " + path;
      }
      DataNode node = zk.getNode(path);
      assertThat(r.code() == ErrorCode.NO_NODE ? node == null
          : node != null && node.stat.getVersion() != version).as("%s on %s", r.code(), path)
          .isTrue();
      return "setData " + path + " -> " + r.code();
    }
    List<String> removed = ours.removeEphemerals(session, zxid);
    assertThat(new HashSet<>(removed)).isEqualTo(zk.getEphemerals(session));
    for (String path : removed) {
      zk.deleteNode(path, zxid);
    }
    return "closeSession " + session;
  }

  private String create(long session, long timeMs) throws Exception {
    CreateMode mode = CreateMode.values()[random.nextInt(CreateMode.values().length)];
    String path = mode.isSequential() && random.nextBoolean() ? path() + "/" : path();
    byte[] data = data();
    List<Acl> acl = ACLS.get(random.nextInt(ACLS.size()));
    long ttl = 1 + random.nextInt(1000);
    String parentPath = path.substring(0, path.lastIndexOf('/'));
    DataNode zkParent = zk.getNode(parentPath);
    Result<Created> r = ours.create(path, data, acl, mode, ttl, caller(session), zxid, timeMs);
    if (!r.isOk()) {
      justifyCreateError(r.code(), path, mode, zkParent);
      return "create " + path + " -> " + r.code();
    }
    String expected = mode.isSequential()
        ? path + String.format("%010d", zkParent.stat.getCversion()) : path;
    assertThat(r.value().path()).isEqualTo(expected);
    long owner = mode.isEphemeral() ? session
        : mode.isContainer() ? Long.MIN_VALUE
        : mode.isTtl() ? 0xFF00000000000000L | ttl : 0;
    zk.createNode(expected, data, ZkOracle.toZkAcl(acl), owner, -1, zxid, timeMs,
        new org.apache.zookeeper.data.Stat());
    return "create " + expected + " " + mode;
  }

  private void justifyCreateError(ErrorCode code, String path, CreateMode mode, DataNode parent) {
    switch (code) {
      case NO_NODE -> assertThat(parent).as("NO_NODE for %s", path).isNull();
      case NODE_EXISTS -> assertThat(mode.isSequential() ? null : zk.getNode(path))
          .as("NODE_EXISTS for %s", path).isNotNull();
      case NO_CHILDREN_FOR_EPHEMERALS -> assertThat(clientOwner(parent)).isNotZero();
      default -> throw new AssertionError("unexpected " + code + " for create " + path);
    }
  }

  private void justifyDeleteError(ErrorCode code, String path, int version) {
    DataNode node = zk.getNode(path);
    switch (code) {
      case NO_NODE -> assertThat(node).isNull();
      case BAD_VERSION -> assertThat(node.stat.getVersion()).isNotEqualTo(version);
      case NOT_EMPTY -> assertThat(node.getChildren()).isNotEmpty();
      default -> throw new AssertionError("unexpected " + code + " for delete " + path);
    }
  }

  private long clientOwner(DataNode node) {
    org.apache.zookeeper.data.Stat s = new org.apache.zookeeper.data.Stat();
    node.copyStat(s);
    return s.getEphemeralOwner();
  }

  private void compareAll(String context) throws Exception {
    List<String> pending = new ArrayList<>(List.of("/"));
    int visited = 0;
    while (!pending.isEmpty()) {
      String path = pending.remove(pending.size() - 1);
      visited++;
      org.apache.zookeeper.data.Stat zkStat = new org.apache.zookeeper.data.Stat();
      byte[] zkData = zk.getData(path, zkStat, null);
      List<String> zkChildren = zk.getChildren(path, null, null);
      DataAndStat mine = ours.getData(path, Fixtures.SUPER).value();
      assertThat(mine).as("%s: %s missing", context, path).isNotNull();
      assertThat(ZkOracle.toZk(mine.stat())).as("%s: stat of %s", context, path)
          .isEqualTo(zkStat);
      assertThat(mine.data()).as("%s: data of %s", context, path).isEqualTo(zkData);
      assertThat(ours.aclOrNull(path)).as("%s: acl of %s", context, path)
          .isEqualTo(ZkOracle.fromZkAcl(zk.getACL(path, null)));
      assertThat(ours.getChildren(path, Fixtures.SUPER).value().children())
          .as("%s: children of %s", context, path).containsExactlyInAnyOrderElementsOf(zkChildren);
      for (String child : zkChildren) {
        pending.add(path.equals("/") ? "/" + child : path + "/" + child);
      }
    }
    assertThat(ours.nodeCount()).as(context).isEqualTo(visited).isEqualTo(zk.getNodeCount() - 1);
    assertThat(ours.approximateDataBytes()).as(context).isEqualTo(zk.approximateDataSize());
    assertThat(ours.ephemeralCount()).as(context).isEqualTo(zk.getEphemeralsCount());
    for (long s = 1; s <= 3; s++) {
      assertThat(ours.getEphemerals(s, null)).as(context)
          .containsExactlyInAnyOrderElementsOf(zk.getEphemerals(s));
    }
    Set<String> reapable = new HashSet<>(zk.getContainers());
    reapable.addAll(zk.getTtls());
    assertThat(ours.mark().state().reapable().toList()).as(context)
        .containsExactlyInAnyOrderElementsOf(reapable);
    assertThat(ours.getAllChildrenNumber("/", Fixtures.SUPER).value())
        .isEqualTo(zk.getAllChildrenNumber("/"));
  }
}
