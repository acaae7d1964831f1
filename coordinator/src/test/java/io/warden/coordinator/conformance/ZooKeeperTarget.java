package io.warden.coordinator.conformance;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.ContainerManager;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * An embedded Apache ZooKeeper 3.9 standalone server: the oracle. The super digest and extended
 * types (TTL) come from system properties that surefire sets before any ZooKeeper class loads (see
 * the root pom). Like ZooKeeperServerMain, it runs a ContainerManager, here with a short interval,
 * so containers and TTL nodes are reaped as in production.
 */
final class ZooKeeperTarget implements Target {
  private final Path dir;
  private final int reaperIntervalMs;
  private Running running;

  /** Exposes the first request processor, which the container manager submits deletes to. */
  private static final class OracleServer extends ZooKeeperServer {
    OracleServer(File dir, int tickMs) throws IOException {
      super(dir, dir, tickMs);
    }

    ContainerManager containerManager(int intervalMs) {
      return new ContainerManager(getZKDatabase(), firstProcessor, intervalMs, 100_000);
    }
  }

  /** One incarnation of the server; reaper is null when reaping is off. */
  private record Running(ServerCnxnFactory factory, OracleServer server, ContainerManager reaper) {
    void stop() {
      if (reaper != null) {
        reaper.stop();
      }
      factory.shutdown();
      server.shutdown();
    }
  }

  private ZooKeeperTarget(Path dir, int reaperIntervalMs) {
    this.dir = dir;
    this.reaperIntervalMs = reaperIntervalMs;
  }

  /**
   * @param reaperIntervalMs container/TTL check interval; 0 = never reap (no ContainerManager)
   */
  static ZooKeeperTarget start(Path dir, int reaperIntervalMs) {
    ZooKeeperTarget t = new ZooKeeperTarget(dir, reaperIntervalMs);
    t.running = t.launch();
    return t;
  }

  private Running launch() {
    // The oracle need not survive power loss; read when FileTxnLog loads (too late is harmless).
    System.setProperty("zookeeper.forceSync", "no");
    try {
      OracleServer server = new OracleServer(dir.toFile(), TICK_MS);
      ServerCnxnFactory factory =
          ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 200);
      factory.startup(server);
      ContainerManager reaper = null;
      if (reaperIntervalMs > 0) {
        reaper = server.containerManager(reaperIntervalMs);
        reaper.start();
      }
      return new Running(factory, server, reaper);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the embedded ZooKeeper in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded ZooKeeper", e);
    }
  }

  @Override
  public void restart() {
    running.stop();
    running = launch();
  }

  @Override
  public String connectString() {
    return "127.0.0.1:" + running.factory().getLocalPort();
  }

  @Override
  public boolean isWarden() {
    return false;
  }

  @Override
  public boolean sessionExists(long sessionId) {
    return running.server().getZKDatabase().getSessionWithTimeOuts().containsKey(sessionId);
  }

  @Override
  public int ephemeralCount(long sessionId) {
    return running.server().getZKDatabase().getEphemerals(sessionId).size();
  }

  @Override
  public int watchCount() {
    return running.server().getZKDatabase().getDataTree().getWatchCount();
  }

  @Override
  public void close() {
    running.stop();
  }
}
