package io.warden.brokersim.broker;

import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka-protocol requests a controller sends to brokers (LeaderAndIsr, UpdateMetadata,
 * StopReplica). They do not go through ZooKeeper; in the simulator the fleet delivers them
 * in-JVM onto the target broker's executor. Each carries the controller epoch and the target's
 * broker epoch so a broker can refuse stale ones (layout §2.5, §3.3).
 */
public interface ControlPlane {
  void send(int targetBrokerId, ControlRequest request);

  /** A partition as the controller describes it to its replicas. */
  record PartitionView(PartitionState state, int zkVersion, List<Integer> replicas) {
    public PartitionView {
      replicas = List.copyOf(replicas);
    }
  }

  sealed interface ControlRequest permits LeaderAndIsr, UpdateMetadata, StopReplica {
    int controllerId();

    int controllerEpoch();

    /** The target broker's epoch as the controller knows it (czxid of its registration). */
    long brokerEpoch();
  }

  record LeaderAndIsr(int controllerId, int controllerEpoch, long brokerEpoch,
      Map<TopicPartition, PartitionView> partitions) implements ControlRequest {
    public LeaderAndIsr {
      partitions = Map.copyOf(partitions);
    }
  }

  record UpdateMetadata(int controllerId, int controllerEpoch, long brokerEpoch,
      Set<Integer> liveBrokers) implements ControlRequest {
    public UpdateMetadata {
      liveBrokers = Set.copyOf(liveBrokers);
    }
  }

  record StopReplica(int controllerId, int controllerEpoch, long brokerEpoch,
      Set<TopicPartition> partitions, boolean delete) implements ControlRequest {
    public StopReplica {
      partitions = Set.copyOf(partitions);
    }
  }
}
