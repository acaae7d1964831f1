package io.warden.coordinator.node;

import io.warden.protocol.ConnectResponse;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.WatcherEvent;

/**
 * A message from the core thread to one client connection. The event loop encodes it; the
 * core never touches bytes or sockets. Messages for a connection are delivered in the order
 * they were produced — that is what puts a watch event before any later reply (reference §4.3).
 */
public sealed interface Outbound {

  /** The answer to the ConnectRequest. */
  record Handshake(ConnectResponse response) implements Outbound {
  }

  /** ReplyHeader(xid, zxid, err) followed by {@code body} when err is 0 and body is not null. */
  record Reply(int xid, long zxid, int err, JuteRecord body) implements Outbound {
  }

  /** A watch notification: ReplyHeader(-1, zxid, 0) + WatcherEvent. */
  record Event(long zxid, WatcherEvent event) implements Outbound {
  }
}
