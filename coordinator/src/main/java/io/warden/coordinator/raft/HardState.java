package io.warden.coordinator.raft;

/**
 * Raft state that must be durable before any message that depends on it leaves the node
 * (Raft §5.2, §5.4): the current term and the vote cast in it.
 *
 * @param votedFor server id voted for in {@code term}, or {@link #NO_VOTE}
 */
public record HardState(long term, int votedFor) {
  public static final int NO_VOTE = 0;
  public static final HardState INITIAL = new HardState(0, NO_VOTE);

  public HardState {
    if (term < 0 || votedFor < 0) {
      throw new IllegalArgumentException("negative term or vote: " + term + "/" + votedFor);
    }
  }
}
