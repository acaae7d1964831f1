package io.warden.coordinator.node;

/**
 * Measurements the node reports as they happen (implemented with Micrometer by the admin
 * layer). Implementations must be thread-safe and cheap: the core and storage threads call
 * them on hot paths.
 */
public interface NodeMetrics {
  void requestCompleted(int opcode, int err, long latencyNanos);

  void fsynced(long latencyNanos, int entries, long bytes);

  void snapshotSaved(long durationNanos, long sizeBytes);

  void sessionExpired();

  /** A write proposed here was applied here, {@code latencyNanos} after it was proposed. */
  void committed(long latencyNanos);

  NodeMetrics NONE = new NodeMetrics() {
    @Override
    public void committed(long latencyNanos) {
    }

    @Override
    public void requestCompleted(int opcode, int err, long latencyNanos) {
    }

    @Override
    public void fsynced(long latencyNanos, int entries, long bytes) {
    }

    @Override
    public void snapshotSaved(long durationNanos, long sizeBytes) {
    }

    @Override
    public void sessionExpired() {
    }
  };
}
