package io.warden.brokersim.broker;

import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;

/**
 * What brokers and controllers report as they act: the event timeline plus the facts the safety
 * checks need (which broker won which epoch at which zxid, which controller writes the ensemble
 * accepted or fenced). Called from broker threads; implementations must be thread-safe.
 */
public interface SimListener {
  default void event(SimEvent event) {
  }

  /** The election multi of {@code epoch} committed at {@code zxid}. */
  default void controllerElected(int brokerId, int epoch, long zxid) {
  }

  /** A fenced controller write was accepted; {@code zxid} is -1 when the result has no Stat. */
  default void controllerWrite(int brokerId, int epoch, String path, long zxid) {
  }

  /** A fenced controller write failed its check on /controller_epoch (BADVERSION). */
  default void controllerWriteFenced(int brokerId, int epoch, String path) {
  }

  /** A partition state the ensemble accepted, with its new zkVersion (partition epoch). */
  default void partitionStateWritten(int writerBrokerId, TopicPartition tp, PartitionState state,
      int zkVersion) {
  }

  /** The topic's znodes are gone; partition epochs restart if it is created again. */
  default void topicDeleted(String topic) {
  }
}
