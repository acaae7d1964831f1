package io.warden.coordinator.durability;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every write the server acknowledged (OK reply received by the client), recorded from the
 * clients' callback threads. What is recorded here must survive any crash; what is not
 * recorded may or may not have happened.
 */
final class AckLog {
  /** The newest acknowledged state of a counter znode: version from the reply's Stat, value we wrote. */
  record CounterAck(int version, long value) {
    CounterAck max(CounterAck o) {
      return o == null || version >= o.version ? this : o;
    }
  }

  private final Set<String> creates = ConcurrentHashMap.newKeySet();
  private final Set<String> multis = ConcurrentHashMap.newKeySet();
  private final Map<String, CounterAck> counters = new ConcurrentHashMap<>();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong maxZxid = new AtomicLong();

  void created(String name) {
    creates.add(name);
    acks.incrementAndGet();
  }

  void multi(String id, String counter, CounterAck ack, long zxid) {
    maxZxid.accumulateAndGet(zxid, Math::max);
    multis.add(id);
    counters.merge(counter, ack, CounterAck::max);
    acks.incrementAndGet();
  }

  void counter(String counter, CounterAck ack, long zxid) {
    maxZxid.accumulateAndGet(zxid, Math::max);
    counters.merge(counter, ack, CounterAck::max);
    acks.incrementAndGet();
  }

  /** The highest zxid a client saw in an acknowledgement (from the Stat of setData results). */
  long maxZxid() {
    return maxZxid.get();
  }

  long acks() {
    return acks.get();
  }

  Set<String> creates() {
    return Set.copyOf(creates);
  }

  Set<String> multis() {
    return Set.copyOf(multis);
  }

  Map<String, CounterAck> counters() {
    return Map.copyOf(counters);
  }
}
