package io.warden.coordinator.node;

import java.util.List;

/**
 * The node's way to reach client connections (implemented by the network layer). Called only
 * on the core thread; implementations hand the messages to the connection's event loop and
 * return at once — they never block and never call back into the node synchronously.
 */
public interface ClientTransport {
  /** Sends messages, in order. Unknown or closed connections are ignored. */
  void send(long connectionId, List<Outbound> messages);

  /** Sends the final messages (possibly none), then closes the connection. */
  void close(long connectionId, List<Outbound> finalMessages, String reason);
}
