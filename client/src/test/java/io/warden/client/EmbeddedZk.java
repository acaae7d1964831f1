package io.warden.client;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * An embedded Apache ZooKeeper 3.9 standalone server on 127.0.0.1 and an ephemeral port, the
 * oracle the client is tested against. It can be stopped and started again on the same port with
 * the same data directory (sessions survive, as they do across a real server restart), and can
 * expire a session on demand.
 *
 * <p>ZooKeeper's server needs Dropwizard metrics-core and snappy-java, which its pom declares
 * "provided"; tests using this class are skipped unless both are on the test classpath (add them
 * in test scope, or for one run
 * {@code -Dmaven.test.additionalClasspath=<metrics-core.jar>,<snappy-java.jar>}).
 */
final class EmbeddedZk implements AutoCloseable {
  static {
    // TTL nodes need the extended types; an fsync per write only slows the tests down.
    System.setProperty("zookeeper.extendedTypesEnabled", "true");
    System.setProperty("zookeeper.forceSync", "no");
  }

  private final File dir;
  private final int tickTimeMs;
  private ZooKeeperServer server;
  private ServerCnxnFactory factory;
  private int port;

  EmbeddedZk(Path dir, int tickTimeMs) throws Exception {
    requireAvailable();
    this.dir = dir.toFile();
    this.tickTimeMs = tickTimeMs;
    start(0);
  }

  static void requireAvailable() {
    requireOracle(present("com.codahale.metrics.Reservoir")
            && present("org.xerial.snappy.SnappyInputStream"), "an embedded ZooKeeper server needs metrics-core and snappy-java on the test classpath");
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

  int port() {
    return port;
  }

  String connectString() {
    return "127.0.0.1:" + port;
  }

  ZooKeeperServer server() {
    return server;
  }

  /** Stops serving (connections drop); the data stays for {@link #restart()}. */
  void stop() {
    factory.shutdown();
    server.shutdown();
  }

  /** Starts again on the same port with the same data (sessions are in the snapshot/log). */
  void restart() throws Exception {
    start(port);
  }

  /** Expires a session as the server's session tracker would. */
  void expire(long sessionId) {
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
  }

  /** The oracle's runtime classes are test-scope dependencies in the pom: missing means broken, never "skip". */
  private static void requireOracle(boolean present, String what) {
    if (!present) {
      throw new IllegalStateException(what + " (they are test-scope dependencies in the pom)");
    }
  }
}
