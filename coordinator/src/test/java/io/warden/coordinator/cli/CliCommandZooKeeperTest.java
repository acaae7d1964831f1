package io.warden.coordinator.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The cli against an embedded Apache ZooKeeper 3.9. */
class CliCommandZooKeeperTest extends CliCommandTest {
  private static ShellTestServer zk;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    zk = new ShellTestServer(dir);
  }

  @AfterAll
  static void stop() {
    if (zk != null) {
      zk.close();
    }
  }

  @Override
  String address() {
    return zk.address();
  }
}
