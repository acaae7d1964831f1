package io.warden.coordinator.conformance;

import io.warden.coordinator.config.SuperDigest;
import io.warden.coordinator.config.WardenConfig;
import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/** A Warden node on loopback with ephemeral ports, configured like the ZooKeeper oracle. */
final class WardenTarget implements Target {
  private final WardenConfig config;
  private WardenServer server;

  private WardenTarget(WardenConfig config) {
    this.config = config;
    this.server = WardenServer.start(config);
  }

  static WardenTarget start(Path dir, UnaryOperator<WardenConfig.Builder> tune) {
    WardenConfig.Builder b =
        TestServers.config(dir)
            .tickTimeMs(TICK_MS)
            .reaperIntervalMs(REAPER_INTERVAL_MS)
            .superDigest(superDigest());
    return new WardenTarget(tune.apply(b).build());
  }

  /** Stops the node and starts it again on the same data (on a new ephemeral port). */
  @Override
  public void restart() {
    server.close();
    server = WardenServer.start(config);
  }

  /** The digest of {@link #SUPER_CREDENTIALS}, computed the way ZooKeeper does. */
  static SuperDigest superDigest() {
    try {
      String digest = DigestAuthenticationProvider.generateDigest(SUPER_CREDENTIALS);
      int colon = digest.indexOf(':');
      return new SuperDigest(digest.substring(0, colon), digest.substring(colon + 1));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  WardenServer server() {
    return server;
  }

  @Override
  public String connectString() {
    return server.connectString();
  }

  @Override
  public boolean isWarden() {
    return true;
  }

  @Override
  public boolean sessionExists(long sessionId) {
    return query(l -> l.stateMachine().sessions().contains(sessionId));
  }

  @Override
  public int ephemeralCount(long sessionId) {
    return query(l -> l.stateMachine().tree().ephemeralCount(sessionId));
  }

  @Override
  public int watchCount() {
    return query(l -> l.status().watchCount());
  }

  private <T> T query(Function<NodeLoop, T> q) {
    try {
      return server.runtime().query(q).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("querying the node failed", e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
