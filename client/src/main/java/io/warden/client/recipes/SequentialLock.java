package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.Created;
import io.warden.client.RetryPolicy;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The queue of ephemeral-sequential nodes behind {@link Mutex}, the read-write lock and
 * {@link LeaderLatch}-style waiting: create a protected node, and until the {@link Rule} says it
 * is ours, watch the one node the rule names (never the whole directory, so a release wakes one
 * waiter: no herd effect).
 */
final class SequentialLock {
  /** Decides, from the sorted contenders and our position, whom we wait for. */
  @FunctionalInterface
  interface Rule {
    /** The name to wait for, or null when we hold the lock. */
    String blocker(List<String> sorted, int ourIndex);

    /** Exclusive: only the first holds it; each waiter watches its predecessor. */
    Rule EXCLUSIVE = (sorted, i) -> i == 0 ? null : sorted.get(i - 1);
  }

  private final WardenClient client;
  private final String dir;
  private final String prefix;
  private final Rule rule;

  SequentialLock(WardenClient client, String dir, String prefix, Rule rule) {
    this.client = client;
    this.dir = dir;
    this.prefix = prefix;
    this.rule = rule;
  }

  /**
   * Queues and waits, at most {@code timeoutNanos} (negative: forever). Returns our node when it
   * holds the lock; null on timeout, after removing our node. Any failure removes the node too.
   */
  Created acquire(long timeoutNanos) throws WardenException, InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    Created ours = ProtectedCreate.create(client, dir, prefix, null, CreateMode.EPHEMERAL_SEQUENTIAL);
    boolean held = false;
    try {
      held = waitForTurn(ours, timeoutNanos < 0 ? Long.MAX_VALUE : deadline, timeoutNanos < 0);
      return held ? ours : null;
    } finally {
      if (!held) {
        RecipePaths.deleteIfExists(client, ours.path());
      }
    }
  }

  private boolean waitForTurn(Created ours, long deadline, boolean forever)
      throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    RetryPolicy retry = client.retryPolicy();
    String ourName = ours.path().substring(dir.length() + 1);
    while (true) {
      List<String> sorted = contenders(retry.call(() -> sync.getChildren(dir)));
      int index = sorted.indexOf(ourName);
      if (index < 0) {
        throw new WardenException(ErrorCode.NO_NODE, ours.path(),
            "our lock node vanished (deleted by someone else, or the session ended)");
      }
      String blocker = rule.blocker(sorted, index);
      if (blocker == null) {
        return true;
      }
      CountDownLatch changed = new CountDownLatch(1);
      String blockerPath = RecipePaths.child(dir, blocker);
      Stat stat = retry.call(() -> sync.exists(blockerPath, event -> changed.countDown()));
      if (stat == null) {
        continue; // gone between the listing and the watch: look again
      }
      // Any event wakes us: the blocker's deletion, or a connection change worth a fresh look.
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

  /** The protected nodes of this lock directory (other names are ignored). */
  private static List<String> contenders(List<String> children) {
    return RecipePaths.bySequence(children.stream().filter(ProtectedCreate::isProtected).toList());
  }
}
