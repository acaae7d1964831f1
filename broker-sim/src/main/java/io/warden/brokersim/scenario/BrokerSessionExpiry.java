package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.ControlPlane;
import io.warden.brokersim.fleet.ClusterSnapshot;
import java.util.Map;

/**
 * §8.8: a non-controller's network hangs until its session expires; it re-registers with a new
 * broker epoch, and a controller request stamped with its old epoch is rejected.
 */
final class BrokerSessionExpiry implements Scenario {
  @Override
  public String name() {
    return "broker-session-expiry";
  }

  @Override
  public String description() {
    return "a broker's session expires: it re-registers with a new epoch; requests with the old "
        + "epoch are rejected";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    run.startFleet();
    ClusterSnapshot before = run.createTopics();
    int victim = run.pickLeaderNotController(before);
    long oldEpoch = before.brokerEpochs().get(victim);
    long t0 = System.nanoTime();
    run.fleet().hangBroker(victim);
    Broker b = run.fleet().broker(victim).orElseThrow();
    ClusterSnapshot after = run.await("broker " + victim + " re-registered with a new epoch",
        run.settings().expiryWait().multipliedBy(2), s -> s.brokerEpochs().containsKey(victim)
            && s.brokerEpochs().get(victim) > oldEpoch
            && b.brokerEpoch() == s.brokerEpochs().get(victim));
    run.measure("reRegisteredMs", (System.nanoTime() - t0) / 1_000_000);
    run.measure("oldEpoch", oldEpoch);
    run.measure("newEpoch", after.brokerEpochs().get(victim));
    int rejectedBefore = b.rejections().size();
    // a request the controller stamped before the expiry, delivered late
    run.fleet().send(victim, new ControlPlane.UpdateMetadata(after.controllerId().orElseThrow(),
        after.controllerEpoch(), oldEpoch, before.brokerEpochs().keySet()));
    run.awaitLocal("the stale-epoch request to be rejected", run.settings().expiryWait(),
        () -> b.rejections().size() > rejectedBefore
            && b.rejections().get(b.rejections().size() - 1).reason()
            .startsWith("STALE_BROKER_EPOCH"));
    run.awaitAllLeadersLive("leaders after the re-registration");
    run.measure("victim", victim);
    run.measure("controllerBrokerEpochs", Map.copyOf(after.brokerEpochs()).size());
  }
}
