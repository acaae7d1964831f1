package io.warden.client.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * An embedded Apache ZooKeeper 3.9 standalone server on 127.0.0.1 and an ephemeral port, the
 * oracle the client is tested against, and the default {@link TestServer} when no
 * {@link TestServerProvider} is on the classpath. It can be stopped and started again on the same
 * port with the same data directory (sessions survive, as they do across a real server restart),
 * and can expire a session on demand.
 *
 * <p>The tick is 500 ms, so the server grants session timeouts from 1 s to 10 s as asked.
 * ZooKeeper's server needs Dropwizard metrics-core and snappy-java, which its pom declares
 * "provided"; they are test-scope dependencies of client/.
 */
public final class EmbeddedZk implements TestServer {
  static {
    // TTL nodes need the extended types; an fsync per write only slows the tests down.
    System.setProperty("zookeeper.extendedTypesEnabled", "true");
    System.setProperty("zookeeper.forceSync", "no");
  }

  public static final int TICK_TIME_MS = 500;
  private final File dir;
  private final boolean ownsDir;
  private final int tickTimeMs;
  private ZooKeeperServer server;
  private ServerCnxnFactory factory;
  private int port;

  public EmbeddedZk(Path dir, int tickTimeMs) throws Exception {
    this(dir, tickTimeMs, false);
  }

  private EmbeddedZk(Path dir, int tickTimeMs, boolean ownsDir) throws Exception {
    requireAvailable();
    this.dir = dir.toFile();
    this.ownsDir = ownsDir;
    this.tickTimeMs = tickTimeMs;
    start(0);
  }

  /** A server in a fresh temporary directory, deleted again by {@link #close()}. */
  public static EmbeddedZk inTempDir() throws Exception {
    return new EmbeddedZk(Files.createTempDirectory("warden-zk-"), TICK_TIME_MS, true);
  }

  static void requireAvailable() {
    requireOracle(present("com.codahale.metrics.Reservoir")
        && present("org.xerial.snappy.SnappyInputStream"),
        "an embedded ZooKeeper server needs metrics-core and snappy-java on the test classpath");
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, EmbeddedZk.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private void start(int onPort) throws Exception {
    server = new ZooKeeperServer(dir, dir, tickTimeMs);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", onPort), 100);
    factory.startup(server);
    port = factory.getLocalPort();
  }

  public int port() {
    return port;
  }

  @Override
  public String connectString() {
    return "127.0.0.1:" + port;
  }

  @Override
  public String description() {
    return "embedded Apache ZooKeeper at " + connectString();
  }

  /** Stops serving (connections drop); the data stays for {@link #restart()}. */
  @Override
  public void stop() {
    factory.shutdown();
    server.shutdown();
  }

  /** Starts again on the same port with the same data (sessions are in the snapshot/log). */
  @Override
  public void restart() throws Exception {
    start(port);
  }

  @Override
  public boolean canExpireSessions() {
    return true;
  }

  /** Expires a session as the server's session tracker would. */
  @Override
  public void expireSession(long sessionId) {
    server.expire(sessionId);
  }

  @Override
  public void close() {
    if (factory != null) {
      factory.shutdown();
    }
    if (server != null && server.isRunning()) {
      server.shutdown();
    }
    if (ownsDir) {
      deleteTree(dir.toPath());
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  /** The oracle's runtime classes are test-scope dependencies: missing means broken, never "skip". */
  private static void requireOracle(boolean present, String what) {
    if (!present) {
      throw new IllegalStateException(what + " (they are test-scope dependencies in the pom)");
    }
  }
}
