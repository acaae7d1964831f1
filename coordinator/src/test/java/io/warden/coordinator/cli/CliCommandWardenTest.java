package io.warden.coordinator.cli;

import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The cli against a Warden node: the same commands, the same output. */
class CliCommandWardenTest extends CliCommandTest {
  private static WardenServer warden;

  @BeforeAll
  static void start(@TempDir Path dir) {
    warden = TestServers.start(dir);
  }

  @AfterAll
  static void stop() {
    if (warden != null) {
      warden.close();
    }
  }

  @Override
  String address() {
    return warden.connectString();
  }
}
