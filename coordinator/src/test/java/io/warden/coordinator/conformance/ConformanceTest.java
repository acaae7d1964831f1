package io.warden.coordinator.conformance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the conformance classes share: one server (the {@link Target}) per class, a first
 * official-client session per test, and a root node per test named after it, so tests never
 * see each other's znodes.
 */
abstract class ConformanceTest {
  @TempDir static Path dir;
  static Target target;

  Clients clients;
  /** The first session of the test; it created {@link #root}. */
  ZooKeeper zk;
  String root;

  @BeforeAll
  static void startServer() {
    target = Target.start(dir);
  }

  @AfterAll
  static void stopServer() {
    target.close();
  }

  @BeforeEach
  void connectAndCreateRoot(TestInfo info) throws Exception {
    clients = new Clients(target.connectString());
    zk = clients.connect();
    root = "/" + info.getTestMethod().orElseThrow().getName();
    zk.create(root, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    clients.close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
