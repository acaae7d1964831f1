package io.warden.coordinator.net;

import java.util.List;

/**
 * How a node's peer transport behaves; built from the configuration by the server assembly.
 *
 * @param selfId this node's id
 * @param members every member of the ensemble, this node included (the handshake fingerprint
 *     covers them all)
 * @param listenHost where the peer port binds (the node's own server line, or 0.0.0.0)
 * @param listenPort the peer port; 0 binds a free one ({@link TcpPeerTransport#start} tells which)
 * @param frameBytesMax the largest frame sent or accepted ({@link PeerCodec#frameBytesMax})
 * @param queueMessagesMax messages waiting to be written to one peer; one more resets the link
 * @param queueBytesMax their (estimated) bytes; beyond it the link resets as well
 * @param connectTimeoutMs a TCP connect that takes longer fails
 * @param handshakeTimeoutMs a peer that does not answer the handshake by then is given up on
 *     (a paused process still accepts TCP connections)
 * @param backoffMinMs first delay before dialling again after a failure; it doubles per failure
 * @param backoffMaxMs the cap of that delay (each delay is drawn in [d/2, d]: jitter)
 * @param pingIntervalMs a direction idle this long carries a ping
 * @param idleTimeoutMs a connection that received nothing for this long is reset
 */
public record PeerTransportOptions(
    int selfId,
    List<PeerEndpoint> members,
    String listenHost,
    int listenPort,
    int frameBytesMax,
    int queueMessagesMax,
    long queueBytesMax,
    int connectTimeoutMs,
    int handshakeTimeoutMs,
    int backoffMinMs,
    int backoffMaxMs,
    int pingIntervalMs,
    int idleTimeoutMs) {

  public PeerTransportOptions {
    members = List.copyOf(members);
    if (members.stream().noneMatch(m -> m.id() == selfId)) {
      throw new IllegalArgumentException("server " + selfId + " is not among the members " + members);
    }
    if (members.stream().map(PeerEndpoint::id).distinct().count() != members.size()) {
      throw new IllegalArgumentException("duplicate member ids in " + members);
    }
    if (frameBytesMax < PeerCodec.CONTROL_FRAME_BYTES_MAX || queueMessagesMax < 1 || queueBytesMax < frameBytesMax) {
      throw new IllegalArgumentException("frame and queue limits: " + frameBytesMax + " / " + queueMessagesMax + " / "
          + queueBytesMax);
    }
    if (connectTimeoutMs < 1 || handshakeTimeoutMs < 1 || backoffMinMs < 1 || backoffMaxMs < backoffMinMs
        || pingIntervalMs < 1 || idleTimeoutMs <= 2 * pingIntervalMs) {
      throw new IllegalArgumentException("timeouts: connect " + connectTimeoutMs + ", handshake " + handshakeTimeoutMs
          + ", backoff " + backoffMinMs + ".." + backoffMaxMs + ", ping " + pingIntervalMs + ", idle " + idleTimeoutMs
          + " (idle must exceed two pings)");
    }
  }

  /**
   * Defaults for an ensemble whose leader heartbeats every {@code heartbeatIntervalMs}: a ping as
   * often, a link silent for 5 election timeouts (at least 2 s) is dead, queues of 10,000
   * messages or 64 MiB, reconnects from 20 ms up to four heartbeats (at least 100 ms) apart.
   *
   * <p>The cap is low on purpose: a peer that is down is usually restarting, and refused dials
   * cost nothing, while every dial skipped after it listens again delays the election or the
   * catch-up that waits for this link (with a 1 s cap, a cold start of a whole ensemble lost
   * up to a second here).
   */
  public static PeerTransportOptions defaults(int selfId, List<PeerEndpoint> members, String listenHost,
      int listenPort, int frameBytesMax, int heartbeatIntervalMs, int electionTimeoutMs) {
    int ping = Math.max(10, heartbeatIntervalMs);
    int idle = Math.max(Math.max(2000, 5 * electionTimeoutMs), 3 * ping);
    return new PeerTransportOptions(selfId, members, listenHost, listenPort, frameBytesMax, 10_000,
        Math.max(64L << 20, 4L * frameBytesMax), 2000, Math.max(2000, 2 * electionTimeoutMs), 20,
        Math.max(100, 4 * heartbeatIntervalMs), ping, idle);
  }

  public PeerTransportOptions withQueueLimits(int messagesMax, long bytesMax) {
    return new PeerTransportOptions(selfId, members, listenHost, listenPort, frameBytesMax, messagesMax, bytesMax,
        connectTimeoutMs, handshakeTimeoutMs, backoffMinMs, backoffMaxMs, pingIntervalMs, idleTimeoutMs);
  }

  public PeerTransportOptions withBackoff(int minMs, int maxMs) {
    return new PeerTransportOptions(selfId, members, listenHost, listenPort, frameBytesMax, queueMessagesMax,
        queueBytesMax, connectTimeoutMs, handshakeTimeoutMs, minMs, maxMs, pingIntervalMs, idleTimeoutMs);
  }

  public PeerTransportOptions withKeepAlive(int pingMs, int idleMs, int handshakeMs) {
    return new PeerTransportOptions(selfId, members, listenHost, listenPort, frameBytesMax, queueMessagesMax,
        queueBytesMax, connectTimeoutMs, handshakeMs, backoffMinMs, backoffMaxMs, pingMs, idleMs);
  }

  /** Everyone but this node. */
  public List<PeerEndpoint> peers() {
    return members.stream().filter(m -> m.id() != selfId).toList();
  }
}
