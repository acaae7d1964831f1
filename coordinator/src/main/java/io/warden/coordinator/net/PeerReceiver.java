package io.warden.coordinator.net;

import io.warden.coordinator.node.PeerMessage;

/**
 * Where the peer transport hands what it receives. Both methods are called on the node's core
 * thread (through the executor the transport was given), never on an event loop: in production
 * they are {@code NodeLoop.onPeerMessage} and {@code NodeLoop.onPeerLinkReset}.
 */
public interface PeerReceiver {
  void onPeerMessage(PeerMessage message);

  /**
   * The link with {@code peer} reset: messages sent to it or from it before this call may have
   * been lost (none of them will be delivered after it); those after it travel in order again.
   */
  void onPeerLinkReset(int peer);
}
