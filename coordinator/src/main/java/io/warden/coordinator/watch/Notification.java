package io.warden.coordinator.watch;

import io.warden.protocol.EventType;

/** An event owed to one watcher (a connection), produced when a change triggers its watch. */
public record Notification(long watcherId, EventType type, String path) {
}
