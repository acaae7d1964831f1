package io.warden.coordinator.node;

/** Where a client connection stands, as the core thread sees it. */
enum ConnectionState {
  /** Connected; the first frame (ConnectRequest) has not been handled yet. */
  AWAITING_HANDSHAKE,
  /** A new session is being committed; requests that arrive meanwhile wait in order. */
  CREATING_SESSION,
  /** Bound to a live session; requests are served. */
  ESTABLISHED,
  /** closeSession is in the log; nothing more is served. */
  CLOSING,
  /** Gone; kept only until the last reference is dropped. */
  CLOSED
}
