package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A barrier that one party raises and lowers while others wait (ZooKeeper's barrier recipe,
 * Curator's DistributedBarrier): the barrier is up while the persistent node {@code path} exists.
 * {@link #waitOnBarrier} returns when the node is gone; every waiter watches that one node, so
 * removing it releases all waiters with the same event.
 *
 * <p><b>Guarantees.</b> A waiter never passes while the node exists: it syncs before its first
 * check (so it sees a barrier raised before the wait began, whichever server it is on) and checks
 * again after every event. The node is persistent: the barrier stays up if the party that raised
 * it dies — lower it from anywhere with {@link #removeBarrier()}.
 *
 * <p><b>Failure behaviour.</b> SUSPENDED: waiters keep waiting and look again after the reconnect
 * (the watch is restored with the session); session loss: {@code waitOnBarrier} fails with
 * SessionExpired; GC pause: no effect on the barrier, a paused waiter passes late.
 */
public final class Barrier {
  private final WardenClient client;
  private final String path;

  public Barrier(WardenClient client, String path) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = RecipePaths.validate(path);
  }

  /** Raises the barrier (idempotent). */
  public void setBarrier() throws WardenException, InterruptedException {
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      RecipePaths.ensure(client.blocking(), client.retryPolicy(), path.substring(0, slash));
    }
    client.retryPolicy().call(() -> {
      try {
        client.blocking().create(path, null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NODE_EXISTS) {
          throw e;
        }
      }
      return null;
    });
  }

  /** Lowers the barrier, releasing every waiter (idempotent). */
  public void removeBarrier() throws WardenException, InterruptedException {
    RecipePaths.deleteIfExists(client, path);
  }

  /** Waits until the barrier is down; false if {@code timeout} passes first. */
  public boolean waitOnBarrier(Duration timeout) throws WardenException, InterruptedException {
    long deadline = System.nanoTime() + Objects.requireNonNull(timeout, "timeout").toNanos();
    BlockingWardenClient sync = client.blocking();
    // Sync first: our server may not have applied a setBarrier that another session already saw
    // acknowledged, and passing on that stale "no node" would be final (no watch corrects it).
    client.retryPolicy().call(() -> {
      sync.sync(path);
      return null;
    });
    while (true) {
      CountDownLatch changed = new CountDownLatch(1);
      Stat stat = client.retryPolicy().call(() -> sync.exists(path, event -> changed.countDown()));
      if (stat == null) {
        return true;
      }
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0 || !changed.await(leftNanos, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
  }
}
