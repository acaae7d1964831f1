package io.warden.client;

import io.warden.protocol.EventType;
import io.warden.protocol.KeeperState;
import java.util.Objects;

/**
 * One watch event: a change to a node ({@code type} NODE_*, {@code state} SYNC_CONNECTED,
 * {@code path} the client path with the chroot stripped), a local watch removal
 * (*_WATCH_REMOVED), or a connection-state change ({@code type} NONE, {@code path} null), which
 * every registered watcher receives as in the Java client: DISCONNECTED when the connection drops,
 * SYNC_CONNECTED (or CONNECTED_READ_ONLY) when it is back, and finally EXPIRED, AUTH_FAILED or
 * CLOSED, after which no watcher is called again.
 */
public record WatchEvent(EventType type, KeeperState state, String path) {
  public WatchEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
  }
}
