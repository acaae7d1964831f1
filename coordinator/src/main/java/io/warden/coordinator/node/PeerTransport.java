package io.warden.coordinator.node;

/**
 * The node's way to reach its peers (implemented over TCP by the network layer, and by the
 * simulation). Called only on the core thread; never blocks — a full per-peer queue drops the
 * message (Raft retries; node-level senders treat it as a link reset). Received messages and
 * link resets come back through {@link NodeLoop#onPeerMessage} and {@link NodeLoop#onPeerLinkReset}.
 */
public interface PeerTransport {
  void send(PeerMessage message);

  /** Peers currently connected (for "not serving: no quorum (k of n reachable)"). */
  int connectedPeers();

  /** A node alone needs no transport. */
  PeerTransport NONE = new PeerTransport() {
    @Override
    public void send(PeerMessage message) {
      throw new IllegalStateException("a single node has no peers to send " + message + " to");
    }

    @Override
    public int connectedPeers() {
      return 0;
    }
  };
}
