package io.warden.brokersim.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaAssignmentTest {
  @Test
  void theDocumentsExample() {
    // layout §4.2: n=5, start=0, shift=0, R=3
    Map<Integer, List<Integer>> a = ReplicaAssignment.assign(List.of(0, 1, 2, 3, 4), 0, 6, 3, 0, 0);
    assertThat(a).containsEntry(0, List.of(0, 1, 2)).containsEntry(1, List.of(1, 2, 3))
        .containsEntry(2, List.of(2, 3, 4)).containsEntry(3, List.of(3, 4, 0))
        .containsEntry(4, List.of(4, 0, 1)).containsEntry(5, List.of(0, 2, 3));
  }

  @Test
  void firstReplicasAreSpreadEvenlyAndReplicasDistinct() {
    long seed = Long.getLong("brokersim.seed", System.nanoTime());
    System.out.println("ReplicaAssignmentTest seed=" + seed + " (replay: -Dbrokersim.seed=" + seed + ")");
    Map<Integer, List<Integer>> a = ReplicaAssignment.forNewTopic(List.of(5, 1, 3, 2, 4), 20, 3,
        new Random(seed));
    assertThat(a).hasSize(20);
    a.values().forEach(r -> assertThat(r).hasSize(3).doesNotHaveDuplicates());
    Map<Integer, Long> leaders = a.values().stream().collect(
        java.util.stream.Collectors.groupingBy(r -> r.get(0), java.util.stream.Collectors.counting()));
    assertThat(leaders.values()).containsOnly(4L);
  }

  @Test
  void addedPartitionsContinueFromPartitionZerosFirstReplica() {
    Map<Integer, List<Integer>> a = ReplicaAssignment.forAddedPartitions(List.of(1, 2, 3), 2, 2, 2, 2);
    assertThat(a.keySet()).containsExactly(2, 3);
    // start = shift = index of broker 2 = 1; p2: first=(2+1)%3=0 -> broker 1
    assertThat(a.get(2).get(0)).isEqualTo(1);
  }

  @Test
  void rejectsTooHighReplicationFactor() {
    assertThatThrownBy(() -> ReplicaAssignment.forNewTopic(List.of(1, 2), 1, 3, new Random(1)))
        .hasMessageContaining("replication factor 3");
  }

  @Test
  void offlineElectionPrefersAssignmentOrderAndRespectsUnclean() {
    assertThat(LeaderElection.offline(List.of(1, 2, 3), List.of(3, 2), Set.of(2, 3), false))
        .contains(new LeaderElection.Choice(2, List.of(3, 2), false));
    assertThat(LeaderElection.offline(List.of(1, 2, 3), List.of(1), Set.of(2, 3), false)).isEmpty();
    assertThat(LeaderElection.offline(List.of(1, 2, 3), List.of(1), Set.of(2, 3), true))
        .contains(new LeaderElection.Choice(2, List.of(2), true));
  }
}
