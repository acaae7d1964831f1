package io.warden.brokersim.broker;

/** A simulated broker's life cycle. */
public enum BrokerState {
  /** Connecting, creating top-level paths, registering. */
  STARTING,
  /** Registered with a live session. */
  RUNNING,
  /** Its session expired: resigning, re-creating the session, re-registering (layout §2.6). */
  REINITIALIZING,
  /** Startup failed (duplicate broker.id, unreachable ensemble); the broker does nothing more. */
  FAILED,
  /** Stopped cleanly: its session was closed, so its ephemerals went at once. */
  STOPPED,
  /** Crashed by fault injection: its session was dropped without closing and left to expire. */
  KILLED;

  public boolean isAlive() {
    return this == STARTING || this == RUNNING || this == REINITIALIZING;
  }
}
