package io.warden.coordinator.tree;


import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap per znode, measured with {@link Runtime} (no JOL): builds a tree of 200,000 small nodes
 * (10-byte data, shared ACL, paths like {@code /brokers/topics/t12/partitions/7}) and divides
 * the retained heap by the node count; also ZooKeeper's own DataTree for comparison when its
 * server classes are available. A report, not a test or a benchmark: run it on demand, e.g.
 * {@code java -cp <coordinator test classpath> io.warden.coordinator.tree.TreeMemoryReport}.
 */
public final class TreeMemoryReport {
  private static final int TOPICS = 20_000;
  private static final int PARTITIONS = 9;

  private TreeMemoryReport() {
  }

  public static void main(String[] args) throws Exception {
    List<Object> keep = new ArrayList<>();
    long base = usedHeap();
    DataTree tree = build();
    keep.add(tree);
    long ours = usedHeap() - base;
    int nodes = tree.nodeCount();
    System.out.printf("warden DataTree: %d nodes, %d bytes retained, %.0f bytes per znode%n",
        nodes, ours, (double) ours / nodes);
    TreeImage image = tree.image();
    for (int t = 0; t < TOPICS; t += 2) {
      tree.setData("/brokers/topics/t" + t, new byte[10], -1, Fixtures.SUPER, 10_000_000L + t, 0);
    }
    long afterHalfUpdated = usedHeap() - base;
    System.out.printf("after updating half the topics with an image held: +%d bytes%n",
        afterHalfUpdated - ours);
    keep.add(image);
    if (ZkOracle.serverClassesAvailable()) {
      long zkBase = usedHeap();
      Object zk = buildZk();
      keep.add(zk);
      long zkBytes = usedHeap() - zkBase;
      System.out.printf("ZooKeeper DataTree: %d bytes retained, %.0f bytes per znode%n",
          zkBytes, (double) zkBytes / nodes);
    }
    reportMapOverhead();
    System.out.println("objects kept alive for the measurement: " + keep.size());
  }

  /** Bytes per entry of the trie itself (keys and values are allocated and kept beforehand). */
  private static void reportMapOverhead() throws InterruptedException {
    int n = 200_000;
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = "/key/" + i;
    }
    long base = usedHeap();
    io.warden.coordinator.tree.persistent.PersistentMap<String, String> map =
        io.warden.coordinator.tree.persistent.PersistentMap.empty();
    for (String k : keys) {
      map = map.put(k, k);
    }
    long champ = usedHeap() - base;
    base = usedHeap();
    java.util.HashMap<String, String> hashMap = new java.util.HashMap<>();
    for (String k : keys) {
      hashMap.put(k, k);
    }
    long hash = usedHeap() - base;
    System.out.printf("per map entry: PersistentMap %.1f bytes, java.util.HashMap %.1f bytes%n",
        (double) champ / n, (double) hash / n);
    if (map.size() != hashMap.size()) {
      throw new IllegalStateException("maps differ in size");
    }
  }

  private static DataTree build() {
    DataTree tree = DataTree.initial();
    long zxid = 1;
    create(tree, "/brokers", zxid++);
    create(tree, "/brokers/topics", zxid++);
    for (int t = 0; t < TOPICS; t++) {
      String topic = "/brokers/topics/t" + t;
      create(tree, topic, zxid++);
      create(tree, topic + "/partitions", zxid++);
      for (int p = 0; p < PARTITIONS; p++) {
        create(tree, topic + "/partitions/" + p, zxid++);
      }
    }
    tree.drainChanges(); // the watch events would go to the watch registry, not stay here
    return tree;
  }

  private static void create(DataTree tree, String path, long zxid) {
    tree.create(path, new byte[10], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1,
        Fixtures.SUPER, zxid, zxid);
  }

  private static Object buildZk() throws Exception {
    org.apache.zookeeper.server.DataTree zk = new org.apache.zookeeper.server.DataTree();
    var acl = org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE;
    long zxid = 1;
    zk.createNode("/brokers", new byte[10], acl, 0, -1, zxid, zxid++);
    zk.createNode("/brokers/topics", new byte[10], acl, 0, -1, zxid, zxid++);
    for (int t = 0; t < TOPICS; t++) {
      String topic = "/brokers/topics/t" + t;
      zk.createNode(topic, new byte[10], acl, 0, -1, zxid, zxid++);
      zk.createNode(topic + "/partitions", new byte[10], acl, 0, -1, zxid, zxid++);
      for (int p = 0; p < PARTITIONS; p++) {
        zk.createNode(topic + "/partitions/" + p, new byte[10], acl, 0, -1, zxid, zxid++);
      }
    }
    return zk;
  }

  private static long usedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50); // lets the collector finish; a measurement pause, not synchronisation
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
