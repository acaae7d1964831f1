package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.fleet.ClusterSnapshot;

/**
 * §8.3: the controller freezes past its session; a new one is elected; the old one wakes up and
 * finishes a partition-state write — its multi fails the check on /controller_epoch and it
 * resigns.
 */
final class ZombieController implements Scenario {
  @Override
  public String name() {
    return "zombie-controller";
  }

  @Override
  public String description() {
    return "pause the controller past its session, let it write after a new election: the write "
        + "fails the epoch check and it resigns";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    run.startFleet();
    ClusterSnapshot before = run.createTopics();
    int oldEpoch = before.controllerEpoch();
    int zombie = run.fleet().pauseController();
    run.await("a new controller while broker " + zombie + " is paused",
        run.settings().expiryWait(), s -> s.controllerId().isPresent()
            && s.controllerId().get() != zombie && s.controllerEpoch() > oldEpoch);
    Broker z = run.fleet().broker(zombie).orElseThrow();
    run.expect(z.controllerView().active(), "the paused controller already knew it lost");
    run.fleet().resumeAsZombie(zombie);
    run.awaitLocal("the zombie's write to be fenced", run.settings().expiryWait(),
        () -> run.monitor().wasFenced(zombie, oldEpoch));
    run.awaitLocal("the zombie to resign", run.settings().expiryWait(),
        () -> !z.controllerView().active());
    ClusterSnapshot after = run.await("the zombie to re-register with a new epoch",
        run.settings().expiryWait(), s -> s.brokerEpochs().containsKey(zombie)
            && s.brokerEpochs().get(zombie) > before.brokerEpochs().get(zombie));
    run.expect(after.controllerId().orElse(-1) != zombie, "the zombie is controller again");
    run.measure("zombie", zombie);
    run.measure("newController", after.controllerId().orElse(-1));
  }
}
