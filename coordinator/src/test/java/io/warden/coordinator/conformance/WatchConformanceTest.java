package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches of every kind through the official client (wire reference §11): one-shot data, exists and
 * child watches, persistent and persistent-recursive watches, removal, ordering against replies,
 * deduplication, READ filtering and restoration after a reconnect. The writer is always a different
 * session from the watcher unless the test is about the same session.
 *
 * <p>"No further event" is proven with a sentinel: after the change that must not fire, the test
 * triggers one that must, and asserts that it is the next event (events arrive in order).
 */
class WatchConformanceTest extends ConformanceTest {

  private ZooKeeper watcher;
  private ZooKeeper writer;

  @BeforeEach
  void connectWatcher() throws Exception {
    writer = zk; // it created the root
    watcher = clients.connect();
  }

  private void create(String path) throws Exception {
    writer.create(path, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }

  @Test
  void dataWatchFiresOnceForTheFirstChange() throws Exception {
    String p = root + "/d";
    create(p);
    Events w = new Events();
    watcher.getData(p, w, null);
    watcher.getData(p, w, null); // set twice: still one watch
    writer.setData(p, bytes("1"), -1);
    writer.setData(p, bytes("2"), -1);
    w.expect(EventType.NodeDataChanged, p);
    watcher.exists(root + "/sentinel", w);
    create(root + "/sentinel");
    w.expectOnlySentinel(EventType.NodeCreated, root + "/sentinel");
  }

  @Test
  void existsWatchOnAMissingNodeFiresWhenItIsCreated() throws Exception {
    String p = root + "/later";
    Events w = new Events();
    assertThat(watcher.exists(p, w)).isNull();
    create(p);
    w.expect(EventType.NodeCreated, p);
    assertThat(watcher.exists(p, w)).isNotNull();
    writer.setData(p, bytes("x"), -1);
    w.expect(EventType.NodeDataChanged, p);
    watcher.exists(p, w);
    writer.delete(p, -1);
    w.expect(EventType.NodeDeleted, p);
  }

  @Test
  void failedGetDataSetsNoWatch() throws Exception {
    String p = root + "/missing";
    Events w = new Events();
    assertThatThrownBy(() -> watcher.getData(p, w, null))
        .isInstanceOf(KeeperException.NoNodeException.class);
    assertThatThrownBy(() -> watcher.getChildren(p, w))
        .isInstanceOf(KeeperException.NoNodeException.class);
    create(p);
    watcher.exists(root + "/sentinel", w);
    create(root + "/sentinel");
    w.expectOnlySentinel(EventType.NodeCreated, root + "/sentinel");
  }

  @Test
  void childWatchSeesChildrenComeAndGoAndItsNodeDeleted() throws Exception {
    String p = root + "/parent";
    create(p);
    Events w = new Events();
    assertThat(watcher.getChildren(p, w)).isEmpty();
    writer.setData(p, bytes("data changes are not child changes"), -1);
    create(p + "/c");
    w.expect(EventType.NodeChildrenChanged, p);
    watcher.getChildren(p, w);
    writer.delete(p + "/c", -1);
    w.expect(EventType.NodeChildrenChanged, p);
    watcher.getChildren(p, w);
    writer.delete(p, -1);
    w.expect(EventType.NodeDeleted, p);
  }

  @Test
  void rootChildWatchReportsSlash() throws Exception {
    Events w = new Events();
    watcher.getChildren("/", w);
    String p = root + "-sibling";
    create(p);
    w.expect(EventType.NodeChildrenChanged, "/");
    writer.delete(p, -1);
  }

  @Test
  void persistentWatchStaysAndSeesTheNodeAndItsChildren() throws Exception {
    String p = root + "/p";
    Events w = new Events();
    watcher.addWatch(p, w, AddWatchMode.PERSISTENT);
    create(p);
    writer.setData(p, bytes("1"), -1);
    writer.setData(p, bytes("2"), -1);
    create(p + "/c");
    writer.setData(p + "/c", bytes("child data: not watched"), -1);
    create(p + "/c/g");
    writer.delete(p + "/c/g", -1);
    writer.delete(p + "/c", -1);
    writer.delete(p, -1);
    create(p);
    w.expect(EventType.NodeCreated, p);
    w.expect(EventType.NodeDataChanged, p);
    w.expect(EventType.NodeDataChanged, p);
    w.expect(EventType.NodeChildrenChanged, p);
    w.expect(EventType.NodeChildrenChanged, p);
    w.expect(EventType.NodeDeleted, p);
    w.expect(EventType.NodeCreated, p);
  }

  @Test
  void recursiveWatchSeesEveryDescendantButNoChildEvents() throws Exception {
    String p = root + "/r";
    Events w = new Events();
    watcher.addWatch(p, w, AddWatchMode.PERSISTENT_RECURSIVE);
    create(p);
    create(p + "/c");
    writer.setData(p + "/c", bytes("x"), -1);
    create(p + "/c/g");
    create(root + "/rx"); // a sibling whose name starts with the watched one: not a descendant
    writer.delete(p + "/c/g", -1);
    writer.setData(p, bytes("y"), -1);
    w.expect(EventType.NodeCreated, p);
    w.expect(EventType.NodeCreated, p + "/c");
    w.expect(EventType.NodeDataChanged, p + "/c");
    w.expect(EventType.NodeCreated, p + "/c/g");
    w.expect(EventType.NodeDeleted, p + "/c/g");
    w.expect(EventType.NodeDataChanged, p);
  }

  @Test
  void overlappingWatchesGiveOneEventPerChangeToEachWatcher() throws Exception {
    String p = root + "/o";
    create(p);
    Events data = new Events();
    Events persistent = new Events();
    Events recursive = new Events();
    Events all = new Events();
    watcher.getData(p, data, null);
    watcher.exists(p, data);
    watcher.addWatch(p, persistent, AddWatchMode.PERSISTENT);
    watcher.addWatch(root, recursive, AddWatchMode.PERSISTENT_RECURSIVE);
    // one watcher object holding every kind of watch on the path
    watcher.getData(p, all, null);
    watcher.getChildren(p, all);
    watcher.addWatch(p, all, AddWatchMode.PERSISTENT);
    watcher.addWatch(p, all, AddWatchMode.PERSISTENT_RECURSIVE);

    writer.setData(p, bytes("once"), -1);
    create(p + "/s");
    data.expect(EventType.NodeDataChanged, p);
    persistent.expect(EventType.NodeDataChanged, p);
    persistent.expectOnlySentinel(EventType.NodeChildrenChanged, p);
    recursive.expect(EventType.NodeDataChanged, p);
    recursive.expectOnlySentinel(EventType.NodeCreated, p + "/s");
    all.expect(EventType.NodeDataChanged, p);
    // the child watch of `all` fires for the create; its persistent watches see both kinds
    assertThat(List.of(all.next(), all.next()))
        .containsExactlyInAnyOrder(
            new Events.Seen(EventType.NodeChildrenChanged, p),
            new Events.Seen(EventType.NodeCreated, p + "/s"));
  }

  @Test
  void deleteFiresOneEventForDataAndChildWatchesOfOneWatcher() throws Exception {
    String p = root + "/del";
    create(p);
    Events w = new Events();
    watcher.getData(p, w, null);
    watcher.getChildren(p, w);
    watcher.exists(p, w);
    writer.delete(p, -1);
    w.expect(EventType.NodeDeleted, p);
    watcher.exists(root + "/sentinel", w);
    create(root + "/sentinel");
    w.expectOnlySentinel(EventType.NodeCreated, root + "/sentinel");
  }

  @Test
  void anEventArrivesBeforeTheReplyToTheWriteThatCausedIt() throws Exception {
    String p = root + "/order";
    create(p);
    Queue<String> order = new ConcurrentLinkedQueue<>();
    Watcher recordEvent = e -> order.add("event " + e.getType());
    // same session: the reply to its own write comes after the event it caused
    watcher.getData(p, recordEvent, null);
    watcher.setData(p, bytes("x"), -1, (rc, path, ctx, stat) -> order.add("reply " + rc), null);
    await().atMost(Duration.ofSeconds(Events.WAIT_S)).until(() -> order.size() == 2);
    assertThat(order).containsExactly("event NodeDataChanged", "reply 0");

    // another session's write: the watcher's next reply comes after the event
    order.clear();
    watcher.getData(p, recordEvent, null);
    writer.setData(p, bytes("y"), -1);
    watcher.exists(p, false, (rc, path, ctx, stat) -> order.add("reply " + rc), null);
    await().atMost(Duration.ofSeconds(Events.WAIT_S)).until(() -> order.size() == 2);
    assertThat(order).containsExactly("event NodeDataChanged", "reply 0");
  }

  @Test
  void removingOneOfTwoWatchersKeepsTheServerWatchForTheOther() throws Exception {
    String p = root + "/two";
    create(p);
    Events first = new Events();
    Events second = new Events();
    int before = target.watchCount();
    watcher.getData(p, first, null);
    watcher.getData(p, second, null);
    // the client asks the server with checkWatches: the server watch stays for `second`
    watcher.removeWatches(p, first, WatcherType.Data, false);
    assertThat(first.next()).isEqualTo(new Events.Seen(EventType.DataWatchRemoved, p));
    assertThat(target.watchCount()).isEqualTo(before + 1);
    writer.setData(p, bytes("x"), -1);
    second.expect(EventType.NodeDataChanged, p);
    watcher.exists(root + "/sentinel", first);
    create(root + "/sentinel");
    first.expectOnlySentinel(EventType.NodeCreated, root + "/sentinel");
  }

  @Test
  void removeAllWatchesRemovesThemOnTheServer() throws Exception {
    String p = root + "/all";
    create(p);
    Events w = new Events();
    int before = target.watchCount();
    watcher.getData(p, w, null);
    watcher.getChildren(p, w);
    watcher.addWatch(p, w, AddWatchMode.PERSISTENT);
    assertThat(target.watchCount()).isGreaterThan(before);
    watcher.removeAllWatches(p, WatcherType.Any, false);
    assertThat(target.watchCount()).isEqualTo(before);
    assertThat(List.of(w.next(), w.next(), w.next()))
        .extracting(Events.Seen::type)
        .containsExactlyInAnyOrder(
            EventType.DataWatchRemoved,
            EventType.ChildWatchRemoved,
            EventType.PersistentWatchRemoved);
    // nothing left to remove
    assertThatThrownBy(() -> watcher.removeAllWatches(p, WatcherType.Any, false))
        .isInstanceOf(KeeperException.NoWatcherException.class);
    assertThatThrownBy(() -> watcher.removeWatches(p, w, WatcherType.Children, false))
        .isInstanceOf(KeeperException.NoWatcherException.class);
  }

  @Test
  void removingAPersistentWatchByTypeStopsItsEvents() throws Exception {
    String p = root + "/pw";
    create(p);
    Events persistent = new Events();
    Events recursive = new Events();
    int before = target.watchCount();
    watcher.addWatch(p, persistent, AddWatchMode.PERSISTENT);
    watcher.addWatch(p, recursive, AddWatchMode.PERSISTENT_RECURSIVE);
    // by type, not by watcher object: the client sends removeWatches (types 4 and 5, 3.9+)
    watcher.removeAllWatches(p, WatcherType.Persistent, false);
    assertThat(target.watchCount()).isGreaterThan(before);
    watcher.removeAllWatches(p, WatcherType.PersistentRecursive, false);
    assertThat(target.watchCount()).isEqualTo(before);
    persistent.expect(EventType.PersistentWatchRemoved, p);
    recursive.expect(EventType.PersistentWatchRemoved, p);
    writer.setData(p, bytes("unseen"), -1);
    watcher.exists(root + "/sentinel", persistent);
    watcher.exists(root + "/sentinel", recursive);
    create(root + "/sentinel");
    persistent.expectOnlySentinel(EventType.NodeCreated, root + "/sentinel");
    recursive.expectOnlySentinel(EventType.NodeCreated, root + "/sentinel");
  }

  @Test
  void eventsNeedReadPermissionOnTheChangedNode() throws Exception {
    String p = root + "/guarded";
    create(p);
    Events w = new Events();
    watcher.exists(p, w);
    watcher.addWatch(p, w, AddWatchMode.PERSISTENT);
    // the writer takes READ away from everybody but itself, then changes the node
    Clients.authenticate(writer, "alice:secret");
    writer.setACL(
        p, Acls.of(Acls.acl(Perms.ALL, "digest", Acls.digestId("alice:secret").getId())), -1);
    writer.setData(p, bytes("secret"), -1);
    watcher.exists(root + "/sentinel", w);
    create(root + "/sentinel");
    w.expectOnlySentinel(EventType.NodeCreated, root + "/sentinel");
  }

  /** 3.9+: a notification carries the zxid of the transaction that fired it (reference §4.2). */
  @Test
  void notificationsCarryTheZxidOfTheirChange() throws Exception {
    String p = root + "/z";
    Events w = new Events();
    watcher.exists(p, w);
    watcher.getChildren(root, w);
    Stat created = new Stat();
    writer.create(p, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
    WatchedEvent first = w.nextEvent();
    WatchedEvent second = w.nextEvent();
    assertThat(first.getZxid()).isEqualTo(created.getCzxid());
    assertThat(second.getZxid()).isEqualTo(created.getCzxid());

    watcher.getData(p, w, null);
    Stat changed = writer.setData(p, bytes("x"), -1);
    WatchedEvent dataChanged = w.nextEvent();
    assertThat(dataChanged.getType()).isEqualTo(EventType.NodeDataChanged);
    assertThat(dataChanged.getZxid()).isEqualTo(changed.getMzxid());

    watcher.exists(p, w);
    writer.delete(p, -1);
    WatchedEvent deleted = w.nextEvent();
    assertThat(deleted.getType()).isEqualTo(EventType.NodeDeleted);
    assertThat(deleted.getZxid()).isEqualTo(writer.exists(root, false).getPzxid());
  }

  @Test
  void watchesAreRestoredAfterAReconnect() throws Exception {
    try (TcpProxy proxy = new TcpProxy(target.connectString())) {
      Events w = new Events();
      ZooKeeper zk = clients.connect(proxy.connectString(), Clients.SESSION_TIMEOUT_MS, w);
      String changed = root + "/changed";
      String stays = root + "/stays";
      String born = root + "/born";
      String kids = root + "/kids";
      for (String p : List.of(changed, stays, kids)) {
        create(p);
      }
      zk.getData(changed, true, null);
      zk.getData(stays, true, null);
      zk.exists(born, true);
      zk.getChildren(kids, true);
      zk.addWatch(root + "/tree", w, AddWatchMode.PERSISTENT_RECURSIVE);

      proxy.mode(TcpProxy.Mode.REFUSE);
      proxy.dropConnections();
      w.awaitState(KeeperState.Disconnected);
      // while the client is away: the missed changes must be reported when it comes back
      writer.setData(changed, bytes("missed"), -1);
      create(born);
      proxy.mode(TcpProxy.Mode.FORWARD);
      w.awaitState(KeeperState.SyncConnected);
      WatchedEvent missed1 = w.nextEvent();
      WatchedEvent missed2 = w.nextEvent();
      assertThat(List.of(Events.Seen.of(missed1), Events.Seen.of(missed2)))
          .containsExactlyInAnyOrder(
              new Events.Seen(EventType.NodeDataChanged, changed),
              new Events.Seen(EventType.NodeCreated, born));
      // events made up by setWatches belong to no transaction
      assertThat(missed1.getZxid()).isEqualTo(WatchedEvent.NO_ZXID);
      assertThat(missed2.getZxid()).isEqualTo(WatchedEvent.NO_ZXID);
      // the others were re-armed
      create(kids + "/k");
      w.expect(EventType.NodeChildrenChanged, kids);
      writer.setData(stays, bytes("now"), -1);
      w.expect(EventType.NodeDataChanged, stays);
      create(root + "/tree");
      w.expect(EventType.NodeCreated, root + "/tree");
    }
  }
}
