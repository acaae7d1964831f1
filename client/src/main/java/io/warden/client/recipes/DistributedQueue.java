package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeData;
import io.warden.client.Op;
import io.warden.client.RetryPolicy;
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
 * A durable distributed FIFO queue (ZooKeeper's queue recipe, with protected items and a take
 * receipt).
 *
 * <p><b>How.</b> {@link #offer} creates a protected persistent-sequential node
 * {@code <path>/_c_<guid>-item-<seq>}; the GUID lets a producer whose reply was lost find its item
 * instead of adding it twice. {@link #take} reads the item with the lowest sequence number and
 * removes it with one atomic multi: delete the item (at the version it read) and create an
 * ephemeral receipt {@code <path>-taken/<item>} owned by the consumer's session. When the multi's
 * reply is lost, the consumer looks for its receipt: present means the take happened (it is ours),
 * absent with the item still there means it did not (try again), both absent means another
 * consumer won. The receipt is deleted right after.
 *
 * <p><b>Guarantees.</b> FIFO by sequence number. Items are durable (persistent nodes) until taken.
 * Every item is removed by exactly one successful take (the delete is atomic), even when consumers
 * race and replies are lost, and that take returns it; a producer's offer adds exactly one item
 * even when its reply is lost. What "exactly once" does not cover: a consumer that crashes (its
 * session ends) after the server applied its take but before it read the reply loses that item
 * with its receipt, and a consumer that crashes after take returned loses the item it was
 * processing — delivery is to the consumer, processing is the application's business. If you
 * need at-least-once processing, make the item's effect idempotent and acknowledge by deleting a
 * record of your own after processing.
 *
 * <p><b>Failure behaviour.</b> SUSPENDED: offer and take wait and retry with the client's
 * {@link RetryPolicy} (and fail with ConnectionLoss if it gives up: for take, nothing was taken,
 * or the item is still recoverable by the same session); session loss: calls fail with
 * SessionExpired, items stay queued except the one whose take was in flight (see above); GC
 * pause: a take completes or not atomically on the server, a paused consumer cannot take an item
 * twice.
 */
public final class DistributedQueue {
  private static final String PREFIX = "item-";
  private final WardenClient client;
  private final String path;
  private final String takenPath;

  public DistributedQueue(WardenClient client, String path) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = RecipePaths.validate(path);
    this.takenPath = path + "-taken";
  }

  /** One taken item: its node name (with the sequence number) and its data. */
  public record Item(String name, byte[] data) {
    public long sequence() {
      return RecipePaths.sequence(name);
    }
  }

  /** Adds an item at the tail; returns its node path. Adds exactly one, even on a lost reply. */
  public String offer(byte[] data) throws WardenException, InterruptedException {
    return ProtectedCreate.create(client, path, PREFIX, data, CreateMode.PERSISTENT_SEQUENTIAL)
        .path();
  }

  /** The head item, or null if the queue is empty. */
  public Item poll() throws WardenException, InterruptedException {
    ensureDirs();
    for (String name : items()) {
      Item item = tryTake(name);
      if (item != null) {
        return item;
      }
    }
    return null;
  }

  /** The head item, waiting at most {@code timeout} for one; null if none came. */
  public Item take(Duration timeout) throws WardenException, InterruptedException {
    long deadline = System.nanoTime() + Objects.requireNonNull(timeout, "timeout").toNanos();
    ensureDirs();
    while (true) {
      CountDownLatch changed = new CountDownLatch(1);
      BlockingWardenClient sync = client.blocking();
      List<String> names = RecipePaths.bySequence(client.retryPolicy().call(() ->
          sync.getChildren(path, event -> changed.countDown())).stream()
          .filter(ProtectedCreate::isProtected).toList());
      for (String name : names) {
        Item item = tryTake(name);
        if (item != null) {
          return item;
        }
      }
      long leftNanos = deadline - System.nanoTime();
      if (names.isEmpty() && (leftNanos <= 0
          || !changed.await(leftNanos, TimeUnit.NANOSECONDS))) {
        return null;
      }
    }
  }

  /** How many items are queued now. */
  public int size() throws WardenException, InterruptedException {
    ensureDirs();
    return items().size();
  }

  private List<String> items() throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    return RecipePaths.bySequence(client.retryPolicy().call(() -> sync.getChildren(path)).stream()
        .filter(ProtectedCreate::isProtected).toList());
  }

  private void ensureDirs() throws WardenException, InterruptedException {
    RecipePaths.ensure(client.blocking(), client.retryPolicy(), path);
    RecipePaths.ensure(client.blocking(), client.retryPolicy(), takenPath);
  }

  /** Takes {@code name} if it is still there; null if another consumer took it first. */
  private Item tryTake(String name) throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    RetryPolicy retry = client.retryPolicy();
    String itemPath = RecipePaths.child(path, name);
    String receipt = RecipePaths.child(takenPath, name);
    NodeData read;
    try {
      read = retry.call(() -> sync.getData(itemPath));
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        return null;
      }
      throw e;
    }
    Item item = new Item(name, read.data());
    List<Op.Write> take = List.of(Op.delete(itemPath, read.stat().version()),
        Op.create(receipt, null, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
    boolean[] attempted = {false};
    boolean taken = retry.call(() -> {
      if (attempted[0]) {
        Boolean outcome = receiptOutcome(sync, itemPath, receipt);
        if (outcome != null) {
          return outcome;
        }
      }
      attempted[0] = true;
      try {
        sync.multi(take);
        return true;
      } catch (WardenException e) {
        if (e.code() == ErrorCode.NO_NODE || e.code() == ErrorCode.BAD_VERSION
            || e.code() == ErrorCode.NODE_EXISTS) {
          return false; // another consumer took it (and holds the receipt name)
        }
        throw e;
      }
    });
    if (taken) {
      RecipePaths.deleteIfExists(client, receipt);
    }
    return taken ? item : null;
  }

  /**
   * After a lost reply: true if our receipt exists (we took it), false if the item and our receipt
   * are both gone (someone else did), null if the item is still there (nothing happened yet).
   */
  private Boolean receiptOutcome(BlockingWardenClient sync, String itemPath, String receipt)
      throws WardenException, InterruptedException {
    // As in ProtectedCreate.find: our server may not have applied a take that was committed, and
    // "item still there" would send the multi again, which then fails and loses the item.
    sync.sync(itemPath);
    Stat mine = sync.exists(receipt);
    if (mine != null) {
      return mine.ephemeralOwner() == client.sessionId() ? Boolean.TRUE : Boolean.FALSE;
    }
    return sync.exists(itemPath) == null ? Boolean.FALSE : null;
  }
}
