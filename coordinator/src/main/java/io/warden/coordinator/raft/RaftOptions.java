package io.warden.coordinator.raft;

import io.warden.coordinator.util.Check;

/**
 * Tunables of the Raft core, in ticks of the node loop.
 *
 * @param electionTimeoutTicks base election timeout; each term draws a random one in [base, 2·base)
 * @param heartbeatTicks how often a leader sends (possibly empty) appends
 * @param maxEntriesPerAppend entries per AppendRequest (batching)
 * @param maxBytesPerAppend entry bytes per AppendRequest
 * @param maxInflightAppends appends in flight per follower when replicating (pipelining, flow control)
 * @param preVote run a PreVote round before a real election (§9.6)
 * @param checkQuorum a leader that has not heard from a quorum within an election timeout steps down
 */
public record RaftOptions(
    int electionTimeoutTicks,
    int heartbeatTicks,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int maxInflightAppends,
    boolean preVote,
    boolean checkQuorum) {

  public RaftOptions {
    Check.argument(heartbeatTicks > 0 && electionTimeoutTicks > heartbeatTicks,
        "need 0 < heartbeatTicks (%d) < electionTimeoutTicks (%d)", heartbeatTicks, electionTimeoutTicks);
    Check.argument(maxEntriesPerAppend > 0 && maxBytesPerAppend > 0 && maxInflightAppends > 0,
        "append limits must be positive");
  }

  /** 10 ms ticks: election timeout 300–600 ms, heartbeats every 50 ms. */
  public static RaftOptions defaults() {
    return new RaftOptions(30, 5, 512, 1 << 20, 64, true, true);
  }
}
