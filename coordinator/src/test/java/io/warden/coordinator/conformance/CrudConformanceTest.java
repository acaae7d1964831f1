package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

/**
 * Reads, writes and every create mode through the official ZooKeeper client, with the results
 * ZooKeeper gives (wire reference §7, §9). Each test works under its own root node. Malformed
 * paths, TTLs and mixed multis never reach a server from this client (it validates them
 * itself), so the server's own checks for them are left to protocol-level tests.
 */
class CrudConformanceTest extends ConformanceTest {



  @Test
  void persistentNodeLifecycle() throws Exception {
    String p = root + "/a";
    assertThat(zk.exists(p, false)).isNull();
    assertThat(zk.create(p, bytes("one"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).isEqualTo(p);

    Stat stat = new Stat();
    assertThat(zk.getData(p, false, stat)).asString().isEqualTo("one");
    assertThat(stat.getVersion()).isZero();
    assertThat(stat.getDataLength()).isEqualTo(3);
    assertThat(stat.getEphemeralOwner()).isZero();

    Stat changed = zk.setData(p, bytes("two!"), 0);
    assertThat(changed.getVersion()).isEqualTo(1);
    assertThat(changed.getDataLength()).isEqualTo(4);
    assertThat(changed.getCzxid()).isEqualTo(stat.getCzxid());
    assertThat(changed.getMzxid()).isGreaterThan(stat.getMzxid());
    assertThat(changed.getMtime()).isGreaterThanOrEqualTo(stat.getMtime());
    assertThat(changed.getCtime()).isEqualTo(stat.getCtime());
    assertThat(zk.getData(p, false, null)).asString().isEqualTo("two!");

    assertThatThrownBy(() -> zk.create(p, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(KeeperException.NodeExistsException.class);
    zk.delete(p, 1);
    assertThat(zk.exists(p, false)).isNull();
    assertThatThrownBy(() -> zk.getData(p, false, null))
        .isInstanceOf(KeeperException.NoNodeException.class);
    assertThatThrownBy(() -> zk.setData(p, null, -1))
        .isInstanceOf(KeeperException.NoNodeException.class);
    assertThatThrownBy(() -> zk.delete(p, -1)).isInstanceOf(KeeperException.NoNodeException.class);
  }

  @Test
  void create2ReturnsTheNewNodesStat() throws Exception {
    Stat stat = new Stat();
    String p =
        zk.create(root + "/s", bytes("xyz"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
    assertThat(p).isEqualTo(root + "/s");
    assertThat(stat.getCzxid()).isPositive();
    assertThat(stat.getMzxid()).isEqualTo(stat.getCzxid());
    assertThat(stat.getPzxid()).isEqualTo(stat.getCzxid());
    assertThat(stat.getCtime()).isPositive().isEqualTo(stat.getMtime());
    assertThat(stat.getVersion()).isZero();
    assertThat(stat.getCversion()).isZero();
    assertThat(stat.getAversion()).isZero();
    assertThat(stat.getEphemeralOwner()).isZero();
    assertThat(stat.getDataLength()).isEqualTo(3);
    assertThat(stat.getNumChildren()).isZero();
    assertThat(zk.exists(p, false)).isEqualTo(stat);

    // the parent: one child more, pzxid = the create's zxid, cversion counts the creation
    Stat parent = zk.exists(root, false);
    assertThat(parent.getNumChildren()).isEqualTo(1);
    assertThat(parent.getPzxid()).isEqualTo(stat.getCzxid());
    assertThat(parent.getCversion()).isEqualTo(1);
    zk.delete(p, -1);
    Stat afterDelete = zk.exists(root, false);
    assertThat(afterDelete.getNumChildren()).isZero();
    assertThat(afterDelete.getCversion()).isEqualTo(2);
    assertThat(afterDelete.getPzxid()).isGreaterThan(stat.getCzxid());
    assertThat(afterDelete.getMzxid()).isEqualTo(parent.getMzxid());
  }

  @Test
  void nullAndEmptyDataStayDistinct() throws Exception {
    zk.create(root + "/null", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/empty", new byte[0], Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    Stat stat = new Stat();
    assertThat(zk.getData(root + "/null", false, stat)).isNull();
    assertThat(stat.getDataLength()).isZero();
    assertThat(zk.getData(root + "/empty", false, stat)).isNotNull().isEmpty();
    assertThat(stat.getDataLength()).isZero();
    zk.setData(root + "/empty", null, -1);
    assertThat(zk.getData(root + "/empty", false, null)).isNull();
    zk.setData(root + "/null", new byte[0], -1);
    assertThat(zk.getData(root + "/null", false, null)).isNotNull().isEmpty();
  }

  @Test
  void versionsAreCheckedBySetDataDeleteAndSetAcl() throws Exception {
    String p = root + "/v";
    zk.create(p, bytes("0"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertThatThrownBy(() -> zk.setData(p, bytes("x"), 1))
        .isInstanceOf(KeeperException.BadVersionException.class);
    assertThat(zk.setData(p, bytes("1"), 0).getVersion()).isEqualTo(1);
    assertThat(zk.setData(p, bytes("2"), -1).getVersion()).isEqualTo(2);
    assertThatThrownBy(() -> zk.delete(p, 1))
        .isInstanceOf(KeeperException.BadVersionException.class);

    // setACL checks the ACL version (aversion), and changes nothing but aversion
    Stat before = zk.exists(p, false);
    assertThatThrownBy(() -> zk.setACL(p, Ids.READ_ACL_UNSAFE, 2))
        .isInstanceOf(KeeperException.BadVersionException.class);
    Stat after = zk.setACL(p, Ids.OPEN_ACL_UNSAFE, 0);
    assertThat(after.getAversion()).isEqualTo(1);
    assertThat(after.getVersion()).isEqualTo(before.getVersion());
    assertThat(after.getMzxid()).isEqualTo(before.getMzxid());
    assertThat(after.getMtime()).isEqualTo(before.getMtime());
    zk.delete(p, 2);
    assertThat(zk.exists(p, false)).isNull();
  }

  @Test
  void childrenAndNotEmpty() throws Exception {
    zk.create(root + "/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    for (String c : List.of("x", "y", "z")) {
      zk.create(root + "/p/" + c, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    Stat stat = new Stat();
    assertThat(zk.getChildren(root + "/p", false, stat)).containsExactlyInAnyOrder("x", "y", "z");
    assertThat(stat.getNumChildren()).isEqualTo(3);
    assertThat(stat.getCversion()).isEqualTo(3);
    assertThatThrownBy(() -> zk.delete(root + "/p", -1))
        .isInstanceOf(KeeperException.NotEmptyException.class);
    assertThatThrownBy(
            () ->
                zk.create(
                    root + "/missing/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(KeeperException.NoNodeException.class);
    assertThatThrownBy(() -> zk.getChildren(root + "/missing", false))
        .isInstanceOf(KeeperException.NoNodeException.class);
    assertThat(zk.getChildren("/", false)).contains("zookeeper", root.substring(1));
    assertThat(zk.getChildren("/zookeeper", false)).contains("quota", "config");
  }

  @Test
  void ephemeralNodesBelongToTheirSessionAndHaveNoChildren() throws Exception {
    String p = root + "/e";
    Stat stat = new Stat();
    zk.create(p, bytes("e"), Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, stat);
    assertThat(stat.getEphemeralOwner()).isEqualTo(zk.getSessionId());
    assertThatThrownBy(
            () -> zk.create(p + "/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(KeeperException.NoChildrenForEphemeralsException.class);
    // NodeExists is checked before NoChildrenForEphemerals (reference §7.1)
    ZooKeeper other = clients.connect();
    assertThatThrownBy(() -> other.create(p, null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL))
        .isInstanceOf(KeeperException.NodeExistsException.class);
    assertThat(other.exists(p, false).getEphemeralOwner()).isEqualTo(zk.getSessionId());
  }

  @Test
  void sequentialNamesComeFromTheParentsCreationCounter() throws Exception {
    String q = root + "/q";
    zk.create(q, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertThat(zk.create(q + "/n-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
        .isEqualTo(q + "/n-0000000000");
    zk.create(q + "/plain", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT); // counter 1 → 2
    String eph = zk.create(q + "/e-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
    assertThat(eph).isEqualTo(q + "/e-0000000002");
    assertThat(zk.exists(eph, false).getEphemeralOwner()).isEqualTo(zk.getSessionId());
    zk.delete(q + "/n-0000000000", -1); // deletes never give numbers back
    assertThat(zk.create(q + "/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
        .isEqualTo(q + "/0000000003");
    // a failed create does not consume a number
    assertThatThrownBy(
            () -> zk.create(q + "/plain", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(KeeperException.NodeExistsException.class);
    assertThat(zk.create(q + "/n-", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
        .isEqualTo(q + "/n-0000000004");
    // sequential paths that would end in '/' only validate with the suffix
    assertThatThrownBy(() -> zk.create(q + "/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void containerIsReapedAfterItsLastChildGoes() throws Exception {
    String used = root + "/used";
    String neverUsed = root + "/never-used";
    Stat stat = new Stat();
    zk.create(used, null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, stat);
    assertThat(stat.getEphemeralOwner()).as("containers show owner 0").isZero();
    zk.create(neverUsed, null, Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    zk.create(used + "/child", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertThat(zk.exists(used, false).getEphemeralOwner()).isZero();
    // once a reaper scan has run (a 1 ms TTL node is gone), both containers are still there
    awaitReaperScan();
    assertThat(zk.exists(used, false)).isNotNull();
    assertThat(zk.exists(neverUsed, false)).isNotNull();

    Events events = new Events();
    zk.exists(used, events);
    zk.delete(used + "/child", -1);
    events.expect(EventType.NodeDeleted, used);
    // a container that never had a child is left alone (the scan that took the used one saw it)
    assertThat(zk.exists(neverUsed, false)).isNotNull();
  }

  /** Returns once the reaper has scanned after this call: a TTL node of 1 ms has been reaped. */
  private void awaitReaperScan() throws Exception {
    String marker =
        zk.create(
            root + "/scan-",
            null,
            Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
            new Stat(),
            1);
    await().atMost(Duration.ofSeconds(Events.WAIT_S)).until(() -> zk.exists(marker, false) == null);
  }

  @Test
  void ttlNodeExpiresWhenUnchangedAndChildless() throws Exception {
    // first a TTL node with a child: it must outlive the others although it expires first
    String parent = root + "/ttl-parent";
    Stat stat = new Stat();
    zk.create(parent, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, stat, 300);
    zk.create(parent + "/kid", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    String p = root + "/ttl";
    zk.create(p, bytes("t"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, stat, 300);
    assertThat(stat.getEphemeralOwner()).as("TTL nodes show owner 0").isZero();
    String seq =
        zk.create(
            root + "/ttl-",
            null,
            Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
            stat,
            300);
    assertThat(seq).isEqualTo(root + "/ttl-0000000002");
    assertThat(stat.getEphemeralOwner()).isZero();

    await()
        .atMost(Duration.ofSeconds(Events.WAIT_S))
        .until(() -> zk.exists(p, false) == null && zk.exists(seq, false) == null);
    // the scan that reaped them saw the parent expired too, but it has a child
    assertThat(zk.exists(parent, false)).isNotNull();
    Events events = new Events();
    zk.exists(parent, events);
    zk.delete(parent + "/kid", -1);
    events.expect(EventType.NodeDeleted, parent);
  }


  @Test
  void getAclMasksDigestsForCallersWithoutAdmin() throws Exception {
    String alice = DigestAuthenticationProvider.generateDigest("alice:secret");
    String p = root + "/acl";
    List<ACL> acl =
        Acls.of(
            new ACL(Perms.ALL, new Id("digest", alice)), new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE));
    zk.create(p, null, acl, CreateMode.PERSISTENT);

    Stat stat = new Stat();
    List<ACL> seen = zk.getACL(p, stat);
    assertThat(seen)
        .containsExactly(
            new ACL(Perms.ALL, new Id("digest", "alice:x")),
            new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE));
    assertThat(stat.getAversion()).isZero();

    ZooKeeper asAlice = clients.connectAs("alice:secret");
    assertThat(asAlice.getACL(p, null)).containsExactlyElementsOf(acl);

    // without READ or ADMIN there is no answer at all
    String q = root + "/private";
    asAlice.create(
        q, null, Acls.of(new ACL(Perms.ALL, new Id("digest", alice))), CreateMode.PERSISTENT);
    assertThatThrownBy(() -> zk.getACL(q, null))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> zk.getACL(root + "/missing", null))
        .isInstanceOf(KeeperException.NoNodeException.class);
  }

  @Test
  void setAclReplacesTheListAndIsVisibleToGetAcl() throws Exception {
    String p = root + "/a";
    zk.create(p, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    List<ACL> acl = Acls.of(new ACL(Perms.READ | Perms.ADMIN, Ids.ANYONE_ID_UNSAFE));
    assertThat(zk.setACL(p, acl, -1).getAversion()).isEqualTo(1);
    assertThat(zk.getACL(p, new Stat())).containsExactlyElementsOf(acl);
    assertThatThrownBy(() -> zk.setData(p, null, -1))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> zk.setACL(root + "/missing", acl, -1))
        .isInstanceOf(KeeperException.NoNodeException.class);
    // the ACL is validated before the node is looked up (reference §7.7)
    List<ACL> bad = Acls.of(new ACL(Perms.ALL, new Id("world", "somebody")));
    assertThatThrownBy(() -> zk.setACL(root + "/missing", bad, -1))
        .isInstanceOf(KeeperException.InvalidACLException.class);
  }

  @Test
  void getAllChildrenNumberCountsEveryDescendant() throws Exception {
    zk.create(root + "/a", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/a/b", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/a/b/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/d", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertThat(zk.getAllChildrenNumber(root)).isEqualTo(4);
    assertThat(zk.getAllChildrenNumber(root + "/a/b/c")).isZero();
    assertThat(zk.getAllChildrenNumber("/zookeeper")).isGreaterThanOrEqualTo(2);
    assertThatThrownBy(() -> zk.getAllChildrenNumber(root + "/missing"))
        .isInstanceOf(KeeperException.NoNodeException.class);
  }

  @Test
  void getEphemeralsListsOnlyTheCallersOwn() throws Exception {
    zk.create(root + "/p", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create(root + "/p/e1", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    zk.create(root + "/e2", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    ZooKeeper other = clients.connect();
    other.create(root + "/p/theirs", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

    assertThat(zk.getEphemerals()).containsExactlyInAnyOrder(root + "/p/e1", root + "/e2");
    assertThat(zk.getEphemerals(root + "/p")).containsExactly(root + "/p/e1");
    // a plain string prefix, not a path component
    assertThat(zk.getEphemerals(root + "/e")).containsExactly(root + "/e2");
    assertThat(other.getEphemerals("/")).containsExactly(root + "/p/theirs");
    assertThat(zk.getEphemerals("/nothing-here")).isEmpty();
  }

  @Test
  void whoAmIListsTheConnectionsIdentities() throws Exception {
    assertThat(zk.whoAmI()).containsExactly(new ClientInfo("ip", "127.0.0.1"));
    Clients.authenticate(zk, "alice:secret");
    Clients.authenticate(zk, "bob:pw");
    assertThat(zk.whoAmI())
        .containsExactlyInAnyOrder(
            new ClientInfo("ip", "127.0.0.1"),
            new ClientInfo("digest", "alice"),
            new ClientInfo("digest", "bob"));
  }

  @Test
  void syncEchoesThePathAndFollowsEarlierWrites() throws Exception {
    CompletableFuture<String> synced = new CompletableFuture<>();
    zk.create(root + "/s", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.sync(
        root + "/s",
        (rc, path, ctx) -> {
          if (rc == 0) {
            synced.complete(path);
          } else {
            synced.completeExceptionally(
                KeeperException.create(KeeperException.Code.get(rc), path));
          }
        },
        null);
    assertThat(synced.get(Events.WAIT_S, TimeUnit.SECONDS)).isEqualTo(root + "/s");
    // no existence or ACL check
    zk.sync(root + "/does/not/exist");
    assertThat(zk.exists(root + "/s", false)).isNotNull();
  }

  /** Dynamic reconfiguration is off by default (ZooKeeper's reconfigEnabled=false). */
  @Test
  void reconfigIsDisabledAndTheConfigNodeIsReadable() throws Exception {
    ZooKeeperAdmin admin = clients.admin();
    assertThatThrownBy(
            () ->
                admin.reconfigure("server.2=127.0.0.1:2888:3888;2181", null, null, -1, new Stat()))
        .isInstanceOf(KeeperException.ReconfigDisabledException.class);
    Stat stat = new Stat();
    zk.getConfig(false, stat);
    assertThat(stat.getCzxid()).isZero();
    assertThat(zk.getACL("/zookeeper/config", null)).containsExactlyElementsOf(Ids.READ_ACL_UNSAFE);
    assertThatThrownBy(() -> zk.setData("/zookeeper/config", bytes("x"), -1))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  /**
   * Thousands of requests in flight on one connection, more than Warden's per-connection in-flight
   * limit (it pauses the socket): every reply comes back, in order (the client would drop the
   * connection on an out-of-order xid), and every read sees the session's earlier writes (reference
   * §4.3).
   */
  @Test
  void pipelinedRequestsAreAnsweredInOrderAndSeeEarlierWrites() throws Exception {
    int nodes = 500;
    Queue<String> order = new ConcurrentLinkedQueue<>();
    Queue<String> wrong = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(4 * nodes);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      String p = root + "/n" + i;
      String v = Integer.toString(i);
      expected.addAll(List.of("create " + i, "get " + i, "set " + i, "exists " + i));
      zk.create(
          p,
          bytes(v),
          Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT,
          (rc, path, ctx, name) -> {
            order.add("create " + v);
            check(wrong, rc == 0, "create " + v + " rc " + rc);
            done.countDown();
          },
          null);
      zk.getData(
          p,
          false,
          (rc, path, ctx, data, stat) -> {
            order.add("get " + v);
            check(
                wrong,
                rc == 0 && v.equals(new String(data, StandardCharsets.UTF_8)),
                "get " + v + " rc " + rc);
            done.countDown();
          },
          null);
      zk.setData(
          p,
          bytes(v + "!"),
          0,
          (rc, path, ctx, stat) -> {
            order.add("set " + v);
            check(wrong, rc == 0 && stat.getVersion() == 1, "set " + v + " rc " + rc);
            done.countDown();
          },
          null);
      zk.exists(
          p,
          false,
          (rc, path, ctx, stat) -> {
            order.add("exists " + v);
            check(wrong, rc == 0 && stat.getVersion() == 1, "exists " + v + " rc " + rc);
            done.countDown();
          },
          null);
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).as("every reply arrived").isTrue();
    assertThat(wrong).isEmpty();
    assertThat(order).containsExactlyElementsOf(expected);
    assertThat(zk.getAllChildrenNumber(root)).isEqualTo(nodes);
  }

  private static void check(Queue<String> wrong, boolean ok, String what) {
    if (!ok) {
      wrong.add(what);
    }
  }


  @Test
  void protectedNodesCannotBeDeleted() throws Exception {
    for (String p : List.of("/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
      assertThatThrownBy(() -> zk.delete(p, -1))
          .as(p)
          .isInstanceOf(KeeperException.BadArgumentsException.class);
    }
    assertThatThrownBy(() -> zk.delete("/", -1))
        .isInstanceOf(KeeperException.BadArgumentsException.class);
    assertThatThrownBy(() -> zk.create("/", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(KeeperException.NodeExistsException.class);
    assertThat(zk.exists("/zookeeper/config", false)).isNotNull();
  }
}
