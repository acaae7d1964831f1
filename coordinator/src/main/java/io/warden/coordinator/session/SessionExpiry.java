package io.warden.coordinator.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides when sessions expire: a session is dead when nothing was heard from it for its
 * timeout. Only the leader consults it (DESIGN.md D7); other nodes relay touches.
 *
 * <p>Deadlines are rounded up to the next multiple of {@code bucketMs} (ZooKeeper's
 * ExpiryQueue does the same with tickTime): a touch then moves a session between buckets only
 * when its bucket changes, so the per-request cost is a hash lookup, and an expiry check
 * visits only the buckets that are due. Time is passed in; nothing here reads a clock.
 */
public final class SessionExpiry {
  private final long bucketMs;
  private final Map<Long, Long> bucketOf = new HashMap<>();
  private final Map<Long, Integer> timeoutOf = new HashMap<>();
  private final TreeMap<Long, Set<Long>> buckets = new TreeMap<>();
  private final Set<Long> expiring = new LinkedHashSet<>();

  public SessionExpiry(long bucketMs) {
    if (bucketMs <= 0) {
      throw new IllegalArgumentException("bucketMs must be positive: " + bucketMs);
    }
    this.bucketMs = bucketMs;
  }

  /** Heard from the session at {@code nowMs}: its deadline moves to now + timeout. */
  public void touch(long sessionId, int timeoutMs, long nowMs) {
    timeoutOf.put(sessionId, timeoutMs);
    if (expiring.contains(sessionId)) {
      return; // its close is already proposed; a late touch cannot revive it
    }
    long bucket = roundUp(nowMs + timeoutMs);
    Long old = bucketOf.put(sessionId, bucket);
    if (old != null && old == bucket) {
      return;
    }
    if (old != null) {
      removeFromBucket(sessionId, old);
    }
    buckets.computeIfAbsent(bucket, b -> new LinkedHashSet<>()).add(sessionId);
  }

  /** Touch with the timeout recorded at the last touch (e.g. a ping); no-op if unknown. */
  public boolean touch(long sessionId, long nowMs) {
    Integer timeoutMs = timeoutOf.get(sessionId);
    if (timeoutMs == null) {
      return false;
    }
    touch(sessionId, timeoutMs, nowMs);
    return true;
  }

  /**
   * Sessions whose deadline has passed at {@code nowMs}, each returned once: they are marked
   * as expiring until {@link #remove} (when their close entry is applied).
   */
  public List<Long> takeExpired(long nowMs) {
    List<Long> out = new ArrayList<>();
    while (!buckets.isEmpty() && buckets.firstKey() <= nowMs) {
      Set<Long> due = buckets.pollFirstEntry().getValue();
      for (long id : due) {
        bucketOf.remove(id);
        expiring.add(id);
        out.add(id);
      }
    }
    return out;
  }

  /** The session is gone (closed or expired through the log). */
  public void remove(long sessionId) {
    Long bucket = bucketOf.remove(sessionId);
    if (bucket != null) {
      removeFromBucket(sessionId, bucket);
    }
    timeoutOf.remove(sessionId);
    expiring.remove(sessionId);
  }

  /**
   * Gives every known session a full timeout from {@code nowMs}. A new leader does this
   * before it expires anything (DESIGN.md D7): it cannot know when sessions last spoke to the
   * old leader, and a false expiry kills a healthy broker.
   */
  public void renewAll(long nowMs) {
    List<Long> ids = new ArrayList<>(timeoutOf.keySet());
    expiring.clear();
    for (long id : ids) {
      touch(id, timeoutOf.get(id), nowMs);
    }
  }

  /** Its expiry was decided and its close proposed; it can no longer be resumed. */
  public boolean isExpiring(long sessionId) {
    return expiring.contains(sessionId);
  }

  public boolean isTracked(long sessionId) {
    return timeoutOf.containsKey(sessionId);
  }

  public int size() {
    return timeoutOf.size();
  }

  private long roundUp(long ms) {
    return Math.floorDiv(ms + bucketMs - 1, bucketMs) * bucketMs;
  }

  private void removeFromBucket(long sessionId, long bucket) {
    Set<Long> set = buckets.get(bucket);
    if (set != null) {
      set.remove(sessionId);
      if (set.isEmpty()) {
        buckets.remove(bucket);
      }
    }
  }
}
