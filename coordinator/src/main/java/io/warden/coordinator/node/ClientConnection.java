package io.warden.coordinator.node;

import io.warden.coordinator.tree.Caller;
import io.warden.protocol.Id;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The core thread's record of one client connection: session binding, identities, queue, stats. */
final class ClientConnection {
  final long id;
  final InetSocketAddress remote;
  final long openedWallMs;
  ConnectionState state = ConnectionState.AWAITING_HANDSHAKE;
  long sessionId;
  int timeoutMs;
  /** Whether the client sent the trailing readOnly byte; the response mirrors it (reference §3.4). */
  boolean readOnlyByte = true;
  /** Identities: always ip:&lt;address&gt;, plus whatever auth added. */
  final List<Id> identities = new ArrayList<>(2);
  private Caller caller;
  final ArrayDeque<Slot> queue = new ArrayDeque<>();
  /**
   * A write of this connection was refused (no leader took it): the connection closes once
   * that refusal is answered, and no later write is proposed meanwhile — a later write must
   * not take effect when an earlier one of the same session did not.
   */
  boolean writesRefused;
  /** Syncs in the queue not yet executed: writes arriving meanwhile are held behind them. */
  int syncsAhead;
  /** Messages produced during this loop turn, flushed once at its end (one write per batch). */
  final List<Outbound> outbox = new ArrayList<>();
  final ConnectionStats stats = new ConnectionStats();

  ClientConnection(long id, InetSocketAddress remote, long openedWallMs) {
    this.id = id;
    this.remote = remote;
    this.openedWallMs = openedWallMs;
    identities.add(new Id("ip", remote == null ? "0.0.0.0" : remote.getAddress().getHostAddress()));
  }

  Caller caller() {
    if (caller == null || caller.sessionId() != sessionId) {
      caller = new Caller(sessionId, List.copyOf(identities));
    }
    return caller;
  }

  void addIdentity(Id id) {
    if (!identities.contains(id)) {
      identities.add(id);
      caller = null;
    }
  }

  boolean isOpen() {
    return state != ConnectionState.CLOSED;
  }
}
