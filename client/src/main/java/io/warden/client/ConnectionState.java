package io.warden.client;

/**
 * The client's connection state, as listeners see it (Curator's vocabulary).
 *
 * <pre>
 *   (start) ──▶ CONNECTED ──▶ SUSPENDED ──▶ RECONNECTED ──▶ SUSPENDED ──▶ ...
 *                  │              │  ▲            │
 *                  ▼              ▼  └────────────┘
 *   any state ──▶ LOST | AUTH_FAILED | CLOSED   (terminal)
 * </pre>
 *
 * READ_ONLY replaces CONNECTED/RECONNECTED when the server is in read-only mode (only with
 * {@code canBeReadOnly(true)}).
 */
public enum ConnectionState {
  /** First connection of the session established. */
  CONNECTED,
  /** The connection dropped; the session may still be alive and the client is reconnecting. */
  SUSPENDED,
  /** Connected again to the same session after SUSPENDED; watches were restored. */
  RECONNECTED,
  /** Connected to a server in read-only mode: reads work, writes fail with NotReadOnly. */
  READ_ONLY,
  /** The session expired (server said so, or no server was heard for 4/3 of the timeout). */
  LOST,
  /** The server rejected credentials; the client stopped. */
  AUTH_FAILED,
  /** {@code close()} finished. */
  CLOSED;

  /** True when requests can be answered now. */
  public boolean isConnected() {
    return this == CONNECTED || this == RECONNECTED || this == READ_ONLY;
  }

  /** True for the states a client never leaves. */
  public boolean isTerminal() {
    return this == LOST || this == AUTH_FAILED || this == CLOSED;
  }
}
