package io.warden.coordinator.raft;

/** The roles of Raft §5.2, plus PreVote's pre-candidate (thesis §9.6). */
public enum RaftRole {
  FOLLOWER,
  /** Asking whether it could win, without changing its term. */
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
