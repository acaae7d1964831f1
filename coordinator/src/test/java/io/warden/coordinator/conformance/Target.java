package io.warden.coordinator.conformance;

import io.warden.coordinator.config.WardenConfig;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The server a conformance test talks to through the official client. Normally a Warden node; with
 * {@code -Dwarden.conformance.target=zookeeper} the same tests run against an embedded Apache
 * ZooKeeper 3.9 instead, which is how we check that the tests themselves encode ZooKeeper's
 * behaviour and not our assumptions about it. Assertions about Warden's own, documented choices are
 * guarded with {@link #isWarden()}.
 */
interface Target extends AutoCloseable {
  String PROPERTY = "warden.conformance.target";

  /** The test-only super user password; its digest is configured on both servers. */
  String SUPER_CREDENTIALS = "super:s3cret";

  /** Tick 500 ms on both servers: session timeouts 1–10 s. */
  int TICK_MS = 500;

  /** How often containers and TTL nodes are reaped in these tests. */
  int REAPER_INTERVAL_MS = 200;

  String connectString();

  boolean isWarden();

  /** Whether the server still has the session (asked on the server side, not via a client). */
  boolean sessionExists(long sessionId);

  /** How many ephemeral nodes the server holds for the session. */
  int ephemeralCount(long sessionId);

  /**
   * The server's watch count. Servers count differently (ZooKeeper counts a persistent watch
   * twice), so tests compare it only with an earlier value of itself.
   */
  int watchCount();

  /** Stops the server and starts it again on the same data; the port changes. */
  void restart();

  @Override
  void close();

  /**
   * Starts the target the run selected, with data in {@code dir}; Warden with {@code tune}d config.
   */
  static Target start(Path dir, UnaryOperator<WardenConfig.Builder> tune) {
    String which = System.getProperty(PROPERTY, "warden");
    return switch (which) {
      case "warden" -> WardenTarget.start(dir, tune);
      case "zookeeper" -> ZooKeeperTarget.start(dir, REAPER_INTERVAL_MS);
      default ->
          throw new IllegalArgumentException(
              PROPERTY + " must be warden or zookeeper, not " + which);
    };
  }

  static Target start(Path dir) {
    return start(dir, UnaryOperator.identity());
  }
}
