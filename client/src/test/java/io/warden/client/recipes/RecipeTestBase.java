package io.warden.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import io.warden.client.testing.TcpProxy;
import io.warden.client.testing.TestServer;
import io.warden.client.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * One server per test class (from {@link TestServers}, so the class runs against ZooKeeper or
 * Warden alike), a fresh recipe path per test, and clients that are closed after each test.
 */
abstract class RecipeTestBase {
  static TestServer server;
  private static final AtomicInteger RUN = new AtomicInteger();
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
  /** A path no other test uses: {@code /<TestClass>/<method>-<n>}. */
  String path;

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
  void pickPath(TestInfo info) {
    path = "/" + getClass().getSimpleName() + "/"
        + info.getTestMethod().orElseThrow().getName() + "-" + RUN.incrementAndGet();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  /** A connected client on its own session, closed after the test. */
  WardenClient client() throws Exception {
    return client(WardenClient.builder(server.connectString()));
  }

  WardenClient client(WardenClient.Builder builder) throws Exception {
    WardenClient c = builder.build();
    closeables.add(c);
    assertThat(c.awaitConnected(Duration.ofSeconds(10))).isTrue();
    return c;
  }

  /**
   * A new session that has seen every write acknowledged so far. On Warden a session created
   * after a write sees it anyway (its creation is a log entry, applied before the handshake
   * reply), but ZooKeeper does not promise it (a local session skips the log): sync.
   */
  WardenClient caughtUpClient() throws Exception {
    WardenClient c = client();
    c.blocking().sync(path);
    return c;
  }

  /** A client behind its own proxy, so the test can cut its network alone. */
  Proxied proxiedClient(Duration sessionTimeout) throws Exception {
    TcpProxy proxy = TcpProxy.front(server.connectString());
    closeables.add(proxy);
    WardenClient c = client(WardenClient.builder(proxy.connectString())
        .sessionTimeout(sessionTimeout));
    return new Proxied(c, proxy);
  }

  record Proxied(WardenClient client, TcpProxy proxy) {
    boolean is(ConnectionState state) {
      return client.state() == state;
    }
  }

  <T extends AutoCloseable> T closeLater(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** A seed from -Drecipes.seed, else fresh; printed so a failing run can be replayed. */
  static long seed(String test) {
    String given = System.getProperty("recipes.seed");
    long seed = given != null ? Long.parseLong(given) : System.nanoTime();
    System.out.println(test + " seed=" + seed + " (replay with -Drecipes.seed=" + seed + ")");
    return seed;
  }
}
