package io.warden.brokersim.layout;

import java.util.List;
import java.util.Objects;

/**
 * The data of {@code /brokers/topics/<t>/partitions/<p>/state}, version 1 (§1.2.5). The znode's
 * zkVersion (not stored here) is the "partition epoch" used for every conditional update.
 *
 * @param leader the leader broker id, or {@link #NO_LEADER} when every ISR member is offline
 * @param controllerEpoch the epoch of the controller that made the leadership decision
 */
public record PartitionState(int leader, int leaderEpoch, int controllerEpoch, List<Integer> isr,
    LeaderRecoveryState leaderRecoveryState) {

  public static final int VERSION = 1;
  public static final int NO_LEADER = -1;

  public PartitionState {
    isr = List.copyOf(isr);
    Objects.requireNonNull(leaderRecoveryState, "leaderRecoveryState");
    if (leader < NO_LEADER || leaderEpoch < 0 || controllerEpoch < 0) {
      throw new IllegalArgumentException("bad partition state: leader " + leader
          + ", leader_epoch " + leaderEpoch + ", controller_epoch " + controllerEpoch);
    }
  }

  public PartitionState(int leader, int leaderEpoch, int controllerEpoch, List<Integer> isr) {
    this(leader, leaderEpoch, controllerEpoch, isr, LeaderRecoveryState.RECOVERED);
  }

  public boolean hasLeader() {
    return leader != NO_LEADER;
  }

  /** A controller decision on this partition: new leader and ISR, leader epoch + 1 (§3.5). */
  public PartitionState elect(int newLeader, List<Integer> newIsr, int byControllerEpoch) {
    return new PartitionState(newLeader, leaderEpoch + 1, byControllerEpoch, newIsr,
        LeaderRecoveryState.RECOVERED);
  }

  /** A leader's own ISR change (IBP < 2.7-IV2): same leader and leader epoch (§4.4a). */
  public PartitionState withIsr(List<Integer> newIsr) {
    return new PartitionState(leader, leaderEpoch, controllerEpoch, newIsr, leaderRecoveryState);
  }

  /** {@code leader_recovery_state}: written only while RECOVERING (IBP >= 3.2). */
  public enum LeaderRecoveryState {
    RECOVERED(0),
    RECOVERING(1);

    private final int value;

    LeaderRecoveryState(int value) {
      this.value = value;
    }

    public int value() {
      return value;
    }

    public static LeaderRecoveryState of(int value) {
      for (LeaderRecoveryState s : values()) {
        if (s.value == value) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown leader_recovery_state " + value);
    }
  }
}
