package io.warden.client.internal;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Validated settings of one client; built by {@code WardenClient.Builder}.
 *
 * @param connectionTimeoutMs bound on one connection attempt (TCP connect plus handshake); 0
 *     means ZooKeeper's rule, session timeout / number of servers
 * @param requestTimeoutMs 0 for none (ZooKeeper's default)
 * @param maxFrameBytes the client's jute.maxbuffer: a larger incoming frame drops the connection
 * @param nanoTime monotonic time source; tests may inject their own
 * @param randomSeed seeds the host shuffle and the reconnect back-off
 */
public record ClientConfig(
    ConnectString connectString,
    int sessionTimeoutMs,
    int connectionTimeoutMs,
    long requestTimeoutMs,
    List<AuthInfo> auths,
    boolean canBeReadOnly,
    int maxFrameBytes,
    LongSupplier nanoTime,
    long randomSeed) {

  public ClientConfig {
    Objects.requireNonNull(connectString, "connectString");
    auths = List.copyOf(auths);
    Objects.requireNonNull(nanoTime, "nanoTime");
    if (sessionTimeoutMs <= 0 || connectionTimeoutMs < 0 || requestTimeoutMs < 0
        || maxFrameBytes <= 0) {
      throw new IllegalArgumentException("invalid client config: " + this);
    }
  }
}
