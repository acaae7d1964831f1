package io.warden.coordinator.sim;

import io.warden.coordinator.node.Clock;
import java.util.function.LongSupplier;

/**
 * One machine's clocks in virtual time. The monotonic clock runs at {@code rate} (drift: a node's
 * timers fire early or late relative to everyone else's) and never goes backwards, also across
 * rate changes and process restarts (it is the machine's clock, not the process's). The wall
 * clock is the monotonic one plus a fixed per-machine offset. A paused node's clock keeps
 * running: that is what makes a GC pause dangerous.
 */
final class SimClock implements Clock {
  private final LongSupplier globalNanos;
  private final long wallOffsetMs;
  private long anchorGlobal;
  private long anchorMono;
  private double rate = 1.0;

  SimClock(LongSupplier globalNanos, long monoStartNanos, long wallOffsetMs) {
    this.globalNanos = globalNanos;
    this.anchorGlobal = globalNanos.getAsLong();
    this.anchorMono = monoStartNanos;
    this.wallOffsetMs = wallOffsetMs;
  }

  @Override
  public long monoNanos() {
    return anchorMono + (long) ((globalNanos.getAsLong() - anchorGlobal) * rate);
  }

  @Override
  public long wallMs() {
    return wallOffsetMs + monoNanos() / 1_000_000;
  }

  long wallOffsetMs() {
    return wallOffsetMs;
  }

  void setRate(double newRate) {
    long now = globalNanos.getAsLong();
    anchorMono = monoNanos();
    anchorGlobal = now;
    rate = newRate;
  }

  double rate() {
    return rate;
  }

  /** Virtual (global) nanoseconds until this clock has advanced by {@code localNanos}. */
  long globalNanosFor(long localNanos) {
    return Math.max(1, (long) Math.ceil(localNanos / rate));
  }
}
