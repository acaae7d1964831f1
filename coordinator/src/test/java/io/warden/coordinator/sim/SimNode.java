package io.warden.coordinator.sim;

import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.node.NodeMetrics;
import io.warden.coordinator.node.NodeRecovery;
import io.warden.coordinator.raft.RaftCore;
import java.util.Random;

/**
 * One simulated server: its machine (disk, clock) outlives crashes; its process (the
 * {@link NodeLoop} and its storage threads) is rebuilt on every start through
 * {@link NodeRecovery#recover}, exactly as {@code NodeRuntime.start} does. Events of a process
 * carry its incarnation, so work scheduled before a crash never reaches its successor.
 */
final class SimNode {
  final int id;
  private final Simulation sim;
  final SimLogStore log = new SimLogStore();
  final SimSnapshotStore snapshots = new SimSnapshotStore();
  final SimClock clock;
  private final Random diskRandom;
  boolean up;
  int incarnation;
  /** Stop-the-world until this virtual time: the node's events wait; its clock runs on. */
  long pausedUntilNanos;
  NodeLoop loop;
  private boolean slowDisk;

  SimNode(Simulation sim, int id, SimClock clock, Random diskRandom) {
    this.sim = sim;
    this.id = id;
    this.clock = clock;
    this.diskRandom = diskRandom;
  }

  /** Starts a process: recover from the stores, build the loop, start it, start ticking. */
  void start() {
    incarnation++;
    SimConfig c = sim.config();
    Random raftRandom = new Random(c.seed() * 1_000_003L + id * 7919L + incarnation);
    NodeRecovery.Recovered r = NodeRecovery.recover(id, true, c.raft(), raftRandom, c.bootstrapMembership(), log,
        snapshots, sim.canary().raftFaults());
    Random passwords = new Random(c.seed() * 31L + id * 131L + incarnation);
    loop = new NodeLoop(c.nodeOptions(id), clock, passwords, r.raft(), r.fsm(), r.snapshotIndex(),
        new SimStorage(sim, this), sim.clientTransport(this), new NodePeers(), NodeMetrics.NONE);
    loop.plant(sim.canary().loopFaults());
    up = true;
    pausedUntilNanos = 0;
    sim.network().nodeRestarted(id);
    loop.start();
    scheduleTick();
  }

  /** Power loss: the process dies; the disk keeps what was synced (and maybe a torn tail). */
  void crash() {
    up = false;
    loop = null;
    log.crash(diskRandom);
    snapshots.crash();
    sim.network().nodeDown(id);
    sim.nodeCrashed(id);
  }

  private void scheduleTick() {
    long tickNanos = sim.config().loopTickMs() * 1_000_000L;
    int inc = incarnation;
    sim.schedule(sim.now() + clock.globalNanosFor(tickNanos), EventQueue.Kind.TICK, id, inc, "tick", () -> {
      loop.tick();
      scheduleTick();
    });
  }

  void setSlowDisk(boolean slow) {
    slowDisk = slow;
  }

  long fsyncDelayNanos() {
    long base = 100_000 + diskRandom.nextInt(1_500_000);
    return slowDisk && diskRandom.nextInt(4) == 0 ? base + diskRandom.nextInt(40_000_000) : base;
  }

  long snapshotDelayNanos() {
    return 500_000 + diskRandom.nextInt(slowDisk ? 30_000_000 : 5_000_000);
  }

  long chunkDelayNanos() {
    return 50_000 + diskRandom.nextInt(slowDisk ? 5_000_000 : 500_000);
  }

  /** Random delays of completions posted back to the core thread. */
  Random diskRandom() {
    return diskRandom;
  }

  RaftCore raft() {
    return loop.raft();
  }

  /** The node's PeerTransport: the simulated network. */
  private final class NodePeers implements io.warden.coordinator.node.PeerTransport {
    @Override
    public void send(io.warden.coordinator.node.PeerMessage message) {
      sim.network().send(message);
    }

    @Override
    public int connectedPeers() {
      return sim.network().connectedPeers(id);
    }
  }
}
