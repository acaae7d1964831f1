package io.warden.coordinator.node;

import io.warden.coordinator.util.Check;

/**
 * Everything the node loop needs to know from configuration, already validated there; the
 * checks here only catch programming errors.
 *
 * @param serverId this node's id (1…255); the top byte of the session ids it proposes
 * @param tickMs granularity of the loop's timers (session expiry buckets, reaper)
 * @param superDigest {@code super:<base64 sha1>} or null
 * @param touchRelayMs how often a follower tells the leader which sessions it heard from
 * @param forwardTimeoutMs a write forwarded to the leader and not applied by then fails its
 *     connection (a safety net: link resets and leader changes fail them sooner)
 */
public record NodeOptions(
    int serverId,
    int tickMs,
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    int snapCount,
    long snapshotMaxLogBytes,
    int snapshotChunkBytes,
    long reaperIntervalMs,
    int reaperMaxPerInterval,
    int maxWatchesPerConnection,
    boolean extendedTypes,
    String superDigest,
    int maxEntriesPerPersist,
    long touchRelayMs,
    long forwardTimeoutMs) {

  public NodeOptions {
    Check.argument(serverId >= 1 && serverId <= 255, "serverId %d not in 1..255", serverId);
    Check.argument(tickMs > 0, "tickMs must be positive");
    Check.argument(minSessionTimeoutMs > 0 && minSessionTimeoutMs <= maxSessionTimeoutMs,
        "session timeouts: min %d, max %d", minSessionTimeoutMs, maxSessionTimeoutMs);
    Check.argument(snapCount > 0 && snapshotMaxLogBytes > 0 && snapshotChunkBytes > 0, "snapshot limits must be positive");
    Check.argument(reaperIntervalMs > 0 && reaperMaxPerInterval > 0, "reaper limits must be positive");
    Check.argument(maxWatchesPerConnection > 0 && maxEntriesPerPersist > 0, "limits must be positive");
    Check.argument(touchRelayMs > 0 && forwardTimeoutMs > 0, "relay and forward timeouts must be positive");
  }

  /** Defaults as ZooKeeper's (tickTime 3000 ms: sessions 6–60 s) with Warden's reaper and snapshot limits. */
  public static NodeOptions defaults(int serverId) {
    return new NodeOptions(serverId, 3000, 6000, 60000, 100_000, 256L << 20, 1 << 20,
        5000, 1000, 100_000, true, null, 4096, 100, 10_000);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Variations of a set of options (mostly for tests); validated again on {@link #build()}. */
  public static final class Builder {
    private int serverId;
    private int tickMs;
    private int minSessionTimeoutMs;
    private int maxSessionTimeoutMs;
    private int snapCount;
    private long snapshotMaxLogBytes;
    private int snapshotChunkBytes;
    private long reaperIntervalMs;
    private int reaperMaxPerInterval;
    private int maxWatchesPerConnection;
    private boolean extendedTypes;
    private String superDigest;
    private int maxEntriesPerPersist;
    private long touchRelayMs;
    private long forwardTimeoutMs;

    private Builder(NodeOptions o) {
      serverId = o.serverId;
      tickMs = o.tickMs;
      minSessionTimeoutMs = o.minSessionTimeoutMs;
      maxSessionTimeoutMs = o.maxSessionTimeoutMs;
      snapCount = o.snapCount;
      snapshotMaxLogBytes = o.snapshotMaxLogBytes;
      snapshotChunkBytes = o.snapshotChunkBytes;
      reaperIntervalMs = o.reaperIntervalMs;
      reaperMaxPerInterval = o.reaperMaxPerInterval;
      maxWatchesPerConnection = o.maxWatchesPerConnection;
      extendedTypes = o.extendedTypes;
      superDigest = o.superDigest;
      maxEntriesPerPersist = o.maxEntriesPerPersist;
      touchRelayMs = o.touchRelayMs;
      forwardTimeoutMs = o.forwardTimeoutMs;
    }

    public Builder serverId(int serverId) {
      this.serverId = serverId;
      return this;
    }

    public Builder extendedTypes(boolean enabled) {
      this.extendedTypes = enabled;
      return this;
    }

    public Builder touchRelayMs(long ms) {
      this.touchRelayMs = ms;
      return this;
    }

    public Builder forwardTimeoutMs(long ms) {
      this.forwardTimeoutMs = ms;
      return this;
    }

    public Builder sessions(int tickMs, int minSessionTimeoutMs, int maxSessionTimeoutMs) {
      this.tickMs = tickMs;
      this.minSessionTimeoutMs = minSessionTimeoutMs;
      this.maxSessionTimeoutMs = maxSessionTimeoutMs;
      return this;
    }

    public Builder snapCount(int snapCount) {
      this.snapCount = snapCount;
      return this;
    }

    public Builder reaper(long intervalMs, int maxPerInterval) {
      this.reaperIntervalMs = intervalMs;
      this.reaperMaxPerInterval = maxPerInterval;
      return this;
    }

    public Builder maxWatchesPerConnection(int max) {
      this.maxWatchesPerConnection = max;
      return this;
    }

    public Builder superDigest(String superDigest) {
      this.superDigest = superDigest;
      return this;
    }

    public NodeOptions build() {
      return new NodeOptions(serverId, tickMs, minSessionTimeoutMs, maxSessionTimeoutMs, snapCount,
          snapshotMaxLogBytes, snapshotChunkBytes, reaperIntervalMs, reaperMaxPerInterval,
          maxWatchesPerConnection, extendedTypes, superDigest, maxEntriesPerPersist, touchRelayMs, forwardTimeoutMs);
    }
  }
}
