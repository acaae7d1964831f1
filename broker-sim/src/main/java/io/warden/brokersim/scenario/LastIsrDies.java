package io.warden.brokersim.scenario;

import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import java.util.List;
import java.util.Map;

/**
 * §8.9: the only ISR member of a partition dies: its state becomes {@code leader -1, isr [dead]}
 * with leader_epoch + 1, the controller counts it offline (no unclean election), and the broker
 * leads again when it returns.
 */
final class LastIsrDies implements Scenario {
  private static final String TOPIC = "single-replica";

  @Override
  public String name() {
    return "last-isr-dies";
  }

  @Override
  public String description() {
    return "the last ISR member dies: leader -1, isr [dead], counted offline until it returns";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    ClusterSnapshot start = run.startFleet();
    int controller = start.controllerId().orElseThrow();
    // one replica per partition, so every partition's ISR is exactly its leader
    run.fleet().topics().createTopic(TOPIC, run.settings().brokers(), 1, Map.of());
    ClusterSnapshot before = run.awaitAllLeadersLive(TOPIC + " online");
    int victim = before.partitionStates().values().stream().map(v -> v.state().leader())
        .filter(l -> l != controller).findFirst().orElseThrow();
    List<TopicPartition> orphaned = ScenarioRun.ledBy(before, victim).stream()
        .filter(tp -> tp.topic().equals(TOPIC)).toList();
    long t0 = System.nanoTime();
    run.fleet().killBroker(victim);
    ClusterSnapshot offline = run.await("the partitions of broker " + victim + " offline",
        run.settings().expiryWait(), s -> orphaned.stream().allMatch(tp ->
            !s.state(tp).orElseThrow().hasLeader()));
    run.measure("offlineAfterMs", (System.nanoTime() - t0) / 1_000_000);
    for (TopicPartition tp : orphaned) {
      PartitionState b = before.state(tp).orElseThrow();
      PartitionState a = offline.state(tp).orElseThrow();
      run.expect(a.isr().equals(List.of(victim)), tp + ": isr should keep the dead last member "
          + victim + ", is " + a.isr());
      run.expect(a.leaderEpoch() == b.leaderEpoch() + 1, tp + ": leader_epoch " + a.leaderEpoch()
          + ", expected " + (b.leaderEpoch() + 1));
    }
    run.awaitLocal("the controller to count offline partitions", run.settings().expiryWait(),
        () -> run.activeView().map(v -> v.offlinePartitions() >= orphaned.size()).orElse(false));
    run.measure("offlinePartitions", run.activeView().orElseThrow().offlinePartitions());
    run.fleet().startBroker(victim).get();
    ClusterSnapshot back = run.await("broker " + victim + " leading its partitions again",
        run.settings().expiryWait(), s -> orphaned.stream().allMatch(tp ->
            s.state(tp).orElseThrow().leader() == victim));
    run.awaitLocal("the controller to count no offline partitions", run.settings().expiryWait(),
        () -> run.activeView().map(v -> v.offlinePartitions() == 0).orElse(false));
    run.measure("offlinePartitionsAfterReturn", back.offlinePartitions());
  }
}
