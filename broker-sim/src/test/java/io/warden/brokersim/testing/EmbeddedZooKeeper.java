package io.warden.brokersim.testing;

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
 * An embedded Apache ZooKeeper 3.9 standalone server on loopback, port 0: the oracle the
 * simulator's protocol use is checked against. Tick 500 ms, so sessions of 1–10 s are granted as
 * asked (ZooKeeper clamps to 2–20 ticks).
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  static {
    System.setProperty("zookeeper.forceSync", "no"); // an fsync per write only slows tests down
    System.setProperty("zookeeper.admin.enableServer", "false");
  }

  private static final int TICK_TIME_MS = 500;
  private final Path dir;
  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;

  public EmbeddedZooKeeper() throws Exception {
    dir = Files.createTempDirectory("brokersim-zk-");
    server = new ZooKeeperServer(dir.toFile(), dir.toFile(), TICK_TIME_MS);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 500);
    factory.startup(server);
  }

  public String connectString() {
    return "127.0.0.1:" + factory.getLocalPort();
  }

  /** Ends a session as the server's own expiry would: its connection is closed, its ephemerals go. */
  public void expireSession(long sessionId) {
    server.closeSession(sessionId);
  }

  @Override
  public void close() {
    factory.shutdown();
    if (server.isRunning()) {
      server.shutdown();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
