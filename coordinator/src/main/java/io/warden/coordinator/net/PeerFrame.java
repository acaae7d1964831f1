package io.warden.coordinator.net;

import io.warden.coordinator.node.PeerMessage;

/**
 * What travels on a peer connection: the handshake, keep-alives, and the node's messages. Each
 * is one frame ({@link PeerCodec}). A connection is one-way for messages: the dialling node
 * sends {@link Hello} and then {@link Message}s; the accepting node answers only
 * {@link Welcome} or {@link Refused}, and {@link Ping}s while the connection is open.
 */
public sealed interface PeerFrame {
  /**
   * The dialler's first frame: who it is, whom it meant to reach, and which ensemble it was
   * configured with ({@link EnsembleFingerprint}).
   */
  record Hello(int version, int senderId, int receiverId, long ensembleFingerprint) implements PeerFrame {
  }

  /** The acceptor's answer to a good {@link Hello}: it is {@code serverId} of the same ensemble. */
  record Welcome(int version, int serverId, long ensembleFingerprint) implements PeerFrame {
  }

  /** The acceptor refuses the connection and says why; it closes the connection next. */
  record Refused(String reason) implements PeerFrame {
  }

  /** Keep-alive: sent when a direction was idle, so silence means a dead or stalled peer. */
  record Ping() implements PeerFrame {
  }

  /** A node message, from the dialler to the acceptor. */
  record Message(PeerMessage message) implements PeerFrame {
  }
}
