package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.Created;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.CreateMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A distributed counting semaphore: at most {@code permits} leases on a path at once (Curator's
 * InterProcessSemaphoreV2 design).
 *
 * <p><b>How.</b> A lease is a protected ephemeral-sequential node under {@code <path>/leases}. To
 * acquire, a client first takes the {@link Mutex} {@code <path>/lock}, so only one acquirer at a
 * time looks at the leases; it adds its lease and, while there are more than {@code permits}, waits
 * on a child watch of the leases directory. Only that one acquirer watches the directory (the
 * others wait in the mutex queue, each on its predecessor): no herd effect. It then releases the
 * mutex. Releasing a lease deletes its node.
 *
 * <p><b>Guarantees.</b> While the sessions live, no more than {@code permits} leases exist, provided
 * every user of the path passes the same {@code permits} (it is not stored). Acquirers are served
 * in arrival order.
 *
 * <p><b>Failure behaviour.</b> A lease is an ephemeral node: it lasts as long as the holder's
 * session. On SUSPENDED the holder cannot know whether its lease survives and must stop using the
 * resource until RECONNECTED ({@link Lease#isValid()} is false meanwhile); on session loss the
 * lease is gone and may be handed to someone else at once; after a GC pause longer than the session
 * timeout the holder may still believe in a lease that has been given away. An acquirer that times
 * out or fails leaves nothing behind.
 */
public final class Semaphore {
  private final WardenClient client;
  private final String path;
  private final String leasesPath;
  private final int permits;

  public Semaphore(WardenClient client, String path, int permits) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = RecipePaths.validate(path);
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be >= 1, was " + permits);
    }
    this.permits = permits;
    this.leasesPath = RecipePaths.child(path, "leases");
  }

  /** One held permit; {@link #close()} gives it back. */
  public final class Lease implements AutoCloseable {
    private final String nodePath;
    private volatile boolean released;

    private Lease(String nodePath) {
      this.nodePath = nodePath;
    }

    public String nodePath() {
      return nodePath;
    }

    /** True until closed, and while the client is connected (its session holds the node). */
    public boolean isValid() {
      return !released && client.state() != null && client.state().isConnected();
    }

    @Override
    public void close() throws WardenException, InterruptedException {
      if (released) {
        return;
      }
      released = true;
      if (!client.state().isTerminal()) {
        RecipePaths.deleteIfExists(client, nodePath);
      }
    }
  }

  /** Waits as long as it takes for a lease. */
  public Lease acquire() throws WardenException, InterruptedException {
    return acquire(-1);
  }

  /** Waits at most {@code timeout}; null if no lease was acquired (nothing left behind). */
  public Lease acquire(Duration timeout) throws WardenException, InterruptedException {
    return acquire(Math.max(0, Objects.requireNonNull(timeout, "timeout").toNanos()));
  }

  private Lease acquire(long timeoutNanos) throws WardenException, InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    Mutex gate = new Mutex(client, RecipePaths.child(path, "lock"));
    if (timeoutNanos < 0) {
      gate.acquire();
    } else if (!gate.acquire(Duration.ofNanos(timeoutNanos))) {
      return null;
    }
    try {
      Created lease = ProtectedCreate.create(client, leasesPath, "lease-", null,
          CreateMode.EPHEMERAL_SEQUENTIAL);
      boolean ok = false;
      try {
        ok = waitForRoom(timeoutNanos < 0 ? Long.MAX_VALUE : deadline, timeoutNanos < 0);
        return ok ? new Lease(lease.path()) : null;
      } finally {
        if (!ok) {
          new Lease(lease.path()).close();
        }
      }
    } finally {
      gate.release();
    }
  }

  private boolean waitForRoom(long deadline, boolean forever)
      throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    while (true) {
      CountDownLatch changed = new CountDownLatch(1);
      List<String> leases = client.retryPolicy().call(() ->
          sync.getChildren(leasesPath, event -> changed.countDown()));
      if (leases.size() <= permits) {
        return true;
      }
      if (forever) {
        changed.await();
      } else {
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0 || !changed.await(leftNanos, TimeUnit.NANOSECONDS)) {
          return false;
        }
      }
    }
  }

  public int permits() {
    return permits;
  }

  /** The leases held now, by anyone. */
  public int leaseCount() throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    RecipePaths.ensure(sync, client.retryPolicy(), leasesPath);
    return client.retryPolicy().call(() -> sync.getChildren(leasesPath)).size();
  }
}
