package io.warden.brokersim.layout;

/**
 * The data of the ephemeral {@code /controller} znode, version 2 (Kafka 3.4+):
 * {@code {"version":2,"brokerid":N,"timestamp":"ms","kraftControllerEpoch":-1}}. Readers only
 * need {@code brokerid}; version 1 (before 3.4) lacks the last key and is accepted on read.
 */
public record ControllerInfo(int brokerId, long timestampMs, int kraftControllerEpoch) {
  /** A ZooKeeper-mode controller writes -1: it is not a KRaft controller (§1.2.2). */
  public static final int ZK_CONTROLLER_KRAFT_EPOCH = -1;

  public static ControllerInfo zkController(int brokerId, long timestampMs) {
    return new ControllerInfo(brokerId, timestampMs, ZK_CONTROLLER_KRAFT_EPOCH);
  }
}
