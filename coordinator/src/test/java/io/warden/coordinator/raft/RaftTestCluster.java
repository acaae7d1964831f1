package io.warden.coordinator.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A handful of {@link RaftCore}s wired together in memory: messages are delivered until the
 * cluster is quiet, fsyncs complete at once (or are held for a node on request), and links or
 * nodes can be cut. Deterministic for a given seed. The node-level simulation covers faults
 * in depth; this exists to test the core's rules one by one.
 */
final class RaftTestCluster {
  /** What a node has on "disk". */
  static final class Disk {
    HardState hardState = HardState.INITIAL;
    final TreeMap<Long, LogEntry> log = new TreeMap<>();
    long snapshotIndex;
    long snapshotTerm;
    Membership snapshotMembership;
    byte[] snapshotData;
    /** Incoming snapshot being received. */
    final List<byte[]> receiving = new ArrayList<>();
  }

  final Map<Integer, RaftCore> nodes = new TreeMap<>();
  final Map<Integer, Disk> disks = new HashMap<>();
  final Map<Integer, List<LogEntry>> applied = new HashMap<>();
  final Map<Integer, List<ReadState>> reads = new HashMap<>();
  final Set<Integer> down = new HashSet<>();
  final Set<Integer> holdFsync = new HashSet<>();
  final Set<String> cut = new HashSet<>();
  final Map<Integer, PersistBatch> pending = new HashMap<>();
  final Membership initial;
  final RaftOptions options;
  final Random random;
  final RaftCore.Faults faults = new RaftCore.Faults();
  /** Bytes per snapshot chunk (small, so transfers take several chunks). */
  int chunkBytes = 8;

  RaftTestCluster(long seed, Membership initial) {
    this.random = new Random(seed);
    this.initial = initial;
    this.options = new RaftOptions(10, 2, 4, 1 << 20, 3, true, true);
    Set<Integer> all = new HashSet<>(initial.voters());
    all.addAll(initial.learners());
    for (int id : all) {
      disks.put(id, new Disk());
      start(id);
    }
  }

  static RaftTestCluster of(int n, long seed) {
    Set<Integer> voters = new HashSet<>();
    for (int i = 1; i <= n; i++) {
      voters.add(i);
    }
    return new RaftTestCluster(seed, new Membership(voters, Set.of()));
  }

  void start(int id) {
    Disk d = disks.computeIfAbsent(id, k -> new Disk());
    Membership m = d.snapshotMembership != null ? d.snapshotMembership : initial;
    RaftCore core = new RaftCore(id, options, new Random(random.nextLong()), m, d.hardState, d.snapshotIndex,
        d.snapshotTerm, new ArrayList<>(d.log.tailMap(d.snapshotIndex, false).values()), faults);
    core.start();
    nodes.put(id, core);
    // a restarted node's "state machine" comes back from its snapshot; the log replays the rest
    applied.put(id, d.snapshotData == null ? new ArrayList<>() : new ArrayList<>(decodeApplied(d.snapshotData)));
    reads.put(id, new ArrayList<>());
    pending.remove(id);
    down.remove(id);
  }

  /** Crash: whatever was not fsynced is gone. */
  void crash(int id) {
    down.add(id);
    pending.remove(id);
  }

  void cutLink(int a, int b) {
    cut.add(a + ">" + b);
    cut.add(b + ">" + a);
  }

  void isolate(int id) {
    for (int other : nodes.keySet()) {
      if (other != id) {
        cutLink(id, other);
      }
    }
  }

  void heal() {
    cut.clear();
  }

  void tick(int times) {
    for (int i = 0; i < times; i++) {
      for (Map.Entry<Integer, RaftCore> e : nodes.entrySet()) {
        if (!down.contains(e.getKey())) {
          e.getValue().tick();
        }
      }
      settle();
    }
  }

  /** Runs persistence, delivery and snapshot work until nothing moves. */
  void settle() {
    for (int round = 0; round < 10_000; round++) {
      boolean moved = false;
      List<RaftMessage> inFlight = new ArrayList<>();
      for (Map.Entry<Integer, RaftCore> e : nodes.entrySet()) {
        int id = e.getKey();
        if (down.contains(id)) {
          continue;
        }
        RaftCore core = e.getValue();
        moved |= persist(id, core);
        moved |= snapshotWork(id, core);
        for (LogEntry entry : core.takeCommitted(1000)) {
          applied.get(id).add(entry);
          moved = true;
        }
        reads.get(id).addAll(core.takeReadStates());
        inFlight.addAll(core.takeMessages());
      }
      for (RaftMessage m : inFlight) {
        if (!down.contains(m.to()) && !cut.contains(m.from() + ">" + m.to()) && nodes.containsKey(m.to())) {
          nodes.get(m.to()).step(m);
        }
        moved = true;
      }
      if (!moved) {
        return;
      }
    }
    throw new IllegalStateException("cluster never settled");
  }

  private boolean persist(int id, RaftCore core) {
    boolean moved = false;
    PersistBatch b = pending.remove(id);
    if (b == null) {
      b = core.takePersistBatch();
    }
    if (b == null) {
      return false;
    }
    if (holdFsync.contains(id)) {
      pending.put(id, b);
      return false;
    }
    Disk d = disks.get(id);
    if (b.hardState() != null) {
      d.hardState = b.hardState();
    }
    if (b.truncateFromIndex() > 0) {
      d.log.tailMap(b.truncateFromIndex(), true).clear();
    }
    for (LogEntry e : b.entries()) {
      d.log.put(e.index(), e);
    }
    core.persisted(b);
    return true;
  }

  private boolean snapshotWork(int id, RaftCore core) {
    boolean moved = false;
    for (SnapshotTransfer w : core.takeSnapshotWork()) {
      moved = true;
      Disk d = disks.get(id);
      if (w instanceof SnapshotTransfer.ReadChunk r) {
        if (d.snapshotData == null || d.snapshotIndex != r.snapshotIndex()) {
          core.snapshotUnavailable(r.peer());
          continue;
        }
        int from = r.chunk() * chunkBytes;
        int to = Math.min(d.snapshotData.length, from + chunkBytes);
        byte[] data = java.util.Arrays.copyOfRange(d.snapshotData, from, to);
        core.sendSnapshotChunk(r.peer(), r.snapshotIndex(), d.snapshotTerm, d.snapshotMembership.encode(), r.chunk(),
            data, to >= d.snapshotData.length);
      } else if (w instanceof SnapshotTransfer.StoreChunk s) {
        RaftMessage.SnapshotChunk c = s.chunk();
        if (c.chunk() == 0) {
          d.receiving.clear();
        }
        d.receiving.add(c.data());
        if (!c.last()) {
          core.snapshotChunkStored(c.from(), c.snapshotIndex(), c.chunk());
        } else {
          java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
          d.receiving.forEach(all::writeBytes);
          d.snapshotData = all.toByteArray();
          d.snapshotIndex = c.snapshotIndex();
          d.snapshotTerm = c.snapshotTerm();
          d.snapshotMembership = Membership.decode(c.membership());
          d.log.headMap(c.snapshotIndex(), true).clear();
          // the "state machine" of this harness is the applied list: rebuild it from the snapshot
          applied.put(id, new ArrayList<>(decodeApplied(d.snapshotData)));
          core.snapshotInstalled(c.from(), c.snapshotIndex(), c.snapshotTerm(), d.snapshotMembership, c.chunk());
        }
      }
    }
    return moved;
  }

  /** Takes a "snapshot" on {@code id}: its applied entries' indexes, then compacts. */
  void snapshot(int id) {
    RaftCore core = nodes.get(id);
    Disk d = disks.get(id);
    long index = core.appliedIndex();
    d.snapshotData = encodeApplied(applied.get(id));
    d.snapshotIndex = index;
    d.snapshotTerm = core.termAt(index);
    d.snapshotMembership = core.membershipAt(index);
    d.log.headMap(index, true).clear();
    core.compact(index);
  }

  private static byte[] encodeApplied(List<LogEntry> entries) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(entries.size() * 16);
    for (LogEntry e : entries) {
      b.putLong(e.index()).putLong(e.term());
    }
    return b.array();
  }

  private static List<LogEntry> decodeApplied(byte[] data) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
    List<LogEntry> out = new ArrayList<>();
    while (b.remaining() >= 16) {
      out.add(new LogEntry(b.getLong(), b.getLong(), EntryType.NOOP, new byte[0]));
    }
    return out;
  }

  int leader() {
    int found = 0;
    long bestTerm = -1;
    for (Map.Entry<Integer, RaftCore> e : nodes.entrySet()) {
      if (!down.contains(e.getKey()) && e.getValue().isLeader() && e.getValue().term() > bestTerm) {
        found = e.getKey();
        bestTerm = e.getValue().term();
      }
    }
    return found;
  }

  /** Ticks until some node leads (and returns it). */
  int awaitLeader() {
    for (int i = 0; i < 200; i++) {
      int l = leader();
      if (l != 0 && nodes.get(l).isConfirmedLeader()) {
        return l;
      }
      tick(1);
    }
    throw new AssertionError("no leader elected");
  }

  long propose(String command) {
    int l = awaitLeader();
    long index = nodes.get(l).propose(command.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    settle();
    return index;
  }

  /** Commands (as text) applied by {@code id}, in order. */
  List<String> commands(int id) {
    List<String> out = new ArrayList<>();
    for (LogEntry e : applied.get(id)) {
      if (e.type() == EntryType.COMMAND) {
        out.add(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Safety across the cluster: the applied sequences are prefixes of each other (by index and term). */
  void checkAppliedAgree() {
    List<LogEntry> longest = List.of();
    for (List<LogEntry> a : applied.values()) {
      if (a.size() > longest.size()) {
        longest = a;
      }
    }
    for (Map.Entry<Integer, List<LogEntry>> e : applied.entrySet()) {
      List<LogEntry> a = e.getValue();
      for (int i = 0; i < a.size(); i++) {
        LogEntry x = a.get(i);
        LogEntry y = longest.get(i);
        if (x.index() != y.index() || x.term() != y.term()) {
          throw new AssertionError("node " + e.getKey() + " applied " + x + " where another applied " + y);
        }
      }
    }
  }

  static ArrayDeque<Integer> ids(int n) {
    ArrayDeque<Integer> q = new ArrayDeque<>();
    for (int i = 1; i <= n; i++) {
      q.add(i);
    }
    return q;
  }
}
