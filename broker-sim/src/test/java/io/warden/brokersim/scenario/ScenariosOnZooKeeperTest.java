package io.warden.brokersim.scenario;

import io.warden.brokersim.testing.EmbeddedZooKeeper;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The nine conformance scenarios against embedded Apache ZooKeeper (the oracle). */
class ScenariosOnZooKeeperTest {
  private static EmbeddedZooKeeper zk;

  @BeforeAll
  static void start() throws Exception {
    zk = new EmbeddedZooKeeper();
  }

  @AfterAll
  static void stop() {
    zk.close();
  }

  @TestFactory
  Stream<DynamicTest> conformance() {
    return ConformanceSuite.all("zookeeper", zk.connectString());
  }
}
