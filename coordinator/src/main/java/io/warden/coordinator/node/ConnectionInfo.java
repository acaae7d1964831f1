package io.warden.coordinator.node;

/** One client connection as reported by {@code cons} and {@code stat}. */
public record ConnectionInfo(
    String remote,
    long queued,
    long received,
    long sent,
    long sessionId,
    String lastOp,
    long establishedWallMs,
    int timeoutMs,
    int lastCxid,
    long lastZxid,
    long lastResponseWallMs,
    long lastLatencyMs,
    long minLatencyMs,
    long avgLatencyMs,
    long maxLatencyMs) {
}
