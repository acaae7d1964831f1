package io.warden.coordinator.badinput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.awaitility.Awaitility;

/**
 * The well-behaved neighbour: an official-client session that keeps writing a counter
 * (setData with the expected version, then reading it back) on its own thread while tests
 * throw bad input at the same server. Any failure — an error, a lost update, a new session —
 * is recorded; {@link #assertHealthy} checks none happened and that it made progress.
 */
public final class Keeper implements AutoCloseable {
  private static final String PATH = "/keeper";

  private final ZooKeeper zk;
  private final long sessionId;
  private final Thread thread;
  private final AtomicLong writes = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private volatile boolean stopped;

  public Keeper(String connectString) {
    CountDownLatch connected = new CountDownLatch(1);
    try {
      zk = new ZooKeeper(connectString, 10_000, e -> {
        if (e.getType() == Watcher.Event.EventType.None) {
          if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
            connected.countDown();
          } else if (connected.getCount() == 0) {
            failures.add("keeper session event: " + e.getState());
          }
        }
      });
      if (!connected.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("keeper could not connect");
      }
      zk.create(PATH, "0".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException | KeeperException e) {
      throw new IllegalStateException("keeper setup failed", e);
    }
    sessionId = zk.getSessionId();
    thread = new Thread(this::run, "keeper");
    thread.setDaemon(true);
    thread.start();
  }

  public long writes() {
    return writes.get();
  }

  /**
   * No failure so far, at least one more write than {@code writesBefore}, the same session,
   * and the stored counter equal to every write made (none lost).
   */
  public void assertHealthy(long writesBefore) {
    Awaitility.await("the keeper to make progress").atMost(Duration.ofSeconds(20))
        .until(() -> writes.get() > writesBefore || !failures.isEmpty());
    if (!failures.isEmpty()) {
      throw new AssertionError("the well-behaved session failed: " + failures);
    }
    if (zk.getSessionId() != sessionId) {
      throw new AssertionError("the well-behaved session was replaced");
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
    zk.close();
  }

  private void run() {
    long n = 0;
    try {
      while (!stopped) {
        Stat stat = zk.setData(PATH, Long.toString(n + 1).getBytes(StandardCharsets.UTF_8), (int) n);
        n++;
        byte[] back = zk.getData(PATH, false, null);
        if (stat.getVersion() != n || !new String(back, StandardCharsets.UTF_8).equals(Long.toString(n))) {
          failures.add("lost update: wrote " + n + ", read back " + new String(back, StandardCharsets.UTF_8)
              + " at version " + stat.getVersion());
          return;
        }
        writes.set(n);
      }
    } catch (KeeperException e) {
      failures.add("keeper operation failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
