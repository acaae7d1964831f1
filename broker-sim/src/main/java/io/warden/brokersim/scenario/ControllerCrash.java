package io.warden.brokersim.scenario;

import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;

/**
 * §8.2: the controller's session is dropped without closing; after the session timeout the
 * survivors elect a new controller at epoch + 1, and partitions the old one led get new leaders
 * with leader_epoch + 1. Measures the failover time.
 */
final class ControllerCrash implements Scenario {
  @Override
  public String name() {
    return "controller-crash";
  }

  @Override
  public String description() {
    return "kill the controller's session (no close): new controller at epoch+1, its partitions "
        + "re-led with leader_epoch+1";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    run.startFleet();
    ClusterSnapshot before = run.createTopics();
    int old = before.controllerId().orElseThrow();
    int oldEpoch = before.controllerEpoch();
    long t0 = System.nanoTime();
    run.fleet().killController();
    ClusterSnapshot after = run.await("a new controller at epoch " + (oldEpoch + 1)
        + " and live leaders everywhere", run.settings().expiryWait(), s ->
        s.controllerId().isPresent() && s.controllerId().get() != old
            && s.controllerEpoch() == oldEpoch + 1 && !s.brokerEpochs().containsKey(old)
            && s.partitionStates().values().stream().allMatch(v -> v.state().leader() != old));
    run.measure("failoverMs", (System.nanoTime() - t0) / 1_000_000);
    run.measure("oldController", old);
    run.measure("newController", after.controllerId().get());
    for (TopicPartition tp : ScenarioRun.ledBy(before, old)) {
      PartitionState b = before.state(tp).orElseThrow();
      PartitionState a = after.state(tp).orElseThrow();
      run.expect(a.leaderEpoch() >= b.leaderEpoch() + 1, tp + ": leader_epoch " + a.leaderEpoch()
          + " after the failover, expected at least " + (b.leaderEpoch() + 1));
      run.expect(a.hasLeader() && a.leader() != old, tp + " has no new leader: " + a);
    }
  }
}
