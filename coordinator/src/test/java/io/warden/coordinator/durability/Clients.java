package io.warden.coordinator.durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Official ZooKeeper clients for the durability tests. */
final class Clients {
  static final int CONNECT_TIMEOUT_S = 20;

  private Clients() {
  }

  /** A new session, connected (SyncConnected) before this returns. */
  static ZooKeeper connect(String connectString, int sessionTimeoutMs) {
    return connect(connectString, sessionTimeoutMs, 0, null);
  }

  /** Resumes {@code sessionId} when it is not 0; connected before this returns. */
  static ZooKeeper connect(String connectString, int sessionTimeoutMs, long sessionId, byte[] password) {
    CountDownLatch connected = new CountDownLatch(1);
    Watcher watcher = e -> {
      if (e.getType() == Watcher.Event.EventType.None && e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    };
    ZooKeeper zk;
    try {
      zk = sessionId == 0 ? new ZooKeeper(connectString, sessionTimeoutMs, watcher)
          : new ZooKeeper(connectString, sessionTimeoutMs, watcher, sessionId, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      if (!connected.await(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)) {
        closeQuietly(zk);
        throw new IllegalStateException("no connection to " + connectString + " within " + CONNECT_TIMEOUT_S + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return zk;
  }

  /** {@code n} new sessions, connecting in parallel; all connected before this returns. */
  static List<ZooKeeper> connectAll(String connectString, int sessionTimeoutMs, int n) {
    CountDownLatch connected = new CountDownLatch(n);
    List<ZooKeeper> out = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        out.add(new ZooKeeper(connectString, sessionTimeoutMs, e -> {
          if (e.getType() == Watcher.Event.EventType.None && e.getState() == Watcher.Event.KeeperState.SyncConnected) {
            connected.countDown();
          }
        }));
      }
      if (!connected.await(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no connection to " + connectString + " within " + CONNECT_TIMEOUT_S + " s");
      }
      return out;
    } catch (IOException e) {
      out.forEach(Clients::closeQuietly);
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.forEach(Clients::closeQuietly);
      throw new IllegalStateException("interrupted", e);
    } catch (RuntimeException e) {
      out.forEach(Clients::closeQuietly);
      throw e;
    }
  }

  static void closeQuietly(ZooKeeper zk) {
    try {
      zk.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
