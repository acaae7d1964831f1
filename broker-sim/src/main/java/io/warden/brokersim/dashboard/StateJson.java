package io.warden.brokersim.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import java.util.List;

/** The JSON the page renders: a {@link Sample} as one "state" message, an event as a "timeline" one. */
final class StateJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StateJson() {
  }

  static String state(Sample s, boolean hasCoordinators) {
    ObjectNode root = JSON.createObjectNode();
    root.put("atMs", s.atMs());
    root.put("readError", s.readError());
    root.put("hasCoordinators", hasCoordinators);
    ArrayNode members = root.putArray("coordinators");
    for (Coordinators.Member m : s.coordinators()) {
      members.addObject().put("id", m.id()).put("mode", m.mode()).put("term", m.term())
          .put("commitIndex", m.commitIndex());
    }
    ClusterSnapshot c = s.cluster().orElse(null);
    ObjectNode controller = root.putObject("controller");
    controller.put("id", c == null ? -1 : c.controllerId().orElse(-1));
    controller.put("epoch", c == null ? -1 : c.controllerEpoch());
    controller.put("activeCount", s.activeControllerCount());
    root.put("offlinePartitions", c == null ? -1 : c.offlinePartitions());
    root.put("underReplicatedPartitions", s.underReplicatedPartitions());
    brokers(root.putArray("brokers"), s, c);
    if (c != null) {
      topics(root.putArray("topics"), c);
    } else {
      root.putArray("topics");
    }
    return root.toString();
  }

  private static void brokers(ArrayNode out, Sample s, ClusterSnapshot c) {
    for (Sample.BrokerRow b : s.brokers()) {
      Long registered = c == null ? null : c.brokerEpochs().get(b.id());
      out.addObject().put("id", b.id()).put("state", b.state()).put("alive", b.alive())
          .put("paused", b.paused())
          .put("registered", registered != null)
          .put("epoch", "0x" + Long.toHexString(registered != null ? registered : b.brokerEpoch()))
          .put("controller", b.controller().active())
          .put("leads", b.ledPartitions());
    }
  }

  private static void topics(ArrayNode out, ClusterSnapshot c) {
    for (var t : c.topics().entrySet()) {
      ObjectNode topic = out.addObject().put("name", t.getKey());
      topic.put("deleting", c.deleteMarkers().contains(t.getKey()));
      ArrayNode parts = topic.putArray("partitions");
      for (var p : t.getValue().partitions().entrySet()) {
        TopicPartition tp = new TopicPartition(t.getKey(), p.getKey());
        ObjectNode n = parts.addObject().put("partition", p.getKey());
        ints(n.putArray("replicas"), p.getValue());
        PartitionState st = c.state(tp).orElse(null);
        if (st != null) {
          n.put("leader", st.leader()).put("leaderEpoch", st.leaderEpoch());
          ints(n.putArray("isr"), st.isr());
        } else {
          n.put("leader", -1).put("leaderEpoch", -1);
          n.putArray("isr");
        }
      }
    }
  }

  private static void ints(ArrayNode a, List<Integer> xs) {
    xs.forEach(a::add);
  }

  static String event(SimEvent e) {
    return JSON.createObjectNode().put("atMs", e.atMs()).put("broker", e.brokerId())
        .put("kind", e.kind().name()).put("detail", e.detail()).put("line", e.toString())
        .toString();
  }

  static String note(long atMs, String text) {
    return JSON.createObjectNode().put("atMs", atMs).put("broker", -1).put("kind", "NOTE")
        .put("detail", text).put("line", String.format("%tT.%<tL %s", atMs, text)).toString();
  }

  static String message(String key, String text) {
    return JSON.createObjectNode().put(key, text).toString();
  }
}
