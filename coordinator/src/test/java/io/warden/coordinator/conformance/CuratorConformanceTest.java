package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.recipes.nodes.PersistentTtlNode;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Curator 5 against the server: the framework's CRUD and transactions, and the recipes
 * brokers rely on (lock, leader latch, cache over persistent recursive watches, persistent
 * ephemeral node). Each recipe runs with several independent clients (sessions).
 */
class CuratorConformanceTest {
  private static final Duration WAIT = Duration.ofSeconds(Events.WAIT_S);

  @TempDir static Path dir;
  static Target target;

  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private final List<AutoCloseable> closeFirst = new ArrayList<>();
  private String root;

  @BeforeAll
  static void startServer() {
    target = Target.start(dir);
  }

  @AfterAll
  static void stopServer() {
    target.close();
  }

  @BeforeEach
  void name(TestInfo info) {
    root = "/" + info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeFirst) {
      c.close();
    }
    for (AutoCloseable c : closeLast) {
      c.close();
    }
  }

  private CuratorFramework client() throws InterruptedException {
    CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(target.connectString())
            .sessionTimeoutMs(Clients.SESSION_TIMEOUT_MS)
            .connectionTimeoutMs(10_000)
            .retryPolicy(new ExponentialBackoffRetry(50, 5))
            .build();
    closeLast.add(c);
    c.start();
    assertThat(c.blockUntilConnected((int) Events.WAIT_S, TimeUnit.SECONDS))
        .as("curator connected")
        .isTrue();
    return c;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void frameworkCrudAndTransactions() throws Exception {
    CuratorFramework c = client();
    c.create().creatingParentsIfNeeded().forPath(root + "/a/b/c", bytes("deep"));
    assertThat(c.getData().forPath(root + "/a/b/c")).asString().isEqualTo("deep");
    Stat stat = c.setData().withVersion(0).forPath(root + "/a/b/c", bytes("changed"));
    assertThat(stat.getVersion()).isEqualTo(1);
    assertThat(c.getChildren().forPath(root + "/a")).containsExactly("b");
    // protected ephemeral sequential: the GUID prefix Curator uses to find its node after a loss
    String prot =
        c.create()
            .withProtection()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(root + "/a/lock-");
    assertThat(prot).startsWith(root + "/a/_c_").endsWith("lock-0000000001");
    assertThat(c.checkExists().forPath(prot).getEphemeralOwner())
        .isEqualTo(c.getZookeeperClient().getZooKeeper().getSessionId());

    CuratorOp create = c.transactionOp().create().forPath(root + "/t", bytes("1"));
    CuratorOp set = c.transactionOp().setData().forPath(root + "/t", bytes("2"));
    CuratorOp check = c.transactionOp().check().withVersion(1).forPath(root + "/t");
    List<CuratorTransactionResult> results = c.transaction().forOperations(create, set, check);
    assertThat(results).hasSize(3);
    assertThat(results.get(0).getForPath()).isEqualTo(root + "/t");
    assertThat(c.getData().forPath(root + "/t")).asString().isEqualTo("2");

    c.delete().deletingChildrenIfNeeded().forPath(root);
    assertThat(c.checkExists().forPath(root)).isNull();
  }

  @Test
  void interProcessMutexGivesExactCounts() throws Exception {
    int clients = 4;
    int incrementsEach = 15;
    String counter = root + "/counter";
    CuratorFramework setup = client();
    setup.create().creatingParentsIfNeeded().forPath(counter, bytes("0"));
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    closeFirst.add(pool::shutdownNow);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      CuratorFramework c = client();
      InterProcessMutex mutex = new InterProcessMutex(c, root + "/lock");
      done.add(
          pool.submit(
              () -> {
                for (int n = 0; n < incrementsEach; n++) {
                  mutex.acquire();
                  try {
                    // read-modify-write without a version: only the lock prevents lost updates
                    int v =
                        Integer.parseInt(
                            new String(c.getData().forPath(counter), StandardCharsets.UTF_8));
                    c.setData().forPath(counter, bytes(Integer.toString(v + 1)));
                  } finally {
                    mutex.release();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertThat(setup.getData().forPath(counter))
        .asString()
        .isEqualTo(Integer.toString(clients * incrementsEach));
    assertThat(setup.getChildren().forPath(root + "/lock"))
        .as("every lock node released")
        .isEmpty();
  }

  @Test
  void leaderLatchElectsExactlyOneAndFailsOver() throws Exception {
    List<LeaderLatch> latches = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      LeaderLatch latch = new LeaderLatch(client(), root, "node-" + i);
      latches.add(latch);
      latch.start();
    }
    await()
        .atMost(WAIT)
        .until(() -> latches.stream().filter(LeaderLatch::hasLeadership).count() == 1);
    LeaderLatch leader =
        latches.stream().filter(LeaderLatch::hasLeadership).findFirst().orElseThrow();
    for (LeaderLatch l : latches) {
      await().atMost(WAIT).until(() -> l.getLeader().getId().equals(leader.getId()));
    }

    leader.close();
    List<LeaderLatch> rest = new ArrayList<>(latches);
    rest.remove(leader);
    await().atMost(WAIT).until(() -> rest.stream().filter(LeaderLatch::hasLeadership).count() == 1);
    LeaderLatch next = rest.stream().filter(LeaderLatch::hasLeadership).findFirst().orElseThrow();
    assertThat(next.getId()).isNotEqualTo(leader.getId());
    assertThat(rest.stream().filter(LeaderLatch::hasLeadership).count()).isEqualTo(1);
    for (LeaderLatch l : rest) {
      closeFirst.add(l);
    }
  }

  @Test
  void curatorCacheSeesCreatesChangesAndDeletes() throws Exception {
    CuratorFramework watcher = client();
    CuratorFramework writer = client();
    writer.create().forPath(root, bytes("root"));
    Queue<String> seen = new ConcurrentLinkedQueue<>();
    CuratorCache cache = CuratorCache.build(watcher, root);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreates(n -> seen.add("created " + n.getPath()))
                .forChanges(
                    (before, after) ->
                        seen.add(
                            "changed "
                                + after.getPath()
                                + " "
                                + new String(after.getData(), StandardCharsets.UTF_8)))
                .forDeletes(n -> seen.add("deleted " + n.getPath()))
                .build());
    closeFirst.add(cache);
    cache.start();
    await().atMost(WAIT).until(() -> seen.contains("created " + root));

    // one step at a time: the cache fetches data after each event, so it may legitimately skip
    // states that have already gone by the time it reads
    writer.create().forPath(root + "/a", bytes("1"));
    await().atMost(WAIT).until(() -> seen.contains("created " + root + "/a"));
    writer.create().forPath(root + "/a/deep", bytes("d"));
    await().atMost(WAIT).until(() -> seen.contains("created " + root + "/a/deep"));
    writer.setData().forPath(root + "/a", bytes("2"));
    await().atMost(WAIT).until(() -> seen.contains("changed " + root + "/a 2"));
    writer.delete().forPath(root + "/a/deep");
    await().atMost(WAIT).until(() -> seen.contains("deleted " + root + "/a/deep"));
    assertThat(cache.get(root + "/a"))
        .hasValueSatisfying(d -> assertThat(d.getData()).asString().isEqualTo("2"));
    assertThat(cache.get(root + "/a/deep")).isEmpty();
  }

  /**
   * PersistentTtlNode: a container whose TTL child Curator keeps touching; once closed, the TTL
   * child expires and the empty container is reaped — the server's reaper end to end.
   */
  @Test
  void persistentTtlNodeLivesWhileTouchedAndIsReapedAfterClose() throws Exception {
    CuratorFramework owner = client();
    CuratorFramework other = client();
    String path = root + "/ttl-member";
    PersistentTtlNode node = new PersistentTtlNode(owner, path, 400, bytes("here"));
    node.start();
    assertThat(node.waitForInitialCreate(Events.WAIT_S, TimeUnit.SECONDS)).isTrue();
    await()
        .atMost(WAIT)
        .until(
            () ->
                other.checkExists().forPath(path + "/" + PersistentTtlNode.DEFAULT_CHILD_NODE_NAME)
                    != null);
    assertThat(other.getData().forPath(path)).asString().isEqualTo("here");
    assertThat(other.checkExists().forPath(path).getEphemeralOwner()).as("a container").isZero();

    node.close();
    await().atMost(WAIT).until(() -> other.checkExists().forPath(path) == null);
  }

  @Test
  void persistentNodeComesBackAfterItIsDeleted() throws Exception {
    CuratorFramework owner = client();
    CuratorFramework other = client();
    String path = root + "/member";
    PersistentNode node =
        new PersistentNode(owner, CreateMode.EPHEMERAL, false, path, bytes("alive"));
    closeFirst.add(node);
    node.start();
    assertThat(node.waitForInitialCreate(Events.WAIT_S, TimeUnit.SECONDS)).isTrue();
    Stat first = other.checkExists().forPath(path);
    assertThat(first.getEphemeralOwner())
        .isEqualTo(owner.getZookeeperClient().getZooKeeper().getSessionId());

    other.delete().forPath(path);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Stat s = other.checkExists().forPath(path);
              return s != null && s.getCzxid() > first.getCzxid();
            });
    assertThat(other.getData().forPath(path)).asString().isEqualTo("alive");
  }
}
