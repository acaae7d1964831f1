package io.warden.coordinator.fsm;

import io.warden.protocol.Id;
import io.warden.protocol.JuteRecord;
import java.util.List;

/**
 * A replicated command: what a log entry asks every replica to do. Everything that could
 * differ between replicas — wall time, the session, the caller's identities, the new session's
 * password — is stamped into the command by the server that proposes it, so {@code apply} is
 * a pure function of (state, index, command) (DESIGN.md D5).
 */
public sealed interface Command {

  /** Opens a session. Its id is derived from the entry's index (see Session#idFor). */
  record CreateSession(int proposerId, int timeoutMs, byte[] password, long timeMs) implements Command {
  }

  /** Ends a session and deletes its ephemerals; {@code expired} tells expiry from a client close. */
  record CloseSession(long sessionId, boolean expired, long timeMs) implements Command {
  }

  /**
   * A client write: create (1, 15, 19, 21), delete, setData, setACL or multi, executed with the
   * caller's identities as they were when the server received it.
   */
  record Txn(long sessionId, long timeMs, List<Id> identities, int opcode, JuteRecord request) implements Command {
  }

  /** Leader-decided deletion of containers and expired TTL nodes; each path is re-checked at apply. */
  record Reap(long timeMs, List<String> paths) implements Command {
  }
}
