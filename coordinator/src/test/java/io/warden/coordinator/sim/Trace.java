package io.warden.coordinator.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's trace: a running 64-bit hash over every event and the state it left behind (two runs
 * of the same seed must produce the same hash), and the last events in a ring buffer, formatted
 * only when something fails.
 */
final class Trace {
  private final Object[] ring;
  private long count;
  private long hash = 0x9E3779B97F4A7C15L;
  private final boolean echo;

  Trace(int tailSize, boolean echo) {
    this.ring = new Object[tailSize];
    this.echo = echo;
  }

  void record(EventQueue.Event e, long... outcome) {
    mix(e.timeNanos);
    mix(e.kind.ordinal());
    mix(e.node);
    for (long v : outcome) {
      mix(v);
    }
    ring[(int) (count % ring.length)] = e;
    count++;
    if (echo) {
      System.out.println("#" + count + " " + e);
    }
  }

  /** A note in the trace (faults, phase changes): hashed and kept in the tail. */
  void note(long timeNanos, String text) {
    mix(timeNanos);
    mix(text.hashCode());
    ring[(int) (count % ring.length)] = String.format("%10.3fms NOTE %s", timeNanos / 1e6, text);
    count++;
    if (echo) {
      System.out.println("#" + count + " " + ring[(int) ((count - 1) % ring.length)]);
    }
  }

  void mix(long v) {
    long z = hash ^ (v + 0x9E3779B97F4A7C15L + (hash << 6) + (hash >>> 2));
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    hash = z ^ (z >>> 31);
  }

  long hash() {
    return hash;
  }

  long count() {
    return count;
  }

  /** The last entries, oldest first, numbered like the events. */
  List<String> tail() {
    List<String> out = new ArrayList<>();
    long first = Math.max(0, count - ring.length);
    for (long i = first; i < count; i++) {
      out.add("#" + (i + 1) + " " + ring[(int) (i % ring.length)]);
    }
    return out;
  }
}
