package io.warden.coordinator.conformance;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.ContainerManager;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * An embedded Apache ZooKeeper 3.9 standalone server: the oracle. The super digest and
 * extended types (TTL) come from system properties that surefire sets before any ZooKeeper
 * class loads (see the root pom). Like ZooKeeperServerMain, it runs a ContainerManager, here
 * with a short interval, so containers and TTL nodes are reaped as in production.
 */
final class ZooKeeperTarget implements Target {
  private final ServerCnxnFactory factory;
  private final OracleServer server;
  private final ContainerManager reaper;

  /** Exposes the first request processor, which the container manager submits deletes to. */
  private static final class OracleServer extends ZooKeeperServer {
    OracleServer(File dir, int tickMs) throws IOException {
      super(dir, dir, tickMs);
    }

    ContainerManager containerManager(int intervalMs) {
      return new ContainerManager(getZKDatabase(), firstProcessor, intervalMs, 100_000);
    }
  }

  private ZooKeeperTarget(ServerCnxnFactory factory, OracleServer server, ContainerManager reaper) {
    this.factory = factory;
    this.server = server;
    this.reaper = reaper;
  }

  /** @param reaperIntervalMs container/TTL check interval; 0 = never reap (no ContainerManager) */
  static ZooKeeperTarget start(Path dir, int reaperIntervalMs) {
    // The oracle need not survive power loss; read when FileTxnLog loads (too late is harmless).
    System.setProperty("zookeeper.forceSync", "no");
    try {
      OracleServer server = new OracleServer(dir.toFile(), TICK_MS);
      ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 200);
      factory.startup(server);
      ContainerManager reaper = null;
      if (reaperIntervalMs > 0) {
        reaper = server.containerManager(reaperIntervalMs);
        reaper.start();
      }
      return new ZooKeeperTarget(factory, server, reaper);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the embedded ZooKeeper in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded ZooKeeper", e);
    }
  }

  @Override
  public String connectString() {
    return "127.0.0.1:" + factory.getLocalPort();
  }

  @Override
  public boolean isWarden() {
    return false;
  }

  @Override
  public boolean sessionExists(long sessionId) {
    return server.getZKDatabase().getSessionWithTimeOuts().containsKey(sessionId);
  }

  @Override
  public int ephemeralCount(long sessionId) {
    return server.getZKDatabase().getEphemerals(sessionId).size();
  }

  @Override
  public int watchCount() {
    return server.getZKDatabase().getDataTree().getWatchCount();
  }

  @Override
  public void close() {
    if (reaper != null) {
      reaper.stop();
    }
    factory.shutdown();
    server.shutdown();
  }
}
