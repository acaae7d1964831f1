package io.warden.brokersim.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.brokersim.broker.ControllerView;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicAssignment;
import io.warden.brokersim.layout.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The metrics' arithmetic on hand-made samples and events, with a hand-driven clock. */
class FleetMetricsTest {
  private final AtomicLong nowMs = new AtomicLong(1_000);
  private final FleetMetrics metrics = new FleetMetrics(nowMs::get);

  /** Topic t: partition 0 on [1,2,3], partition 1 on [2,3,1]; brokers alive as given. */
  private static Sample sample(long atMs, int controller, int epoch, Map<Integer, Long> brokerEpochs,
      PartitionState p0, PartitionState p1, String... brokerStates) {
    TopicAssignment a = TopicAssignment.of(Map.of(0, List.of(1, 2, 3), 1, List.of(2, 3, 1)), "id");
    var states = new TreeMap<TopicPartition, ClusterSnapshot.VersionedState>();
    states.put(new TopicPartition("t", 0), new ClusterSnapshot.VersionedState(p0, 0));
    states.put(new TopicPartition("t", 1), new ClusterSnapshot.VersionedState(p1, 0));
    ClusterSnapshot c = new ClusterSnapshot(controller < 0 ? Optional.empty() : Optional.of(controller),
        Optional.empty(), epoch, epoch, new TreeMap<>(brokerEpochs), new TreeMap<>(Map.of("t", a)), states,
        List.of(), List.of());
    List<Sample.BrokerRow> rows = new java.util.ArrayList<>();
    for (int id = 1; id <= brokerStates.length; id++) {
      boolean alive = brokerStates[id - 1].equals("RUNNING");
      rows.add(new Sample.BrokerRow(id, brokerStates[id - 1], alive, false, id,
          new ControllerView(alive && id == controller, controller, epoch, 0, 2, 0), 1));
    }
    return new Sample(atMs, Optional.of(c), null, rows, List.of());
  }

  private static PartitionState led(int leader, Integer... isr) {
    return new PartitionState(leader, 0, 1, List.of(isr));
  }

  private double value(String series) {
    for (String line : metrics.scrape().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no " + series + " in\n" + metrics.scrape());
  }

  @Test
  void aControllerKillIsTimedFromTheFaultToASettledFleet() {
    metrics.event(new SimEvent(0, 1, SimEvent.Kind.CONTROLLER_ELECTED, "epoch 1"));
    metrics.sampled(sample(1_000, 1, 1, Map.of(1, 10L, 2, 11L, 3, 12L), led(1, 1, 2, 3), led(2, 2, 3, 1),
        "RUNNING", "RUNNING", "RUNNING"));
    assertThat(value("kafka_controller_active_controller_count")).isEqualTo(1);
    assertThat(value("kafka_server_under_replicated_partitions")).isZero();

    nowMs.set(2_000);
    metrics.event(new SimEvent(2_000, 1, SimEvent.Kind.FAULT, "kill broker 1"));
    // broker 1's session expired; a new controller is elected but partition 0 still names broker 1
    metrics.sampled(sample(8_000, 2, 2, Map.of(2, 11L, 3, 12L), led(1, 1, 2, 3), led(2, 2, 3),
        "KILLED", "RUNNING", "RUNNING"));
    assertThat(value("brokersim_controller_failover_seconds_count")).isZero();
    assertThat(value("brokersim_broker_expiries_total")).isEqualTo(1);
    // partition 0 re-led: the failover ends at this sample, 7.5 s after the fault
    metrics.sampled(sample(9_500, 2, 2, Map.of(2, 11L, 3, 12L), led(2, 2, 3), led(2, 2, 3),
        "KILLED", "RUNNING", "RUNNING"));
    assertThat(value("brokersim_controller_failover_seconds_count")).isEqualTo(1);
    assertThat(value("brokersim_controller_failover_seconds_sum")).isEqualTo(7.5);
    assertThat(value("kafka_controller_epoch")).isEqualTo(2);
    assertThat(value("kafka_server_under_replicated_partitions")).isEqualTo(2);
    assertThat(value("brokersim_brokers_registered")).isEqualTo(2);
  }

  @Test
  void aPartitionWhoseOnlyLiveReplicasAreOutOfSyncDoesNotHoldUpTheFailover() {
    metrics.event(new SimEvent(0, 1, SimEvent.Kind.CONTROLLER_ELECTED, "epoch 1"));
    metrics.sampled(sample(1_000, 1, 1, Map.of(1, 10L, 2, 11L, 3, 12L), led(1, 1), led(2, 2, 3, 1),
        "RUNNING", "RUNNING", "RUNNING"));
    metrics.event(new SimEvent(1_000, 1, SimEvent.Kind.FAULT, "kill broker 1"));
    // partition 0's ISR was only broker 1: offline by design (unclean election is off)
    metrics.sampled(sample(4_000, 2, 2, Map.of(2, 11L, 3, 12L), led(PartitionState.NO_LEADER, 1),
        led(2, 2, 3), "KILLED", "RUNNING", "RUNNING"));
    assertThat(value("brokersim_controller_failover_seconds_count")).isEqualTo(1);
    assertThat(value("kafka_controller_offline_partitions_count")).isEqualTo(1);
    assertThat(value("kafka_server_under_replicated_partitions")).as("offline is not under-replicated")
        .isEqualTo(1);
  }

  @Test
  void aCleanStopIsNotAnExpiryButANewEpochIs() {
    metrics.sampled(sample(1_000, 1, 1, Map.of(1, 10L, 2, 11L, 3, 12L), led(1, 1, 2, 3), led(2, 2, 3, 1),
        "RUNNING", "RUNNING", "RUNNING"));
    metrics.sampled(sample(2_000, 1, 1, Map.of(1, 10L, 2, 11L), led(1, 1, 2), led(2, 2, 1),
        "RUNNING", "RUNNING", "STOPPED"));
    assertThat(value("brokersim_broker_expiries_total")).isZero();
    // broker 2 re-registered (a new czxid) between two samples: its old registration expired
    metrics.sampled(sample(3_000, 1, 1, Map.of(1, 10L, 2, 40L), led(1, 1, 2), led(2, 2, 1),
        "RUNNING", "RUNNING", "STOPPED"));
    assertThat(value("brokersim_broker_expiries_total")).isEqualTo(1);
    metrics.event(new SimEvent(3_000, 2, SimEvent.Kind.BROKER_REGISTERED, "epoch 0x28"));
    metrics.event(new SimEvent(3_000, 1, SimEvent.Kind.LEADER_ELECTED, "t-0"));
    assertThat(value("brokersim_broker_registrations_total")).isEqualTo(1);
    assertThat(value("kafka_controller_leader_elections_total")).isEqualTo(1);
  }
}
