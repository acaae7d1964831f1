package io.warden.coordinator.node;

/**
 * Time, injected (STYLE.md habit 5). Wall time stamps ctime/mtime into commands; monotonic
 * time drives ticks, session expiry and latencies. The simulation supplies a virtual clock.
 */
public interface Clock {
  long wallMs();

  long monoNanos();

  Clock SYSTEM = new Clock() {
    @Override
    public long wallMs() {
      return System.currentTimeMillis();
    }

    @Override
    public long monoNanos() {
      return System.nanoTime();
    }
  };
}
