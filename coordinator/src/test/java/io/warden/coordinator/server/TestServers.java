package io.warden.coordinator.server;

import io.warden.coordinator.config.WardenConfig;
import java.nio.file.Path;

/** Embedded Warden servers for tests: loopback, ephemeral ports, data in the given directory. */
public final class TestServers {
  private TestServers() {
  }

  /** A standalone config with every port 0 and short session timeouts (tick 500 ms: 1–10 s). */
  public static WardenConfig.Builder config(Path dataDir) {
    return WardenConfig.builder()
        .dataDir(dataDir)
        .clientPortAddress("127.0.0.1")
        .clientPort(0)
        .adminServerAddress("127.0.0.1")
        .adminServerPort(0)
        .tickTimeMs(500)
        .minSessionTimeoutMs(1000)
        .maxSessionTimeoutMs(10_000);
  }

  public static WardenServer start(Path dataDir) {
    return WardenServer.start(config(dataDir).build());
  }
}
