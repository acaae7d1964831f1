package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.Layout;
import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeData;
import io.warden.protocol.Stat;
import java.util.HashSet;
import java.util.Set;

/** §8.1: every broker starts at once; paths, cluster id, registrations, exactly one election. */
final class ColdStart implements Scenario {
  @Override
  public String name() {
    return "cold-start";
  }

  @Override
  public String description() {
    return "all brokers start together: top-level paths and /cluster/id exist, each registration "
        + "has version 1 and its own czxid, one election wins epoch 1 at zkVersion 1";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    long t0 = System.nanoTime();
    ClusterSnapshot s = run.startFleet();
    run.measure("controllerElectedMs", (System.nanoTime() - t0) / 1_000_000);
    BlockingWardenClient zk = run.fleet().adminClient().blocking();
    for (String p : Layout.TOP_LEVEL_PATHS) {
      run.expect(zk.exists(p) != null, "top-level path " + p + " missing");
    }
    NodeData cluster = zk.getData(Layout.CLUSTER_ID);
    run.expect(Layout.decodeClusterId(cluster.data()).length() == 22,
        "cluster id is not 22 characters of base64");
    Set<Long> czxids = new HashSet<>();
    for (Broker b : run.fleet().brokers()) {
      Stat st = zk.exists(Layout.brokerPath(b.id()));
      run.expect(st != null && st.version() == 1, "broker " + b.id()
          + " registration version is " + (st == null ? "missing" : st.version()) + ", not 1");
      run.expect(st != null && st.czxid() == b.brokerEpoch(), "broker " + b.id()
          + " epoch differs from the czxid of its registration");
      run.expect(st != null && st.ephemeralOwner() == b.sessionId(), "broker " + b.id()
          + " registration is not owned by its session");
      czxids.add(b.brokerEpoch());
    }
    run.expect(czxids.size() == run.settings().brokers(), "broker epochs are not distinct: "
        + czxids);
    run.expect(run.monitor().elections() == 1, "expected exactly one won election, saw "
        + run.monitor().elections());
    run.expect(s.controllerEpoch() == 1 && s.controllerEpochZkVersion() == 1,
        "/controller_epoch is " + s.controllerEpoch() + " at zkVersion "
            + s.controllerEpochZkVersion() + ", expected \"1\" at 1");
    run.expect(new String(zk.getData(Layout.CONTROLLER_EPOCH).data(),
        java.nio.charset.StandardCharsets.UTF_8).equals("1"), "/controller_epoch is not \"1\"");
    Broker controller = run.controller(s);
    run.expect(s.controllerEphemeralOwner().orElse(0L) == controller.sessionId(),
        "/controller is not owned by the controller's session");
    run.createTopics();
  }
}
