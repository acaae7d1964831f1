package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A double barrier (ZooKeeper's recipe): {@code memberCount} parties {@link #enter} together —
 * nobody starts before all have arrived — and {@link #leave} together — nobody goes on before all
 * have finished.
 *
 * <p><b>How.</b> Each party creates the ephemeral node {@code <path>/<memberId>}. Enter: a party
 * watches {@code <path>/ready} for its creation, joins, and counts the members; the one that sees
 * {@code memberCount} creates {@code ready}, and that one creation event releases every waiter at
 * once. Leave: a party deletes its node and waits (child watch) until no member node is left; the
 * last one out removes {@code ready}.
 *
 * <p><b>Guarantees.</b> No party returns from enter before {@code memberCount} parties have
 * joined; no party returns from leave while another member node exists. A path is for one round:
 * use a fresh path for the next round (a late {@code ready} removal could otherwise race with the
 * next round's entries). All parties must pass the same {@code memberCount}.
 *
 * <p><b>Failure behaviour.</b> Member nodes are ephemeral: a party whose session ends is counted
 * out (it no longer blocks leave; if it dies before the barrier fills, the others wait for a
 * replacement or time out). SUSPENDED: waits continue and look again after the reconnect; session
 * loss: enter/leave fail with SessionExpired; a GC-paused party delays everyone, or if paused past
 * its session it is counted out.
 */
public final class DoubleBarrier {
  private static final String READY = "ready";
  private final WardenClient client;
  private final String path;
  private final String memberPath;
  private final String readyPath;
  private final int memberCount;

  public DoubleBarrier(WardenClient client, String path, String memberId, int memberCount) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = RecipePaths.validate(path);
    RecipePaths.validateName(memberId, "memberId");
    if (memberId.equals(READY)) {
      throw new IllegalArgumentException("memberId \"ready\" is reserved");
    }
    if (memberCount < 1) {
      throw new IllegalArgumentException("memberCount must be >= 1, was " + memberCount);
    }
    this.memberCount = memberCount;
    this.memberPath = RecipePaths.child(path, memberId);
    this.readyPath = RecipePaths.child(path, READY);
  }

  /** Joins and waits until all parties have; false (and out again) if {@code timeout} passes. */
  public boolean enter(Duration timeout) throws WardenException, InterruptedException {
    long deadline = System.nanoTime() + Objects.requireNonNull(timeout, "timeout").toNanos();
    BlockingWardenClient sync = client.blocking();
    CountDownLatch firstWatch = new CountDownLatch(1);
    boolean alreadyReady = client.retryPolicy().call(() ->
        sync.exists(readyPath, event -> firstWatch.countDown())) != null;
    CountDownLatch ready = firstWatch;
    RecipePaths.ensure(sync, client.retryPolicy(), path);
    createIdempotently(memberPath, CreateMode.EPHEMERAL);
    if (alreadyReady || members().size() >= memberCount) {
      createIdempotently(readyPath, CreateMode.PERSISTENT);
      return true;
    }
    while (true) {
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0 || !ready.await(leftNanos, TimeUnit.NANOSECONDS)) {
        RecipePaths.deleteIfExists(client, memberPath);
        return false;
      }
      if (sync.exists(readyPath) != null) {
        return true;
      }
      CountDownLatch next = new CountDownLatch(1); // a connection event woke us: watch again
      if (sync.exists(readyPath, event -> next.countDown()) != null) {
        return true;
      }
      ready = next;
    }
  }

  /** Leaves and waits until every party has; false if {@code timeout} passes first. */
  public boolean leave(Duration timeout) throws WardenException, InterruptedException {
    long deadline = System.nanoTime() + Objects.requireNonNull(timeout, "timeout").toNanos();
    RecipePaths.deleteIfExists(client, memberPath);
    BlockingWardenClient sync = client.blocking();
    while (true) {
      CountDownLatch changed = new CountDownLatch(1);
      List<String> left = client.retryPolicy().call(() ->
          sync.getChildren(path, event -> changed.countDown())).stream()
          .filter(n -> !n.equals(READY)).toList();
      if (left.isEmpty()) {
        RecipePaths.deleteIfExists(client, readyPath);
        return true;
      }
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0 || !changed.await(leftNanos, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
  }

  private List<String> members() throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    return client.retryPolicy().call(() -> sync.getChildren(path)).stream()
        .filter(n -> !n.equals(READY)).toList();
  }

  private void createIdempotently(String node, CreateMode mode)
      throws WardenException, InterruptedException {
    client.retryPolicy().call(() -> {
      try {
        client.blocking().create(node, null, Acl.OPEN_ACL_UNSAFE, mode);
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NODE_EXISTS) {
          throw e;
        }
      }
      return (Stat) null;
    });
  }
}
