package io.warden.brokersim.scenario;

import io.warden.coordinator.server.TestEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The nine conformance scenarios against a 3-node Warden ensemble (in-JVM, loopback, port 0). */
class ScenariosOnWardenTest {
  @TempDir
  static Path dir;
  private static TestEnsemble ensemble;

  @BeforeAll
  static void start() throws Exception {
    ensemble = TestEnsemble.start(Files.createDirectories(dir.resolve("ensemble")), 3, 0);
    ensemble.awaitStable(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    ensemble.close();
  }

  @TestFactory
  Stream<DynamicTest> conformance() {
    return ConformanceSuite.all("warden", ensemble.connectString());
  }
}
