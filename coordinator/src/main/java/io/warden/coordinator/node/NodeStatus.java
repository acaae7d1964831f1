package io.warden.coordinator.node;

/**
 * A consistent picture of the node, built on the core thread and published for readers on
 * other threads (metrics scrapes, four-letter words, /health). Immutable.
 */
public record NodeStatus(
    int serverId,
    String mode,
    boolean serving,
    int leaderId,
    long elections,
    long leaderChanges,
    java.util.Map<Integer, Long> replicationLag,
    long term,
    long commitIndex,
    long appliedIndex,
    long lastSnapshotIndex,
    int retainedLogEntries,
    long retainedLogBytes,
    int znodeCount,
    long approximateDataBytes,
    int ephemeralCount,
    long treeDigest,
    int sessionCount,
    int connectionCount,
    int watchCount,
    int watchedPaths,
    int watchingConnections,
    int outstandingRequests,
    long packetsReceived,
    long packetsSent,
    long minLatencyMs,
    long avgLatencyMs,
    long maxLatencyMs) {
}
