package io.warden.brokersim.layout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The data of {@code /brokers/topics/<t>}, version 3 (§1.2.4): partition -> ordered replica list
 * (the first replica is the preferred leader), the partitions under reassignment, and the topic
 * id. Partitions are kept sorted so the JSON is stable.
 */
public record TopicAssignment(
    SortedMap<Integer, List<Integer>> partitions,
    SortedMap<Integer, List<Integer>> addingReplicas,
    SortedMap<Integer, List<Integer>> removingReplicas,
    Optional<String> topicId) {

  /** Written as 3 even when the topic id is absent, as Kafka does. */
  public static final int VERSION = 3;

  public TopicAssignment {
    partitions = copy(partitions);
    addingReplicas = copy(addingReplicas);
    removingReplicas = copy(removingReplicas);
    for (var e : partitions.entrySet()) {
      if (e.getKey() < 0 || e.getValue().isEmpty()
          || e.getValue().stream().distinct().count() != e.getValue().size()) {
        throw new IllegalArgumentException("bad replica list for partition " + e.getKey() + ": "
            + e.getValue());
      }
    }
  }

  public static TopicAssignment of(Map<Integer, List<Integer>> partitions, String topicId) {
    return new TopicAssignment(new TreeMap<>(partitions), new TreeMap<>(), new TreeMap<>(),
        Optional.of(topicId));
  }

  public int partitionCount() {
    return partitions.size();
  }

  public List<Integer> replicas(int partition) {
    List<Integer> r = partitions.get(partition);
    if (r == null) {
      throw new IllegalArgumentException("no partition " + partition);
    }
    return r;
  }

  /** This assignment with {@code more} partitions added (ids must not collide). */
  public TopicAssignment plus(Map<Integer, List<Integer>> more) {
    TreeMap<Integer, List<Integer>> all = new TreeMap<>(partitions);
    for (var e : more.entrySet()) {
      if (all.putIfAbsent(e.getKey(), e.getValue()) != null) {
        throw new IllegalArgumentException("partition " + e.getKey() + " exists");
      }
    }
    return new TopicAssignment(all, addingReplicas, removingReplicas, topicId);
  }

  private static SortedMap<Integer, List<Integer>> copy(Map<Integer, List<Integer>> m) {
    TreeMap<Integer, List<Integer>> t = new TreeMap<>();
    m.forEach((k, v) -> t.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableSortedMap(t);
  }
}
