package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.BrokerState;
import io.warden.brokersim.broker.DuplicateBrokerIdException;
import io.warden.brokersim.fleet.ClusterSnapshot;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** §8.5: a second broker with a used id sees NODEEXISTS with a foreign owner and stops. */
final class DuplicateBrokerId implements Scenario {
  @Override
  public String name() {
    return "duplicate-broker-id";
  }

  @Override
  public String description() {
    return "a second broker with an id in use fails its startup; the first keeps its registration";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    ClusterSnapshot before = run.startFleet();
    int id = 1 + run.random().nextInt(run.settings().brokers());
    Broker impostor = run.fleet().startImpostor(id);
    try {
      impostor.started().get(run.settings().expiryWait().toMillis(), TimeUnit.MILLISECONDS);
      run.expect(false, "the second broker " + id + " started");
    } catch (ExecutionException e) {
      run.expect(e.getCause() instanceof DuplicateBrokerIdException,
          "startup failed for another reason: " + e.getCause());
    }
    run.expect(impostor.state() == BrokerState.FAILED, "impostor state is " + impostor.state());
    ClusterSnapshot after = run.snapshot();
    run.expect(after.brokerEpochs().get(id).equals(before.brokerEpochs().get(id)),
        "the original registration of broker " + id + " changed");
    run.measure("duplicateId", id);
  }
}
