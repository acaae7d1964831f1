package io.warden.coordinator.node;

import io.warden.coordinator.raft.RaftMessage;
import java.util.Arrays;

/**
 * What nodes of an ensemble say to each other: Raft's messages, and the node-level traffic
 * around them — writes forwarded to the leader and session liveness relayed to it.
 *
 * <p>The transport delivers messages between two nodes in order, without duplicates, and
 * tells both ends when the link resets (in-flight messages are then lost) — TCP's contract.
 * Raft itself tolerates loss, duplication and reordering; the node-level messages rely on the
 * order and on hearing about resets (see {@link NodeLoop}).
 */
public sealed interface PeerMessage {
  int from();

  int to();

  record Raft(RaftMessage message) implements PeerMessage {
    @Override
    public int from() {
      return message.from();
    }

    @Override
    public int to() {
      return message.to();
    }
  }

  /** A follower's write for the leader to propose; {@code command} carries its origin. */
  record Forward(int from, int to, long originSeq, byte[] command) implements PeerMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof Forward f && f.from == from && f.to == to && f.originSeq == originSeq
          && Arrays.equals(f.command, command);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(originSeq) * 31 + from;
    }

    @Override
    public String toString() {
      return "Forward[" + from + "->" + to + " seq " + originSeq + ", " + command.length + " bytes]";
    }
  }

  /** The receiver could not propose a forwarded write (it is not, or no longer, the leader). */
  record ForwardRejected(int from, int to, long originSeq) implements PeerMessage {
  }

  /**
   * Sessions whose clients were heard from on {@code from} since its last relay, and the ones
   * among them that were newly bound there (a client connected or resumed): the leader then
   * tells the node that held them before to let go (SESSION_MOVED).
   */
  record Touch(int from, int to, long[] heard, long[] bound) implements PeerMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof Touch t && t.from == from && t.to == to && Arrays.equals(t.heard, heard)
          && Arrays.equals(t.bound, bound);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(heard) * 31 + Arrays.hashCode(bound);
    }

    @Override
    public String toString() {
      return "Touch[" + from + "->" + to + " " + heard.length + " heard, " + bound.length + " bound]";
    }
  }

  /** The leader tells a node that a session it carried now lives on another node. */
  record SessionMoved(int from, int to, long sessionId) implements PeerMessage {
  }
}
