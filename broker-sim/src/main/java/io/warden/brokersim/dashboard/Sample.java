package io.warden.brokersim.dashboard;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.ControllerView;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import java.util.List;
import java.util.Optional;

/**
 * One look at the fleet: the metadata the ensemble holds (absent when it could not be read, with
 * the reason), what each broker process believes, and the coordinator members. Taken on the
 * sampler thread; immutable once taken.
 */
record Sample(long atMs, Optional<ClusterSnapshot> cluster, String readError,
    List<BrokerRow> brokers, List<Coordinators.Member> coordinators) {

  /** A broker process: its life-cycle state, whether its thread is paused, its controller view. */
  record BrokerRow(int id, String state, boolean alive, boolean paused, long brokerEpoch,
      ControllerView controller, int ledPartitions) {
    static BrokerRow of(Broker b) {
      return new BrokerRow(b.id(), b.state().name(), b.state().isAlive(), b.eventsPaused(),
          b.brokerEpoch(), b.controllerView(), b.ledPartitions().size());
    }
  }

  Sample {
    brokers = List.copyOf(brokers);
    coordinators = List.copyOf(coordinators);
  }

  /**
   * Brokers whose controller module believes it is the active controller (Kafka's
   * ActiveControllerCount, summed over the fleet). A paused controller still believes it, as a
   * frozen Kafka controller would, so a zombie shows as 2 until it wakes and is fenced.
   */
  int activeControllerCount() {
    return (int) brokers.stream().filter(b -> b.alive() && b.controller().active()).count();
  }

  /**
   * Partitions with a leader whose ISR is smaller than their replica list (Kafka's leaders report
   * UnderReplicatedPartitions, so an offline partition is counted as offline, not here).
   */
  long underReplicatedPartitions() {
    ClusterSnapshot c = cluster.orElse(null);
    if (c == null) {
      return 0;
    }
    return c.partitionStates().entrySet().stream().filter(e -> {
      PartitionState st = e.getValue().state();
      return st.hasLeader() && st.isr().size() < replicas(c, e.getKey()).size();
    }).count();
  }

  /**
   * A controller is registered and every partition with a registered ISR member has a registered
   * leader: the end of a controller failover. (Unclean election is off, so a partition whose only
   * live replicas are out of sync stays offline by design and does not hold this up.)
   */
  boolean settled() {
    ClusterSnapshot c = cluster.orElse(null);
    if (c == null || c.controllerId().isEmpty() || !c.allPartitionsInitialised()) {
      return false;
    }
    var live = c.brokerEpochs().keySet();
    for (var e : c.partitionStates().entrySet()) {
      PartitionState s = e.getValue().state();
      boolean liveIsr = s.isr().stream().anyMatch(live::contains);
      if (liveIsr && !live.contains(s.leader())) {
        return false;
      }
    }
    return true;
  }

  static List<Integer> replicas(ClusterSnapshot c, TopicPartition tp) {
    var a = c.topics().get(tp.topic());
    return a == null ? List.of() : a.partitions().getOrDefault(tp.partition(), List.of());
  }
}
