package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import java.util.List;

/**
 * §8.4: a broker goes and comes back (new czxid) while the controller's event thread is stalled;
 * the controller must see it as bounced — failure then startup — and re-elect its partitions.
 */
final class BrokerBounce implements Scenario {
  @Override
  public String name() {
    return "broker-bounce";
  }

  @Override
  public String description() {
    return "a broker re-registers before the controller processes the change: handled as "
        + "bounced (failure + startup)";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    run.startFleet();
    ClusterSnapshot before = run.createTopics();
    Broker controller = run.controller(before);
    int victim = run.pickLeaderNotController(before);
    List<TopicPartition> led = ScenarioRun.ledBy(before, victim);
    controller.pauseEvents(); // stalls its event queue; its session stays alive
    run.fleet().stopBroker(victim);
    run.await("broker " + victim + " gone", run.settings().expiryWait(),
        s -> !s.brokerEpochs().containsKey(victim));
    long newEpoch = run.fleet().startBroker(victim).get();
    run.expect(newEpoch > before.brokerEpochs().get(victim), "the bounced broker's epoch "
        + newEpoch + " is not larger than " + before.brokerEpochs().get(victim));
    controller.resumeEvents();
    run.awaitLocal("the controller to report broker " + victim + " as bounced",
        run.settings().expiryWait(), () -> run.monitor().events().stream().anyMatch(e ->
            e.kind() == SimEvent.Kind.BROKER_CHANGE && e.brokerId() == controller.id()
                && e.detail().contains("bounced [" + victim + "]")));
    // the event is reported when the controller starts handling the change; its writes follow
    run.await("new leader epochs for the partitions the bounced broker led",
        run.settings().expiryWait(), s -> led.stream().allMatch(tp ->
            s.state(tp).orElseThrow().leaderEpoch() > before.state(tp).orElseThrow().leaderEpoch()));
    ClusterSnapshot after = run.awaitAllLeadersLive("leaders after the bounce");
    for (TopicPartition tp : led) {
      PartitionState b = before.state(tp).orElseThrow();
      PartitionState a = after.state(tp).orElseThrow();
      run.expect(a.leaderEpoch() > b.leaderEpoch(), tp + " was led by the bounced broker but "
          + "its leader_epoch did not move: " + b + " -> " + a);
    }
    run.measure("bounced", victim);
  }
}
