package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeData;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A shared 64-bit counter in one persistent node (its data is the decimal value, readable with any
 * ZooKeeper tool), changed only by versioned compare-and-set (Curator's SharedCount and
 * DistributedAtomicLong without the lock fallback).
 *
 * <p><b>Guarantees.</b> {@link #trySet} succeeds only if nobody changed the node since the
 * {@link Versioned} value was read (setData at that version), so concurrent {@link #add}s never
 * lose an update: each add reads, writes at the read version, and reads again on BadVersion.
 *
 * <p><b>Failure behaviour.</b> Reads are retried with the client's retry policy. A write whose
 * reply is lost (ConnectionLoss) is <em>not</em> retried: it may have been applied, and retrying an
 * add could count twice; the caller gets the ConnectionLoss and decides (read again and compare).
 * Session loss: calls fail with SessionExpired (the value is persistent and unaffected). GC pause:
 * harmless — a paused writer's compare-and-set fails on the version if anyone wrote meanwhile.
 */
public final class SharedCounter {
  private final WardenClient client;
  private final String path;
  private final long initial;

  /** A counter at {@code path}, created with {@code initial} when first used. */
  public SharedCounter(WardenClient client, String path, long initial) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = RecipePaths.validate(path);
    this.initial = initial;
  }

  /** A value and the node version it was read at (the compare in compare-and-set). */
  public record Versioned(long value, int version) {
  }

  public long get() throws WardenException, InterruptedException {
    return getVersioned().value();
  }

  public Versioned getVersioned() throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    while (true) {
      try {
        NodeData data = client.retryPolicy().call(() -> sync.getData(path));
        return new Versioned(decode(data.data()), data.stat().version());
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NO_NODE) {
          throw e;
        }
        createInitial();
      }
    }
  }

  /** Sets {@code value} if the node is still at {@code expected}'s version; false if it moved. */
  public boolean trySet(Versioned expected, long value) throws WardenException, InterruptedException {
    try {
      client.blocking().setData(path, encode(value), expected.version());
      return true;
    } catch (WardenException e) {
      if (e.code() == ErrorCode.BAD_VERSION) {
        return false;
      }
      throw e;
    }
  }

  /** Adds {@code delta} (compare-and-set in a loop) and returns the new value. */
  public long add(long delta) throws WardenException, InterruptedException {
    while (true) {
      Versioned now = getVersioned();
      long next = Math.addExact(now.value(), delta);
      if (trySet(now, next)) {
        return next;
      }
    }
  }

  private void createInitial() throws WardenException, InterruptedException {
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      RecipePaths.ensure(client.blocking(), client.retryPolicy(), path.substring(0, slash));
    }
    client.retryPolicy().call(() -> {
      try {
        client.blocking().create(path, encode(initial), Acl.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NODE_EXISTS) {
          throw e;
        }
      }
      return null;
    });
  }

  private static byte[] encode(long value) {
    return Long.toString(value).getBytes(StandardCharsets.UTF_8);
  }

  private long decode(byte[] data) {
    String text = data == null ? "" : new String(data, StandardCharsets.UTF_8).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("counter node " + path + " holds \"" + text
          + "\", not a decimal number", e);
    }
  }
}
