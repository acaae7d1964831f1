package io.warden.coordinator.node;

import io.warden.protocol.JuteRecord;

/**
 * One client request in its connection's queue. Requests of a session execute in arrival
 * order (FIFO client order, as ZooKeeper promises): a write is proposed on arrival but
 * executes when its entry is applied, and a read executes only when every earlier request of
 * the connection has executed. Replies leave strictly in arrival order.
 */
final class Slot {
  final int xid;
  final int opcode;
  /** Decoded body, or null for header-only requests (ping, closeSession, whoAmI). */
  final JuteRecord body;
  /** Non-null when the body could not be decoded: answered with MarshallingError in order. */
  final String decodeError;
  final long receivedNanos;
  /** The origin sequence of the proposed write, 0 while not proposed. */
  long proposedSeq;
  /** sync: the ReadIndex request id once asked, and the index to wait for once answered (-1: not yet). */
  long readRequestId;
  long readIndex = -1;
  /** The reply, once executed. */
  Outbound.Reply reply;
  /** Events to send just before the reply (setWatches fires them before answering). */
  java.util.List<Outbound> before;
  /** Close the connection after sending the reply. */
  boolean closeAfter;
  /**
   * A write no leader would take: answered ConnectionLoss when its turn comes, not at once,
   * so its reply (at the applied index then) follows the replies of earlier writes still in
   * flight and the session's zxids never go backwards.
   */
  boolean refused;
  /**
   * A write that arrived behind a sync still waiting for its read index: it is proposed only
   * once that sync has executed. Proposed earlier, it could commit below the sync's read index
   * and the sync (and the reads after it) would see a write the client sent after them.
   */
  boolean heldBehindSync;

  Slot(int xid, int opcode, JuteRecord body, String decodeError, long receivedNanos) {
    this.xid = xid;
    this.opcode = opcode;
    this.body = body;
    this.decodeError = decodeError;
    this.receivedNanos = receivedNanos;
  }

  boolean executed() {
    return reply != null;
  }

  /** Waiting for something outside the connection: its entry to apply, or its read index. */
  boolean inFlight() {
    return !executed() && (proposedSeq != 0 || readRequestId != 0);
  }
}
