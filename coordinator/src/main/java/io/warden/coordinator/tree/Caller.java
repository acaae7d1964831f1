package io.warden.coordinator.tree;

import io.warden.protocol.Id;
import java.util.List;

/**
 * Who performs an operation: the session and the identities of its connection
 * ({@code ip:...}, {@code digest:user:hash}, {@code super:...}), as stamped into the log entry
 * by the server that received the request (DESIGN.md D5), so every replica checks ACLs alike.
 */
public record Caller(long sessionId, List<Id> ids) {
  public Caller {
    ids = List.copyOf(ids);
  }

  /** A caller with a {@code super} identity passes every ACL check (§9.5). */
  public boolean isSuper() {
    for (Id id : ids) {
      if ("super".equals(id.scheme())) {
        return true;
      }
    }
    return false;
  }
}
