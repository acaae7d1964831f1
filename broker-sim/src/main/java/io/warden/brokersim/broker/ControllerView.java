package io.warden.brokersim.broker;

/**
 * What a broker's controller module believes, published after every event for observers (CLI,
 * dashboard, scenarios): whether it is active, which broker it thinks is controller, its epoch and
 * the partitions it counts offline (Kafka's ActiveControllerCount / OfflinePartitionsCount).
 */
public record ControllerView(boolean active, int knownControllerId, int epoch,
    int offlinePartitions, int partitions, long leaderElections) {
  public static ControllerView inactive(int knownControllerId) {
    return new ControllerView(false, knownControllerId, -1, 0, 0, 0);
  }
}
