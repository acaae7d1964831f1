package io.warden.client;

/** Told of every connection-state change, on the client's event thread, in order. */
@FunctionalInterface
public interface ConnectionStateListener {
  void stateChanged(ConnectionState newState);
}
