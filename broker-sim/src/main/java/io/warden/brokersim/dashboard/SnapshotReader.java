package io.warden.brokersim.dashboard;

import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.fleet.FleetConfig;
import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.ErrorCode;
import java.time.Duration;

/**
 * The dashboard's own session for reading the fleet's metadata. Not the fleet's admin session:
 * that one ends for good when it expires (the ensemble lost its quorum for longer than the
 * session timeout, say after two Warden nodes were stopped), and the dashboard must keep showing
 * the fleet after such an outage — so this one is replaced by a new session whenever it is lost.
 * Used by the sampler and fault threads, one at a time.
 */
final class SnapshotReader implements AutoCloseable {
  private final String connectString;
  private final Duration sessionTimeout;
  private WardenClient client; // guarded by this
  private boolean closed; // guarded by this

  SnapshotReader(FleetConfig config) {
    this.connectString = config.ensemble() + config.chroot();
    this.sessionTimeout = config.sessionTimeout();
  }

  synchronized ClusterSnapshot read() throws WardenException, InterruptedException {
    if (closed) {
      throw new IllegalStateException("the dashboard is closed");
    }
    if (client != null && client.state() == ConnectionState.LOST) {
      drop();
    }
    if (client == null) {
      client = WardenClient.builder(connectString).sessionTimeout(sessionTimeout).build();
    }
    try {
      if (!client.awaitConnected(sessionTimeout)) {
        throw new WardenException(ErrorCode.CONNECTION_LOSS, null, "no answer from " + connectString
            + " within " + sessionTimeout.toMillis() + " ms");
      }
      return ClusterSnapshot.read(client.blocking());
    } catch (WardenException e) {
      if (e.code() == ErrorCode.SESSION_EXPIRED || client.state() == ConnectionState.LOST) {
        drop(); // the next read starts a new session
      }
      throw e;
    }
  }

  private void drop() {
    client.close();
    client = null;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      drop();
    }
  }
}
