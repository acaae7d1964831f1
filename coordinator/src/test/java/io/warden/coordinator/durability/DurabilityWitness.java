package io.warden.coordinator.durability;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks "durable before visible" from the outside: the log store reports each index once
 * {@code append} has returned (fsynced), and clients report the zxid of every frame they
 * receive. The durable index only grows, so if a frame's zxid is above it when the frame
 * <em>arrives</em>, it was above it when the frame was <em>sent</em>: every violation reported
 * is real (no false positives). Frames without a transaction zxid (-1 for Unimplemented or
 * re-armed watches, 0 for auth) carry nothing to check.
 */
final class DurabilityWitness {
  enum Kind { REPLY, EVENT }

  record Violation(Kind kind, long zxid, long durableIndex) {
  }

  private final AtomicLong durableIndex = new AtomicLong();
  private final ConcurrentLinkedQueue<Violation> violations = new ConcurrentLinkedQueue<>();
  private final AtomicLong checkedReplies = new AtomicLong();
  private final AtomicLong checkedEvents = new AtomicLong();
  private final AtomicLong maxSeenZxid = new AtomicLong();

  /** The store made every entry up to {@code index} durable. */
  void durable(long index) {
    durableIndex.accumulateAndGet(index, Math::max);
  }

  long durableIndex() {
    return durableIndex.get();
  }

  /** A client received a frame carrying {@code zxid}. */
  void observed(Kind kind, long zxid) {
    long durable = durableIndex.get();
    if (zxid <= 0) {
      return;
    }
    (kind == Kind.REPLY ? checkedReplies : checkedEvents).incrementAndGet();
    maxSeenZxid.accumulateAndGet(zxid, Math::max);
    if (zxid > durable) {
      violations.add(new Violation(kind, zxid, durable));
    }
  }

  List<Violation> violations() {
    return List.copyOf(violations);
  }

  long checkedReplies() {
    return checkedReplies.get();
  }

  long checkedEvents() {
    return checkedEvents.get();
  }

  long maxSeenZxid() {
    return maxSeenZxid.get();
  }
}
