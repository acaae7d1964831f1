package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.broker.SimListener;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The safety properties every scenario must keep (issue 5): never two controllers in one epoch;
 * no write of a fenced controller accepted; leader epochs only grow (and a leader never changes
 * without a new leader epoch); every partition's leader alive or the partition counted offline
 * (checked by the scenario runner at the end, {@link #checkLeaders}). Fed by the brokers' reports
 * and by snapshots; evaluated when asked, so reports arriving out of order from different
 * threads do not matter — writes are ordered by zxid and by partition zkVersion, not by arrival.
 */
public final class SafetyMonitor implements SimListener {
  private record Election(int brokerId, int epoch, long zxid) {
  }

  private record Write(int brokerId, int epoch, String path, long zxid) {
  }

  private final List<Election> elections = new CopyOnWriteArrayList<>();
  private final List<Write> writes = new CopyOnWriteArrayList<>();
  private final List<Write> fenced = new CopyOnWriteArrayList<>();
  private final List<SimEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> immediate = new CopyOnWriteArrayList<>();
  /** Per partition (per incarnation of its topic): zkVersion -> state the ensemble accepted. */
  private final Map<TopicPartition, TreeMap<Integer, PartitionState>> history =
      new ConcurrentHashMap<>();

  @Override
  public void event(SimEvent e) {
    events.add(e);
  }

  @Override
  public void controllerElected(int brokerId, int epoch, long zxid) {
    elections.add(new Election(brokerId, epoch, zxid));
  }

  @Override
  public void controllerWrite(int brokerId, int epoch, String path, long zxid) {
    writes.add(new Write(brokerId, epoch, path, zxid));
  }

  @Override
  public void controllerWriteFenced(int brokerId, int epoch, String path) {
    fenced.add(new Write(brokerId, epoch, path, -1));
  }

  @Override
  public void partitionStateWritten(int writer, TopicPartition tp, PartitionState s, int version) {
    observe(tp, s, version, "written by broker " + writer);
  }

  @Override
  public synchronized void topicDeleted(String topic) {
    history.keySet().removeIf(tp -> tp.topic().equals(topic));
  }

  /** Records every partition state of a snapshot (the ensemble's view). */
  public void observe(ClusterSnapshot s) {
    s.partitionStates().forEach((tp, v) -> observe(tp, v.state(), v.zkVersion(), "observed"));
  }

  private synchronized void observe(TopicPartition tp, PartitionState s, int version, String how) {
    TreeMap<Integer, PartitionState> h = history.computeIfAbsent(tp, k -> new TreeMap<>());
    PartitionState same = h.get(version);
    if (same != null && !same.equals(s)) {
      immediate.add(tp + " zkVersion " + version + " seen as both " + same + " and " + s);
      return;
    }
    h.put(version, s);
    var lower = h.lowerEntry(version);
    var higher = h.higherEntry(version);
    checkOrder(tp, lower == null ? null : lower.getValue(), s, how);
    checkOrder(tp, s, higher == null ? null : higher.getValue(), how);
  }

  private void checkOrder(TopicPartition tp, PartitionState before, PartitionState after,
      String how) {
    if (before == null || after == null) {
      return;
    }
    if (after.leaderEpoch() < before.leaderEpoch()) {
      immediate.add(tp + ": leader epoch went back from " + before.leaderEpoch() + " to "
          + after.leaderEpoch() + " (" + how + ")");
    } else if (after.leaderEpoch() == before.leaderEpoch() && after.leader() != before.leader()) {
      immediate.add(tp + ": leader changed " + before.leader() + " -> " + after.leader()
          + " without a new leader epoch " + after.leaderEpoch() + " (" + how + ")");
    }
  }

  /** Leaders are alive or the partition is offline (leader -1) and the controller counts it. */
  public static List<String> checkLeaders(ClusterSnapshot s, int controllerOfflineCount) {
    List<String> v = new ArrayList<>();
    long offline = 0;
    for (var e : s.partitionStates().entrySet()) {
      PartitionState st = e.getValue().state();
      if (!st.hasLeader() || !s.brokerEpochs().containsKey(st.leader())) {
        offline++;
        if (st.hasLeader()) {
          v.add(e.getKey() + ": leader " + st.leader() + " is not a live broker "
              + s.brokerEpochs().keySet());
        }
      }
    }
    if (offline != controllerOfflineCount) {
      v.add("offline partitions: " + offline + " in the ensemble but the controller counts "
          + controllerOfflineCount);
    }
    return v;
  }

  public List<SimEvent> events() {
    return List.copyOf(events);
  }

  public int elections() {
    return elections.size();
  }

  /** True when broker {@code brokerId}'s write in {@code epoch} was fenced. */
  public boolean wasFenced(int brokerId, int epoch) {
    return fenced.stream().anyMatch(w -> w.brokerId() == brokerId && w.epoch() == epoch);
  }

  public List<String> writesTo(String pathPrefix) {
    return writes.stream().map(Write::path).filter(p -> p.startsWith(pathPrefix)).toList();
  }

  /** Every violation seen so far. */
  public List<String> violations() {
    List<String> v = new ArrayList<>(immediate);
    Map<Integer, Election> byEpoch = new TreeMap<>();
    for (Election e : elections) {
      Election other = byEpoch.putIfAbsent(e.epoch(), e);
      if (other != null && other.brokerId() != e.brokerId()) {
        v.add("two controllers in epoch " + e.epoch() + ": brokers " + other.brokerId() + " and "
            + e.brokerId());
      }
    }
    for (Write w : writes) {
      Election owner = byEpoch.get(w.epoch());
      if (owner == null || owner.brokerId() != w.brokerId()) {
        v.add("broker " + w.brokerId() + " wrote " + w.path() + " as controller of epoch "
            + w.epoch() + " which it never won");
        continue;
      }
      if (w.zxid() < 0) {
        continue; // deletes carry no Stat; their fencing is the check op itself
      }
      for (Election later : byEpoch.values()) {
        if (later.epoch() > w.epoch() && later.zxid() < w.zxid()) {
          v.add("fenced controller " + w.brokerId() + " (epoch " + w.epoch() + ") wrote "
              + w.path() + " at zxid 0x" + Long.toHexString(w.zxid()) + " after epoch "
              + later.epoch() + " began at zxid 0x" + Long.toHexString(later.zxid()));
        }
      }
    }
    return v;
  }
}
