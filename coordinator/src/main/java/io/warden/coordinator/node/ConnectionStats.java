package io.warden.coordinator.node;

/** Per-connection counters for the {@code cons} command. Core thread only. */
final class ConnectionStats {
  long received;
  long sent;
  String lastOp = "NA";
  int lastCxid = -1;
  long lastZxid = -1;
  long lastResponseWallMs;
  long lastLatencyMs;
  long minLatencyMs = Long.MAX_VALUE;
  long maxLatencyMs;
  long totalLatencyMs;
  long completed;

  void completed(String op, int xid, long zxid, long latencyMs, long nowWallMs) {
    sent++;
    lastOp = op;
    lastCxid = xid;
    lastZxid = zxid;
    lastResponseWallMs = nowWallMs;
    lastLatencyMs = latencyMs;
    minLatencyMs = Math.min(minLatencyMs, latencyMs);
    maxLatencyMs = Math.max(maxLatencyMs, latencyMs);
    totalLatencyMs += latencyMs;
    completed++;
  }
}
