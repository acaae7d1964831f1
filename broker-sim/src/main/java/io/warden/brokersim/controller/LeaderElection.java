package io.warden.brokersim.controller;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The controller's leader-election strategies (layout §3.8), pure functions. */
public final class LeaderElection {
  private LeaderElection() {
  }

  /** A chosen leader and the ISR that goes with it. */
  public record Choice(int leader, List<Integer> isr, boolean unclean) {
    public Choice {
      isr = List.copyOf(isr);
    }
  }

  /**
   * Offline strategy: the first replica in assignment order that is live and in the ISR; new ISR
   * = ISR ∩ live. Unclean (only when allowed): the first live replica, ISR = [it]. Empty when no
   * replica is eligible — the partition stays offline.
   */
  public static Optional<Choice> offline(List<Integer> assignment, List<Integer> isr,
      Set<Integer> live, boolean uncleanAllowed) {
    List<Integer> liveIsr = isr.stream().filter(live::contains).toList();
    for (int r : assignment) {
      if (live.contains(r) && isr.contains(r)) {
        return Optional.of(new Choice(r, liveIsr, false));
      }
    }
    if (uncleanAllowed) {
      for (int r : assignment) {
        if (live.contains(r)) {
          return Optional.of(new Choice(r, List.of(r), true));
        }
      }
    }
    return Optional.empty();
  }

  /** New-partition strategy: the first live replica leads, every live replica is in the ISR. */
  public static Optional<Choice> newPartition(List<Integer> assignment, Set<Integer> live) {
    List<Integer> liveReplicas = assignment.stream().filter(live::contains).toList();
    return liveReplicas.isEmpty() ? Optional.empty()
        : Optional.of(new Choice(liveReplicas.get(0), liveReplicas, false));
  }
}
