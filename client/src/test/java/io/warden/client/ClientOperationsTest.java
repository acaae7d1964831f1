package io.warden.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.testing.TestServer;
import io.warden.client.testing.TestServers;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every znode operation against the suite's server (embedded ZooKeeper 3.9 or Warden nodes, see TestServers), async and blocking. */
class ClientOperationsTest {
  private static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;
  private static TestServer server;
  private WardenClient client;
  private BlockingWardenClient sync;

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
    client = WardenClient.builder(server.connectString()).sessionTimeout(Duration.ofSeconds(10))
        .build();
    assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
    sync = client.blocking();
  }

  @AfterEach
  void close() throws Exception {
    if (client.state() != ConnectionState.CLOSED) {
      for (String child : sync.getChildren("/")) {
        if (!child.equals("zookeeper")) {
          deleteAll("/" + child);
        }
      }
    }
    client.close();
  }

  /** Deletes a subtree; tries the delete first because some test nodes deny READ. */
  private void deleteAll(String path) throws Exception {
    try {
      sync.delete(path, -1);
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NOT_EMPTY) {
        throw e;
      }
      for (String child : sync.getChildren(path)) {
        deleteAll(path + "/" + child);
      }
      sync.delete(path, -1);
    }
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static WardenException failure(java.util.concurrent.CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    assertThat(t).isNotNull();
    assertThat(t.getCause()).isInstanceOf(WardenException.class);
    return (WardenException) t.getCause();
  }

  @Test
  void createGetSetDeleteRoundTrip() throws Exception {
    assertThat(get(client.create("/a", "one".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT)))
        .isEqualTo("/a");
    NodeData data = get(client.getData("/a"));
    assertThat(new String(data.data(), UTF_8)).isEqualTo("one");
    assertThat(data.stat().version()).isZero();

    Stat afterSet = get(client.setData("/a", "two".getBytes(UTF_8), 0));
    assertThat(afterSet.version()).isEqualTo(1);
    assertThat(afterSet.dataLength()).isEqualTo(3);

    WardenException badVersion = failure(client.setData("/a", new byte[0], 0));
    assertThat(badVersion.code()).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(badVersion.path()).isEqualTo("/a");

    get(client.delete("/a", 1));
    assertThat(get(client.exists("/a"))).isNull();
    WardenException noNode = failure(client.getData("/a"));
    assertThat(noNode.code()).isEqualTo(ErrorCode.NO_NODE);
    assertThat(noNode).hasMessage("NoNode for /a");
  }

  @Test
  void nullDataStaysNullAndEmptyStaysEmpty() throws Exception {
    sync.create("/null", null, OPEN, CreateMode.PERSISTENT);
    sync.create("/empty", new byte[0], OPEN, CreateMode.PERSISTENT);
    assertThat(sync.getData("/null").data()).isNull();
    assertThat(sync.getData("/empty").data()).isEmpty();
  }

  @Test
  void everyCreateMode() throws Exception {
    sync.create("/m", null, OPEN, CreateMode.PERSISTENT);
    Created persistent = sync.createWithStat("/m/p", null, OPEN, CreateMode.PERSISTENT);
    assertThat(persistent.path()).isEqualTo("/m/p");
    assertThat(persistent.stat().ephemeralOwner()).isZero();

    Created ephemeral = sync.createWithStat("/m/e", null, OPEN, CreateMode.EPHEMERAL);
    assertThat(ephemeral.stat().ephemeralOwner()).isEqualTo(client.sessionId());

    String seq1 = sync.create("/m/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL);
    String seq2 = sync.create("/m/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL);
    assertThat(seq1).matches("/m/s-\\d{10}");
    assertThat(seq2).isGreaterThan(seq1);

    String eseq = sync.create("/m/es-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL);
    assertThat(eseq).matches("/m/es-\\d{10}");
    assertThat(sync.exists(eseq).ephemeralOwner()).isEqualTo(client.sessionId());

    String container = sync.create("/m/c", null, OPEN, CreateMode.CONTAINER);
    assertThat(container).isEqualTo("/m/c");
    assertThat(sync.exists("/m/c").ephemeralOwner()).isZero();

    Created ttl = sync.createWithStat("/m/t", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, 60_000);
    assertThat(ttl.path()).isEqualTo("/m/t");
    String ttlSeq = sync.create("/m/ts-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
        60_000);
    assertThat(ttlSeq).matches("/m/ts-\\d{10}");

    assertThat(sync.getChildren("/m")).hasSize(8);
    assertThat(sync.getEphemerals()).containsExactlyInAnyOrder("/m/e", eseq);
    assertThat(sync.getEphemerals("/m/es")).containsExactly(eseq);
  }

  @Test
  void ephemeralsAreGoneOnceTheSessionCloses() throws Exception {
    sync.create("/eph", null, OPEN, CreateMode.EPHEMERAL);
    client.close();
    try (WardenClient other = WardenClient.builder(server.connectString()).build()) {
      assertThat(other.awaitConnected(Duration.ofSeconds(10))).isTrue();
      // a new session: Warden shows it every earlier write, ZooKeeper does not promise to
      other.blocking().sync("/eph");
      assertThat(other.blocking().exists("/eph")).isNull();
    }
  }

  @Test
  void argumentsAreValidatedBeforeSending() {
    assertThatThrownBy(() -> client.create("a", null, OPEN, CreateMode.PERSISTENT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"a\"");
    assertThatThrownBy(() -> client.getData("/a/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.exists("/a//b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.create("/a", null, OPEN, CreateMode.PERSISTENT, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> client.create("/a", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> client.create("/a", null, null, CreateMode.PERSISTENT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acl");
    assertThatThrownBy(() -> Op.delete("/x/.", -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sequentialPathMayEndInSlash() throws Exception {
    sync.create("/q", null, OPEN, CreateMode.PERSISTENT);
    assertThat(sync.create("/q/", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL))
        .matches("/q/\\d{10}");
  }

  @Test
  void childrenWithStatAndCounts() throws Exception {
    sync.create("/p", null, OPEN, CreateMode.PERSISTENT);
    sync.create("/p/a", null, OPEN, CreateMode.PERSISTENT);
    sync.create("/p/b", null, OPEN, CreateMode.PERSISTENT);
    sync.create("/p/a/x", null, OPEN, CreateMode.PERSISTENT);
    NodeChildren children = sync.getChildrenWithStat("/p");
    assertThat(children.children()).containsExactlyInAnyOrder("a", "b");
    assertThat(children.stat().numChildren()).isEqualTo(2);
    assertThat(sync.getAllChildrenNumber("/p")).isEqualTo(3);
    sync.sync("/p");
    WardenException notEmpty = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> sync.delete("/p", -1), WardenException.class);
    assertThat(notEmpty.code()).isEqualTo(ErrorCode.NOT_EMPTY);
  }

  @Test
  void multiAppliesAllOrNothingWithTypedResults() throws Exception {
    List<OpResult> ok = sync.multi(List.of(
        Op.create("/x", "d".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT),
        Op.create("/x/y", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL),
        Op.setData("/x", "e".getBytes(UTF_8), 0),
        Op.check("/x", 1)));
    assertThat(ok).hasSize(4);
    assertThat(ok.get(0)).isInstanceOf(OpResult.CreateResult.class);
    assertThat(((OpResult.CreateResult) ok.get(0)).path()).isEqualTo("/x");
    assertThat(((OpResult.CreateResult) ok.get(1)).path()).matches("/x/y\\d{10}");
    assertThat(((OpResult.CreateResult) ok.get(1)).stat()).isNotNull();
    assertThat(((OpResult.SetDataResult) ok.get(2)).stat().version()).isEqualTo(1);
    assertThat(ok.get(3)).isEqualTo(new OpResult.CheckResult());

    WardenException failed = failure(client.multi(List.of(
        Op.check("/x", 1),
        Op.delete("/missing", -1),
        Op.setData("/x", null, -1))));
    assertThat(failed.code()).isEqualTo(ErrorCode.NO_NODE);
    assertThat(failed.path()).isEqualTo("/missing");
    assertThat(failed.results()).containsExactly(
        new OpResult.ErrorResult(ErrorCode.OK),
        new OpResult.ErrorResult(ErrorCode.NO_NODE),
        new OpResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY));
    assertThat(sync.getData("/x").stat().version()).isEqualTo(1);
    assertThat(sync.multi(List.of())).isEmpty();
  }

  @Test
  void multiReadReportsFailuresAsResults() throws Exception {
    sync.create("/r", "v".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT);
    sync.create("/r/c", null, OPEN, CreateMode.PERSISTENT);
    List<OpResult> results = get(client.multiRead(List.of(
        Op.getData("/r"), Op.getChildren("/r"), Op.getData("/nope"))));
    assertThat(results).hasSize(3);
    OpResult.GetDataResult data = (OpResult.GetDataResult) results.get(0);
    assertThat(new String(data.data(), UTF_8)).isEqualTo("v");
    assertThat(results.get(1)).isEqualTo(new OpResult.GetChildrenResult(List.of("c")));
    assertThat(results.get(2)).isEqualTo(new OpResult.ErrorResult(ErrorCode.NO_NODE));
  }

  @Test
  void aclsWithDigestAuth() throws Exception {
    String id = io.warden.protocol.DigestAuth.digestId("alice:secret");
    List<Acl> aliceOnly = List.of(new Acl(io.warden.protocol.Perms.ALL,
        new io.warden.protocol.Id("digest", id)));
    sync.create("/secret", "s".getBytes(UTF_8), aliceOnly, CreateMode.PERSISTENT);
    assertThat(failure(client.getData("/secret")).code()).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(failure(client.getAcl("/secret")).code()).isEqualTo(ErrorCode.NO_AUTH);

    get(client.addAuth("digest", "alice:secret".getBytes(UTF_8)));
    NodeAcl acl = sync.getAcl("/secret");
    assertThat(acl.acl()).containsExactlyElementsOf(aliceOnly);
    assertThat(sync.getData("/secret").data()).isEqualTo("s".getBytes(UTF_8));
    assertThat(sync.whoAmI()).extracting(io.warden.protocol.ClientInfo::authScheme)
        .contains("digest", "ip");

    Stat stat = sync.setAcl("/secret", OPEN, 0);
    assertThat(stat.aversion()).isEqualTo(1);
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> sync.setAcl("/secret", OPEN, 0), WardenException.class).code())
        .isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(failure(client.create("/bad", null, List.of(), CreateMode.PERSISTENT)).code())
        .isEqualTo(ErrorCode.INVALID_ACL);
  }

  @Test
  void digestAuthFromTheBuilderIsSentOnConnect() throws Exception {
    String id = io.warden.protocol.DigestAuth.digestId("bob:pw");
    sync.create("/bob", "b".getBytes(UTF_8), List.of(new Acl(io.warden.protocol.Perms.ALL,
        new io.warden.protocol.Id("digest", id))), CreateMode.PERSISTENT);
    try (WardenClient bob = WardenClient.builder(server.connectString()).digestAuth("bob:pw")
        .build()) {
      assertThat(bob.awaitConnected(Duration.ofSeconds(10))).isTrue();
      bob.blocking().sync("/bob"); // a new session, as in ephemeralsAreGoneOnceTheSessionCloses
      assertThat(bob.blocking().getData("/bob").data()).isEqualTo("b".getBytes(UTF_8));
    }
  }

  @Test
  void chrootIsAppliedAndStripped() throws Exception {
    sync.create("/app", null, OPEN, CreateMode.PERSISTENT);
    try (WardenClient chrooted = WardenClient.builder(server.connectString() + "/app").build()) {
      assertThat(chrooted.awaitConnected(Duration.ofSeconds(10))).isTrue();
      BlockingWardenClient c = chrooted.blocking();
      assertThat(c.create("/n", null, OPEN, CreateMode.PERSISTENT)).isEqualTo("/n");
      assertThat(c.create("/n/s-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL))
          .startsWith("/n/s-");
      assertThat(c.getChildren("/")).containsExactly("n");
      sync.sync("/app/n"); // the chrooted session created it: our server may not have applied it
      assertThat(sync.exists("/app/n")).isNotNull();
      assertThat(c.getEphemerals()).allMatch(p -> p.startsWith("/n/s-")).hasSize(1);
      List<OpResult> results = c.multi(List.of(Op.create("/m", null, OPEN,
          CreateMode.PERSISTENT)));
      assertThat(((OpResult.CreateResult) results.get(0)).path()).isEqualTo("/m");
      WardenException rootDelete = org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> c.delete("/", -1), WardenException.class);
      assertThat(rootDelete.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS);
    }
  }

  @Test
  void completionsRunOnTheEventThreadInRequestOrder() throws Exception {
    sync.create("/o", null, OPEN, CreateMode.PERSISTENT);
    // A stage attached to an already completed future runs on the attaching thread (that is
    // CompletableFuture), so hold the event thread in a watcher until every stage is attached.
    java.util.concurrent.CountDownLatch inWatcher = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    client.getData("/o", e -> {
      inWatcher.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }).toCompletableFuture().get(10, TimeUnit.SECONDS);
    sync.setData("/o", new byte[] {1}, -1);
    assertThat(inWatcher.await(10, TimeUnit.SECONDS)).isTrue();
    List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      int n = i;
      all.add(client.create("/o/n" + i, null, OPEN, CreateMode.PERSISTENT)
          .thenAccept(p -> order.add(Thread.currentThread().getName() + " " + n))
          .toCompletableFuture());
    }
    release.countDown();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(order).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(order.get(i)).startsWith("warden-client-events-").endsWith(" " + i);
    }
  }

  @Test
  void blockingCallsWorkFromInsideACallback() throws Exception {
    sync.create("/cb", "x".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT);
    byte[] inner = client.exists("/cb")
        .thenApply(stat -> {
          try {
            return sync.getData("/cb").data();
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(inner).isEqualTo("x".getBytes(UTF_8));
  }

  @Test
  void aClosedClientFailsFast() throws Exception {
    client.close();
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThatThrownBy(() -> client.getData("/")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> sync.exists("/")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> client.addAuth("digest", new byte[1]))
        .isInstanceOf(IllegalStateException.class);
    client.close(); // idempotent
    assertThat(client.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void requestsPipelinedBeforeTheConnectionAreSentOnceConnected() throws Exception {
    try (WardenClient fresh = WardenClient.builder(server.connectString()).build()) {
      CompletableFuture<Stat> early = fresh.exists("/").toCompletableFuture();
      assertThat(early.get(10, TimeUnit.SECONDS)).isNotNull();
      assertThat(fresh.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }
}
