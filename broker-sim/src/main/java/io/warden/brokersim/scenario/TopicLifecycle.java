package io.warden.brokersim.scenario;

import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.EntityConfig;
import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.TopicPartition;
import io.warden.client.Watcher;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.EventType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * §8.6: create a topic (with a per-topic config), add partitions, delete it. The order in which
 * the ensemble saw the znodes appear and vanish is recorded by an independent persistent
 * recursive watch, and checked against §4.1/§4.3; every partition-state create must have been a
 * fenced multi.
 */
final class TopicLifecycle implements Scenario {
  private static final String TOPIC = "lifecycle";

  @Override
  public String name() {
    return "topic-lifecycle";
  }

  @Override
  public String description() {
    return "create, add partitions, delete: config before assignment, fenced state creates, "
        + "deletion children-first, then config, then the marker";
  }

  @Override
  public void run(ScenarioRun run) throws Exception {
    run.startFleet();
    List<String> seen = new CopyOnWriteArrayList<>(); // "+path" created, "-path" deleted
    Watcher recorder = e -> {
      if (e.type() == EventType.NODE_CREATED) {
        seen.add("+" + e.path());
      } else if (e.type() == EventType.NODE_DELETED) {
        seen.add("-" + e.path());
      }
    };
    run.fleet().adminClient().blocking().addWatch("/", recorder, AddWatchMode.PERSISTENT_RECURSIVE);
    int partitions = run.settings().partitions();
    run.fleet().topics().createTopic(TOPIC, partitions, run.settings().replicationFactor(),
        Map.of("retention.ms", "60000"));
    run.awaitAllLeadersLive("partitions of " + TOPIC + " online");
    EntityConfig cfg = Layout.decodeEntityConfig(run.fleet().adminClient().blocking()
        .getData(Layout.topicConfigPath(TOPIC)).data(), Layout.topicConfigPath(TOPIC));
    run.expect("60000".equals(cfg.config().get("retention.ms")), "topic config not written: " + cfg);
    before(run, seen, "+" + Layout.topicConfigPath(TOPIC), "+" + Layout.topicPath(TOPIC));
    for (int p = 0; p < partitions; p++) {
      TopicPartition tp = new TopicPartition(TOPIC, p);
      before(run, seen, "+" + Layout.topicPath(TOPIC), "+" + Layout.partitionPath(tp));
      before(run, seen, "+" + Layout.partitionPath(tp), "+" + Layout.partitionStatePath(tp));
    }
    run.fleet().topics().addPartitions(TOPIC, partitions + 2);
    ClusterSnapshot grown = run.await("the added partitions online", run.settings().expiryWait(),
        s -> s.topics().containsKey(TOPIC) && s.topics().get(TOPIC).partitionCount()
            == partitions + 2 && s.allPartitionsInitialised());
    run.measure("partitionsAfterAdd", grown.topics().get(TOPIC).partitionCount());
    // the controller reports a pipelined batch of writes once all of it is answered, which may
    // be just after the snapshot above saw the znodes
    List<String> states = java.util.stream.IntStream.range(0, partitions + 2)
        .mapToObj(p -> Layout.partitionStatePath(new TopicPartition(TOPIC, p))).toList();
    try {
      run.awaitLocal("the controller's reports of the state creates", run.settings().expiryWait(),
          () -> states.stream().allMatch(state -> run.monitor().writesTo(state).contains(state)));
    } catch (ScenarioRun.Aborted e) {
      // the expectations below name each missing report
    }
    for (int p = 0; p < partitions + 2; p++) {
      String state = Layout.partitionStatePath(new TopicPartition(TOPIC, p));
      run.expect(run.monitor().writesTo(state).contains(state),
          state + " was not created by a fenced controller multi");
    }
    run.fleet().topics().deleteTopic(TOPIC);
    run.await(TOPIC + " deleted with its config and marker", run.settings().expiryWait(), s ->
        !s.topics().containsKey(TOPIC) && s.deleteMarkers().isEmpty()
            && run.fleet().adminClient().blocking().exists(Layout.topicConfigPath(TOPIC)) == null);
    for (int p = 0; p < partitions + 2; p++) {
      TopicPartition tp = new TopicPartition(TOPIC, p);
      before(run, seen, "-" + Layout.partitionStatePath(tp), "-" + Layout.partitionPath(tp));
      before(run, seen, "-" + Layout.partitionPath(tp), "-" + Layout.partitionsPath(TOPIC));
    }
    before(run, seen, "-" + Layout.partitionsPath(TOPIC), "-" + Layout.topicPath(TOPIC));
    before(run, seen, "-" + Layout.topicPath(TOPIC), "-" + Layout.topicConfigPath(TOPIC));
    before(run, seen, "-" + Layout.topicConfigPath(TOPIC), "-" + Layout.deleteTopicMarkerPath(TOPIC));
    run.measure("znodeEventsSeen", seen.size());
  }

  private static void before(ScenarioRun run, List<String> seen, String first, String second) {
    int a = seen.indexOf(first);
    int b = seen.indexOf(second);
    run.expect(a >= 0 && b >= 0 && a < b, "expected " + first + " before " + second + " (seen at "
        + a + " and " + b + ")");
  }
}
