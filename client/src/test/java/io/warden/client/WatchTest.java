package io.warden.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.client.testing.TestServer;
import io.warden.client.testing.TestServers;
import io.warden.protocol.Acl;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.KeeperState;
import io.warden.protocol.WatcherType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every watch kind against the suite's server (embedded ZooKeeper 3.9 or Warden nodes, see TestServers) (reference §11). */
class WatchTest {
  private static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;
  private static TestServer server;
  private static int run;
  private WardenClient client;
  private BlockingWardenClient sync;
  private String root;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServers.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void connect() throws Exception {
    client = WardenClient.builder(server.connectString()).build();
    assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
    sync = client.blocking();
    root = "/w" + (++run);
    sync.create(root, null, OPEN, CreateMode.PERSISTENT);
  }

  @AfterEach
  void close() {
    client.close();
  }

  /** Records events; the node events only unless {@code withState}. */
  static final class Recorder implements Watcher {
    final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void process(WatchEvent event) {
      events.add(event);
      threads.add(Thread.currentThread().getName());
    }

    List<WatchEvent> nodeEvents() {
      return events.stream().filter(e -> e.type() != EventType.NONE).toList();
    }
  }

  private static WatchEvent event(EventType type, String path) {
    return new WatchEvent(type, KeeperState.SYNC_CONNECTED, path);
  }

  @Test
  void dataWatchFiresOnceOnTheEventThread() throws Exception {
    String a = root + "/a";
    sync.create(a, null, OPEN, CreateMode.PERSISTENT);
    Recorder w = new Recorder();
    sync.getData(a, w);
    sync.getData(a, w); // same watcher twice: one registration
    sync.setData(a, "1".getBytes(UTF_8), -1);
    sync.setData(a, "2".getBytes(UTF_8), -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !w.events.isEmpty());
    sync.sync(a); // anything in flight has been delivered once this returns
    assertThat(w.nodeEvents()).containsExactly(event(EventType.NODE_DATA_CHANGED, a));
    assertThat(w.threads).allMatch(t -> t.startsWith("warden-client-events-"));
  }

  @Test
  void existsWatchesForCreationAndGetDataOnMissingNodeLeavesNone() throws Exception {
    String b = root + "/b";
    Recorder exists = new Recorder();
    Recorder data = new Recorder();
    assertThat(sync.exists(b, exists)).isNull();
    WardenException noNode = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> sync.getData(b, data), WardenException.class);
    assertThat(noNode.code()).isEqualTo(ErrorCode.NO_NODE);
    sync.create(b, null, OPEN, CreateMode.PERSISTENT);
    sync.setData(b, null, -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !exists.events.isEmpty());
    sync.sync(b);
    assertThat(exists.nodeEvents()).containsExactly(event(EventType.NODE_CREATED, b));
    assertThat(data.events).isEmpty();
  }

  @Test
  void childWatchSeesChildrenChangeAndDeletion() throws Exception {
    String c = root + "/c";
    sync.create(c, null, OPEN, CreateMode.PERSISTENT);
    Recorder children = new Recorder();
    sync.getChildren(c, children);
    sync.create(c + "/x", null, OPEN, CreateMode.PERSISTENT);
    await().atMost(Duration.ofSeconds(10)).until(() -> !children.events.isEmpty());
    assertThat(children.nodeEvents()).containsExactly(event(EventType.NODE_CHILDREN_CHANGED, c));

    Recorder again = new Recorder();
    sync.getChildrenWithStat(c, again);
    sync.delete(c + "/x", -1);
    sync.delete(c, -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !again.events.isEmpty());
    sync.sync(root);
    assertThat(again.nodeEvents()).containsExactly(event(EventType.NODE_CHILDREN_CHANGED, c));
  }

  @Test
  void oneWatcherOnSeveralTablesGetsOneEventPerChange() throws Exception {
    String d = root + "/d";
    sync.create(d, null, OPEN, CreateMode.PERSISTENT);
    Recorder w = new Recorder();
    sync.getData(d, w);
    sync.exists(d, w);
    sync.getChildren(d, w);
    sync.delete(d, -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !w.events.isEmpty());
    sync.sync(root);
    assertThat(w.nodeEvents()).containsExactly(event(EventType.NODE_DELETED, d));
  }

  @Test
  void persistentWatchStaysAndSeesChildren() throws Exception {
    String p = root + "/p";
    Recorder w = new Recorder();
    sync.addWatch(p, w, AddWatchMode.PERSISTENT);
    sync.create(p, null, OPEN, CreateMode.PERSISTENT);
    sync.setData(p, null, -1);
    sync.create(p + "/kid", null, OPEN, CreateMode.PERSISTENT);
    sync.setData(p + "/kid", null, -1); // a grandchild's data is not P's business
    sync.delete(p + "/kid", -1);
    sync.delete(p, -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> w.nodeEvents().size() >= 5);
    sync.sync(root);
    assertThat(w.nodeEvents()).containsExactly(
        event(EventType.NODE_CREATED, p),
        event(EventType.NODE_DATA_CHANGED, p),
        event(EventType.NODE_CHILDREN_CHANGED, p),
        event(EventType.NODE_CHILDREN_CHANGED, p),
        event(EventType.NODE_DELETED, p));
  }

  @Test
  void aPersistentWatchLosesNoEventWhileConnectedUnderAStreamOfChangesFromOtherSessions()
      throws Exception {
    String p = root + "/stream";
    sync.create(p, null, OPEN, CreateMode.PERSISTENT);
    Recorder w = new Recorder();
    sync.addWatch(p, w, AddWatchMode.PERSISTENT_RECURSIVE);
    int writers = 4;
    int perWriter = 100;
    List<WardenClient> others = new java.util.ArrayList<>();
    try {
      List<java.util.concurrent.CompletableFuture<?>> all = new java.util.ArrayList<>();
      for (int i = 0; i < writers; i++) {
        WardenClient other = WardenClient.builder(server.connectString()).build();
        others.add(other);
        assertThat(other.awaitConnected(Duration.ofSeconds(10))).isTrue();
        for (int n = 0; n < perWriter; n++) {
          // pipelined: each writer has all its creates in flight at once
          all.add(other.create(p + "/w" + i + "-" + n, null, OPEN, CreateMode.PERSISTENT)
              .toCompletableFuture());
        }
      }
      java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      others.forEach(WardenClient::close);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> w.nodeEvents().size() >= writers * perWriter);
    sync.sync(p);
    List<String> created = w.nodeEvents().stream()
        .peek(e -> assertThat(e.type()).isEqualTo(EventType.NODE_CREATED))
        .map(WatchEvent::path).toList();
    assertThat(created).hasSize(writers * perWriter).doesNotHaveDuplicates();
    for (int i = 0; i < writers; i++) {
      String prefix = p + "/w" + i + "-";
      List<String> mine = created.stream().filter(c -> c.startsWith(prefix)).toList();
      // one session's writes apply in its order, and so do their events
      assertThat(mine).containsExactlyElementsOf(java.util.stream.IntStream.range(0, perWriter)
          .mapToObj(n -> prefix + n).toList());
    }
  }

  @Test
  void recursiveWatchSeesTheWholeSubtreeButNoChildEvents() throws Exception {
    String r = root + "/r";
    Recorder w = new Recorder();
    sync.addWatch(r, w, AddWatchMode.PERSISTENT_RECURSIVE);
    sync.create(r, null, OPEN, CreateMode.PERSISTENT);
    sync.create(r + "/x", null, OPEN, CreateMode.PERSISTENT);
    sync.create(r + "/x/y", null, OPEN, CreateMode.PERSISTENT);
    sync.setData(r + "/x/y", null, -1);
    sync.delete(r + "/x/y", -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> w.nodeEvents().size() >= 5);
    sync.sync(root);
    assertThat(w.nodeEvents()).containsExactly(
        event(EventType.NODE_CREATED, r),
        event(EventType.NODE_CREATED, r + "/x"),
        event(EventType.NODE_CREATED, r + "/x/y"),
        event(EventType.NODE_DATA_CHANGED, r + "/x/y"),
        event(EventType.NODE_DELETED, r + "/x/y"));
  }

  @Test
  void removeWatchesTellsTheWatcherAndStopsEvents() throws Exception {
    String e = root + "/e";
    sync.create(e, null, OPEN, CreateMode.PERSISTENT);
    Recorder data = new Recorder();
    Recorder persistent = new Recorder();
    sync.getData(e, data);
    sync.addWatch(e, persistent, AddWatchMode.PERSISTENT);
    sync.removeWatches(e, data, WatcherType.DATA);
    sync.removeAllWatches(e, WatcherType.PERSISTENT);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        !data.events.isEmpty() && !persistent.events.isEmpty());
    sync.setData(e, null, -1);
    sync.sync(e);
    assertThat(data.events).containsExactly(event(EventType.DATA_WATCH_REMOVED, e));
    assertThat(persistent.events).containsExactly(event(EventType.PERSISTENT_WATCH_REMOVED, e));
    WardenException none = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> sync.removeWatches(e, data, WatcherType.DATA), WardenException.class);
    assertThat(none.code()).isEqualTo(ErrorCode.NO_WATCHER);
  }

  @Test
  void chrootIsStrippedFromEventPaths() throws Exception {
    try (WardenClient chrooted = WardenClient.builder(server.connectString() + root).build()) {
      assertThat(chrooted.awaitConnected(Duration.ofSeconds(10))).isTrue();
      Recorder w = new Recorder();
      Recorder rootWatch = new Recorder();
      chrooted.blocking().exists("/z", w);
      chrooted.blocking().getChildren("/", rootWatch);
      sync.create(root + "/z", null, OPEN, CreateMode.PERSISTENT);
      await().atMost(Duration.ofSeconds(10)).until(() ->
          !w.events.isEmpty() && !rootWatch.events.isEmpty());
      assertThat(w.nodeEvents()).containsExactly(event(EventType.NODE_CREATED, "/z"));
      assertThat(rootWatch.nodeEvents())
          .containsExactly(event(EventType.NODE_CHILDREN_CHANGED, "/"));
    }
  }

  @Test
  void aWatcherMayReRegisterWithABlockingCall() throws Exception {
    String f = root + "/f";
    sync.create(f, null, OPEN, CreateMode.PERSISTENT);
    List<String> seen = new CopyOnWriteArrayList<>();
    Watcher reArming = new Watcher() {
      @Override
      public void process(WatchEvent event) {
        try {
          byte[] data = sync.getData(f, this).data();
          seen.add(data == null ? "null" : new String(data, UTF_8));
        } catch (WardenException | InterruptedException e) {
          seen.add("failed: " + e);
        }
      }
    };
    sync.getData(f, reArming);
    sync.setData(f, "1".getBytes(UTF_8), -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    sync.setData(f, "2".getBytes(UTF_8), -1);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertThat(seen).containsExactly("1", "2");
  }

  @Test
  void watchersHearTheClose() throws Exception {
    Recorder w = new Recorder();
    sync.exists(root + "/never", w);
    client.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !w.events.isEmpty());
    assertThat(w.events).containsExactly(new WatchEvent(EventType.NONE, KeeperState.CLOSED, null));
  }
}
