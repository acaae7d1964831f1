package io.warden.coordinator.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/** Apache ZooKeeper 3.9, standalone and in-process, as a second target for the load tool. */
final class EmbeddedZooKeeper implements AutoCloseable {
  private final ZooKeeperServer server;
  private final NIOServerCnxnFactory connections;

  EmbeddedZooKeeper(Path dataDir) throws IOException, InterruptedException {
    // the load tool's tests measure nothing: spare the shared disk the fsyncs
    System.setProperty("zookeeper.forceSync", "no");
    server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), 2000);
    connections = new NIOServerCnxnFactory();
    connections.configure(new InetSocketAddress("127.0.0.1", 0), 100);
    connections.startup(server);
  }

  String connectString() {
    return "127.0.0.1:" + connections.getLocalPort();
  }

  @Override
  public void close() {
    connections.shutdown();
    server.shutdown();
  }
}
