package io.warden.brokersim.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Kafka's rack-unaware replica assignment (layout §4.2): first replicas round-robin over the
 * sorted broker list from a random start; followers follow at an offset ({@code shift}) that
 * grows every n partitions, so follower sets vary. Pure: randomness comes in as a {@link Random}.
 */
public final class ReplicaAssignment {
  private ReplicaAssignment() {
  }

  /** A new topic's assignment, with {@code start} and {@code shift} drawn from {@code random}. */
  public static Map<Integer, List<Integer>> forNewTopic(List<Integer> brokers, int partitions,
      int replicationFactor, Random random) {
    List<Integer> b = validated(brokers, partitions, replicationFactor);
    int start = random.nextInt(b.size());
    int shift = random.nextInt(b.size());
    return assign(b, 0, partitions, replicationFactor, start, shift);
  }

  /**
   * Partitions {@code existingCount .. existingCount+added-1} for CreatePartitions: start and
   * shift are the index of the first broker whose id is >= the current first replica of
   * partition 0 (so the new partitions continue the existing round robin).
   */
  public static Map<Integer, List<Integer>> forAddedPartitions(List<Integer> brokers,
      int existingCount, int added, int replicationFactor, int partitionZeroFirstReplica) {
    List<Integer> b = validated(brokers, added, replicationFactor);
    int startIndex = 0;
    while (startIndex < b.size() && b.get(startIndex) < partitionZeroFirstReplica) {
      startIndex++;
    }
    startIndex = startIndex == b.size() ? 0 : startIndex;
    return assign(b, existingCount, added, replicationFactor, startIndex, startIndex);
  }

  /** The algorithm itself, with explicit start and shift (exposed for the document's example). */
  public static Map<Integer, List<Integer>> assign(List<Integer> sortedBrokers,
      int firstPartitionId, int partitions, int replicationFactor, int start, int shift) {
    int n = sortedBrokers.size();
    Map<Integer, List<Integer>> out = new TreeMap<>();
    int nextShift = shift;
    for (int p = firstPartitionId; p < firstPartitionId + partitions; p++) {
      if (p > 0 && p % n == 0) {
        nextShift++;
      }
      int first = (p + start) % n;
      List<Integer> replicas = new ArrayList<>(replicationFactor);
      replicas.add(sortedBrokers.get(first));
      for (int j = 0; j < replicationFactor - 1; j++) {
        replicas.add(sortedBrokers.get(replicaIndex(first, nextShift, j, n)));
      }
      out.put(p, List.copyOf(replicas));
    }
    return out;
  }

  private static int replicaIndex(int first, int shift, int j, int n) {
    return (first + 1 + (shift + j) % (n - 1)) % n;
  }

  private static List<Integer> validated(List<Integer> brokers, int partitions, int rf) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions must be > 0, was " + partitions);
    }
    if (rf <= 0) {
      throw new IllegalArgumentException("replication factor must be > 0, was " + rf);
    }
    if (rf > brokers.size()) {
      throw new IllegalArgumentException("replication factor " + rf
          + " larger than the number of available brokers " + brokers.size());
    }
    return brokers.stream().sorted().distinct().toList();
  }
}
