package io.warden.brokersim.fleet;

import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicAssignment;
import io.warden.brokersim.layout.TopicPartition;
import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeData;
import io.warden.client.WardenException;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fleet's metadata as the ensemble holds it, read through an independent session — what a
 * Kafka tool reading the znodes would see. Not atomic (znodes are read one by one), so callers
 * check conditions that are stable once reached.
 */
public record ClusterSnapshot(
    Optional<Integer> controllerId,
    Optional<Long> controllerEphemeralOwner,
    int controllerEpoch,
    int controllerEpochZkVersion,
    SortedMap<Integer, Long> brokerEpochs,
    SortedMap<String, TopicAssignment> topics,
    SortedMap<TopicPartition, VersionedState> partitionStates,
    List<String> deleteMarkers,
    List<String> isrChangeNotifications) {

  /** A partition state with its zkVersion (the partition epoch). */
  public record VersionedState(PartitionState state, int zkVersion) {
  }

  /** Partitions with leader -1 (no live ISR replica). */
  public long offlinePartitions() {
    return partitionStates.values().stream().filter(v -> !v.state().hasLeader()).count();
  }

  public Optional<PartitionState> state(TopicPartition tp) {
    return Optional.ofNullable(partitionStates.get(tp)).map(VersionedState::state);
  }

  /** Every partition of every topic has a state znode. */
  public boolean allPartitionsInitialised() {
    for (var t : topics.entrySet()) {
      for (int p : t.getValue().partitions().keySet()) {
        if (!partitionStates.containsKey(new TopicPartition(t.getKey(), p))) {
          return false;
        }
      }
    }
    return true;
  }

  public static ClusterSnapshot read(BlockingWardenClient zk)
      throws WardenException, InterruptedException {
    Optional<NodeData> controller = get(zk, Layout.CONTROLLER);
    Optional<NodeData> epoch = get(zk, Layout.CONTROLLER_EPOCH);
    SortedMap<Integer, Long> brokers = new TreeMap<>();
    for (String child : children(zk, Layout.BROKER_IDS)) {
      Optional<Integer> id = Layout.brokerIdOf(child);
      if (id.isPresent()) {
        Stat s = zk.exists(Layout.brokerPath(id.get()));
        if (s != null) {
          brokers.put(id.get(), s.czxid());
        }
      }
    }
    SortedMap<String, TopicAssignment> topics = new TreeMap<>();
    SortedMap<TopicPartition, VersionedState> states = new TreeMap<>();
    for (String t : children(zk, Layout.BROKER_TOPICS)) {
      Optional<NodeData> d = get(zk, Layout.topicPath(t));
      if (d.isEmpty()) {
        continue;
      }
      TopicAssignment a = Layout.decodeTopic(d.get().data(), Layout.topicPath(t));
      topics.put(t, a);
      for (int p : a.partitions().keySet()) {
        TopicPartition tp = new TopicPartition(t, p);
        get(zk, Layout.partitionStatePath(tp)).ifPresent(s -> states.put(tp, new VersionedState(
            Layout.decodePartitionState(s.data(), Layout.partitionStatePath(tp)),
            s.stat().version())));
      }
    }
    return new ClusterSnapshot(
        controller.map(c -> Layout.decodeController(c.data()).brokerId()),
        controller.map(c -> c.stat().ephemeralOwner()),
        epoch.map(e -> Layout.decodeControllerEpoch(e.data())).orElse(-1),
        epoch.map(e -> e.stat().version()).orElse(-1),
        brokers, topics, states, children(zk, Layout.DELETE_TOPICS),
        children(zk, Layout.ISR_CHANGE_NOTIFICATION));
  }

  private static Optional<NodeData> get(BlockingWardenClient zk, String path)
      throws WardenException, InterruptedException {
    try {
      return Optional.of(zk.getData(path));
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static List<String> children(BlockingWardenClient zk, String path)
      throws WardenException, InterruptedException {
    try {
      return zk.getChildren(path).stream().sorted().toList();
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        return List.of();
      }
      throw e;
    }
  }
}
