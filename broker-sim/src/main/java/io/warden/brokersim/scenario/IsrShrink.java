package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import java.util.List;
import java.util.Set;

/**
 * §8.7: leaders shrink a lagging follower out of their ISR with conditional writes (same leader
 * epoch), batch the changes into isr_change notifications which the controller processes and
 * deletes; a leader whose cached zkVersion is stale fails its write and keeps the old ISR.
 */
final class IsrShrink implements Scenario {
  @Override
  public String name() {
    return "isr-shrink";
  }

  @Override
  public String description() {
    return "a lagging follower is shrunk out of ISRs by version-checked leader writes; "
        + "notifications are batched and consumed; a stale zkVersion write fails";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    run.startFleet();
    ClusterSnapshot before = run.createTopics();
    int lagger = run.pickLeaderNotController(before);
    List<TopicPartition> affected = before.partitionStates().entrySet().stream()
        .filter(e -> e.getValue().state().isr().contains(lagger)
            && e.getValue().state().leader() != lagger).map(java.util.Map.Entry::getKey).toList();
    run.fleet().setLagging(Set.of(lagger));
    ClusterSnapshot shrunk = run.await("broker " + lagger + " out of every ISR it follows",
        run.settings().expiryWait(), s -> affected.stream().allMatch(tp ->
            !s.state(tp).orElseThrow().isr().contains(lagger)));
    for (TopicPartition tp : affected) {
      PartitionState b = before.state(tp).orElseThrow();
      PartitionState a = shrunk.state(tp).orElseThrow();
      run.expect(a.leaderEpoch() == b.leaderEpoch() && a.leader() == b.leader(), tp
          + ": a leader's ISR shrink changed leader or leader epoch: " + b + " -> " + a);
    }
    run.await("the ISR change notifications consumed by the controller",
        run.settings().expiryWait(), s -> s.isrChangeNotifications().isEmpty()
            && run.monitor().events().stream().anyMatch(e ->
            e.kind() == SimEvent.Kind.ISR_NOTIFICATION && e.detail().startsWith("processed")));
    long written = run.monitor().events().stream().filter(e ->
        e.kind() == SimEvent.Kind.ISR_NOTIFICATION && e.detail().startsWith("/")).count();
    long leaders = affected.stream().map(tp -> before.state(tp).orElseThrow().leader())
        .distinct().count();
    run.expect(written <= leaders, written + " notifications for " + leaders
        + " leaders: changes were not batched");
    run.measure("notifications", written);
    staleZkVersion(run, shrunk, lagger);
  }

  /** Bumps a state's zkVersion behind its leader's back; the leader's next write must fail. */
  private static void staleZkVersion(ScenarioRun run, ClusterSnapshot s, int lagger)
      throws Exception {
    TopicPartition tp = s.partitionStates().entrySet().stream()
        .filter(e -> e.getValue().state().leader() != lagger
            && run.fleet().broker(e.getValue().state().leader()).isPresent()
            && run.fleet().broker(e.getValue().state().leader()).get().replicasContain(e.getKey(),
            lagger)).map(java.util.Map.Entry::getKey).findFirst().orElse(null);
    if (tp == null) {
      run.measure("staleWrite", "skipped: no partition with the lagging follower as replica");
      return;
    }
    var v = s.partitionStates().get(tp);
    Broker leader = run.fleet().broker(v.state().leader()).orElseThrow();
    leader.pauseEvents();
    // a concurrent writer (as a controller would be) moves the partition epoch on
    run.fleet().adminClient().blocking().setData(Layout.partitionStatePath(tp),
        Layout.encodePartitionState(v.state()), v.zkVersion());
    run.fleet().setLagging(Set.of()); // the leader now wants to expand the ISR again
    leader.resumeEvents();
    run.awaitLocal("the leader of " + tp + " to fail its stale write", run.settings().expiryWait(),
        () -> run.monitor().events().stream().anyMatch(e -> e.brokerId() == leader.id()
            && e.kind() == SimEvent.Kind.ISR_UPDATE_FAILED && e.detail().startsWith(tp + ":")));
    ClusterSnapshot after = run.snapshot();
    run.expect(after.state(tp).orElseThrow().isr().equals(v.state().isr()), tp
        + ": a stale write changed the ISR to " + after.state(tp).orElseThrow().isr());
    run.measure("staleWritePartition", tp.toString());
  }
}
