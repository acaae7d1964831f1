package io.warden.coordinator.raft;

import java.util.List;

/**
 * Messages between Raft peers (Raft thesis ch. 3–4, with PreVote and leadership transfer from
 * §9.6 and §3.10, ReadIndex from §6.4). Records; the node's peer codec puts them on the wire.
 * Every message carries its sender's term; a receiver reacts to a higher term before anything
 * else.
 */
public sealed interface RaftMessage {
  int from();

  int to();

  long term();

  /**
   * A request for a vote. With {@code preVote} the term is the one the sender would campaign in
   * and nobody changes state for it (§9.6); with {@code transfer} the voters ignore leader
   * stickiness, because the current leader itself asked for the election (§3.10).
   */
  record VoteRequest(int from, int to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
      boolean transfer) implements RaftMessage {
  }

  record VoteResponse(int from, int to, long term, boolean granted, boolean preVote) implements RaftMessage {
  }

  /**
   * Log entries after (prevLogIndex, prevLogTerm), possibly none (a heartbeat). {@code readSeq}
   * is echoed by the follower so the leader can confirm its leadership for ReadIndex.
   */
  record AppendRequest(int from, int to, long term, long prevLogIndex, long prevLogTerm, List<LogEntry> entries,
      long leaderCommit, long readSeq) implements RaftMessage {
  }

  /**
   * The answer to an append. On success {@code matchIndex} is the last index the follower now
   * stores (durably) in agreement with the leader. On rejection {@code hintIndex} is where the
   * leader should retry (the first index of the conflicting term, or the follower's last index
   * + 1), so a lagging follower is found in one round trip, not one per entry.
   */
  record AppendResponse(int from, int to, long term, boolean success, long matchIndex, long hintIndex,
      long readSeq) implements RaftMessage {
  }

  /**
   * One chunk of the snapshot at (snapshotIndex, snapshotTerm), streamed one at a time: the
   * leader sends chunk n+1 only after the follower stored chunk n.
   */
  record SnapshotChunk(int from, int to, long term, long snapshotIndex, long snapshotTerm, byte[] membership,
      int chunk, boolean last, byte[] data) implements RaftMessage {
    @Override
    public String toString() {
      return "SnapshotChunk[" + from + "->" + to + " term " + term + " snapshot " + snapshotIndex + " chunk " + chunk
          + (last ? " last" : "") + ", " + data.length + " bytes]";
    }
  }

  /**
   * The follower stored {@code chunk} (and, after the last one, installed the snapshot);
   * {@code ok=false} asks the leader to start the transfer again.
   */
  record SnapshotResponse(int from, int to, long term, long snapshotIndex, int chunk, boolean ok) implements RaftMessage {
  }

  /** Leadership transfer: "campaign now, without waiting for a timeout" (§3.10). */
  record TimeoutNow(int from, int to, long term) implements RaftMessage {
  }

  /** A follower asks the leader for a read index on behalf of {@code requestId} (§6.4). */
  record ReadIndexRequest(int from, int to, long term, long requestId) implements RaftMessage {
  }

  /** The leader's answer: {@code readIndex}, or -1 if it could not confirm its leadership. */
  record ReadIndexResponse(int from, int to, long term, long requestId, long readIndex) implements RaftMessage {
  }
}
