package io.warden.client.recipes;

import io.warden.client.Created;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A distributed mutual-exclusion lock (ZooKeeper's lock recipe, Curator's InterProcessMutex).
 *
 * <p><b>How.</b> {@link #acquire} creates a protected ephemeral-sequential node
 * {@code <path>/_c_<guid>-lock-<seq>} (the GUID finds the node again if the create's reply was
 * lost) and holds the lock when its node has the lowest sequence number; otherwise it watches only
 * the node just before its own, so a release wakes exactly one waiter (no herd effect). Holders are
 * served in the order they asked. {@link #release} deletes the node.
 *
 * <p><b>Guarantees.</b> While the session lives, at most one Mutex on the same path holds the lock.
 * {@link #fencingToken()} (the lock node's czxid) is larger for every later holder: pass it to the
 * resource you protect and let it refuse smaller tokens, which is the only protection against a
 * holder that no longer knows it lost the lock. A Mutex is not reentrant and serves one holder at a
 * time (use one instance per thread that locks); transient failures (ConnectionLoss) are retried
 * with the client's {@link io.warden.client.RetryPolicy}.
 *
 * <p><b>Failure behaviour.</b>
 * <ul>
 *   <li>SUSPENDED: the lock node stays while the session lives, but this process cannot know
 *       whether it still does: {@link #isHeld()} is false until RECONNECTED (then true again, as
 *       the session and its node survived). Stop touching the protected resource on SUSPENDED.
 *   <li>Session loss (LOST): the node is gone with the session and another waiter may hold the
 *       lock already; {@link #isHeld()} is false for good, {@link #release()} just forgets.
 *       A waiter in {@link #acquire} fails with SessionExpired.
 *   <li>GC pause longer than the session timeout: the server expires the session and hands the
 *       lock on while this process is frozen; when it resumes it may act before it has heard of
 *       the expiry. Only the fencing token protects the resource then.
 * </ul>
 */
public final class Mutex {
  private final WardenClient client;
  private final String path;
  private final SequentialLock lock;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile Created held;

  /** A mutex on {@code path} (created with its parents when first needed). */
  public Mutex(WardenClient client, String path) {
    this(client, path, "lock-", SequentialLock.Rule.EXCLUSIVE);
  }

  Mutex(WardenClient client, String path, String prefix, SequentialLock.Rule rule) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = RecipePaths.validate(path);
    this.lock = new SequentialLock(client, path, prefix, rule);
  }

  /** Waits as long as it takes for the lock. */
  public void acquire() throws WardenException, InterruptedException {
    start();
    finish(lock.acquire(-1));
  }

  /** Waits at most {@code timeout}; false if the lock was not acquired (nothing is left behind). */
  public boolean acquire(Duration timeout) throws WardenException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    start();
    return finish(lock.acquire(Math.max(0, timeout.toNanos())));
  }

  private void start() {
    if (held != null) {
      throw new IllegalStateException("this Mutex already holds " + path + " (not reentrant)");
    }
    if (!busy.compareAndSet(false, true)) {
      throw new IllegalStateException("another thread is acquiring " + path + " with this Mutex");
    }
  }

  private boolean finish(Created node) {
    held = node;
    busy.set(false);
    return node != null;
  }

  /** Releases the lock (deletes our node). Throws IllegalStateException if not acquired. */
  public void release() throws WardenException, InterruptedException {
    Created node = held;
    if (node == null) {
      throw new IllegalStateException("this Mutex does not hold " + path);
    }
    held = null;
    if (!client.state().isTerminal()) {
      RecipePaths.deleteIfExists(client, node.path());
    }
  }

  /** True while acquired and connected (false while SUSPENDED and after session loss). */
  public boolean isHeld() {
    return held != null && client.state() != null && client.state().isConnected();
  }

  /** The lock node's czxid: larger for every later holder of this lock. */
  public long fencingToken() {
    Created node = held;
    if (node == null) {
      throw new IllegalStateException("this Mutex does not hold " + path);
    }
    return node.stat().czxid();
  }

  /** Our lock node while acquired, else null (for diagnostics). */
  public String lockNodePath() {
    Created node = held;
    return node == null ? null : node.path();
  }

  public String path() {
    return path;
  }
}
