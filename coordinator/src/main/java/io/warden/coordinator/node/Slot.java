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
