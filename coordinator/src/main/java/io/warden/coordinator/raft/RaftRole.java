package io.warden.coordinator.raft;

/** The roles of Raft §5.2 (PreVote's pre-candidate arrives with replication). */
public enum RaftRole {
  FOLLOWER,
  CANDIDATE,
  LEADER
}
