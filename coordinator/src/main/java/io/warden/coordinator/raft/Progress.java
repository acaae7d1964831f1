package io.warden.coordinator.raft;

/**
 * The leader's view of one follower (etcd's Progress): how far it matches, where to send next,
 * and how: PROBE (one append at a time until the match point is found), REPLICATE (pipelined
 * appends within a window) or SNAPSHOT (a snapshot transfer is under way).
 */
final class Progress {
  enum State { PROBE, REPLICATE, SNAPSHOT }

  long matchIndex;
  long nextIndex;
  State state = State.PROBE;
  /** Appends sent and not yet answered (REPLICATE); flow control against the window. */
  int inflight;
  /** PROBE: an append is outstanding; wait for its answer or the next heartbeat. */
  boolean probeSent;
  /**
   * REPLICATE: heartbeat rounds in a row in which its match index stood still below the log's
   * end. Appends lost in transit are otherwise never resent (nextIndex already moved past them)
   * until a new entry exposes the gap.
   */
  int stalledHeartbeats;
  long matchAtLastHeartbeat = -1;
  /** Heard from it since the last CheckQuorum round. */
  boolean recentActive;
  /** Highest read sequence it echoed (ReadIndex). */
  long ackedReadSeq;
  /** The highest commit index it was told that applies to its log (as it will use it). */
  long commitSent;
  /** SNAPSHOT: the snapshot being sent, and the chunk the follower must store next. */
  long snapshotIndex;
  int snapshotChunk;
  boolean chunkRequested;
  /** The chunk in flight is the snapshot's last. */
  boolean snapshotLast;

  Progress(long nextIndex) {
    this.nextIndex = nextIndex;
  }

  void becomeProbe() {
    state = State.PROBE;
    inflight = 0;
    probeSent = false;
    nextIndex = Math.max(nextIndex, matchIndex + 1);
  }

  void becomeReplicate() {
    state = State.REPLICATE;
    inflight = 0;
    nextIndex = matchIndex + 1;
  }

  void becomeSnapshot(long index) {
    state = State.SNAPSHOT;
    inflight = 0;
    snapshotIndex = index;
    snapshotChunk = 0;
    chunkRequested = false;
    snapshotLast = false;
  }
}
