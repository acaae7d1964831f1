package io.warden.coordinator.cli;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * An embedded Apache ZooKeeper 3.9 server on 127.0.0.1 and an ephemeral port for the shell tests.
 * Its server classes need metrics-core and snappy-java, which ZooKeeper's pom marks "provided":
 * both are test-scope dependencies in the pom.
 */
final class ShellTestServer implements AutoCloseable {
  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;

  ShellTestServer(Path dir) throws Exception {
    requireOracle(present("com.codahale.metrics.Reservoir")
            && present("org.xerial.snappy.SnappyInputStream"), "an embedded ZooKeeper server needs metrics-core and snappy-java on the test classpath");
    System.setProperty("zookeeper.extendedTypesEnabled", "true");
    System.setProperty("zookeeper.forceSync", "no");
    File data = dir.toFile();
    server = new ZooKeeperServer(data, data, 500);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 50);
    factory.startup(server);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, ShellTestServer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  String address() {
    return "127.0.0.1:" + factory.getLocalPort();
  }

  @Override
  public void close() {
    factory.shutdown();
    server.shutdown();
  }

  /** The oracle's runtime classes are test-scope dependencies in the pom: missing means broken, never "skip". */
  private static void requireOracle(boolean present, String what) {
    if (!present) {
      throw new IllegalStateException(what + " (they are test-scope dependencies in the pom)");
    }
  }
}
