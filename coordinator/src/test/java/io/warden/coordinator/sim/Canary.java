package io.warden.coordinator.sim;

import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.raft.RaftCore;

/**
 * The planted bugs (test-only switches in production code) the simulation must catch, and
 * NONE for the real thing. Each run plants at most one.
 */
enum Canary {
  NONE,
  ACK_BEFORE_FSYNC,
  NO_NOOP_AT_TERM_START,
  COMMIT_PREVIOUS_TERM_BY_COUNT,
  EXPIRE_AS_STALE_LEADER,
  INSTALL_TRUNCATES_INSTEAD_OF_DISCARDING;

  RaftCore.Faults raftFaults() {
    RaftCore.Faults f = new RaftCore.Faults();
    f.ackBeforeFsync = this == ACK_BEFORE_FSYNC;
    f.noNoopAtTermStart = this == NO_NOOP_AT_TERM_START;
    f.commitPreviousTermByCount = this == COMMIT_PREVIOUS_TERM_BY_COUNT;
    f.installTruncatesInsteadOfDiscarding = this == INSTALL_TRUNCATES_INSTEAD_OF_DISCARDING;
    return f;
  }

  NodeLoop.Faults loopFaults() {
    NodeLoop.Faults f = new NodeLoop.Faults();
    f.expireAsStaleLeader = this == EXPIRE_AS_STALE_LEADER;
    return f;
  }
}
