package io.warden.coordinator.sim;

import io.warden.coordinator.node.NodeOptions;
import io.warden.coordinator.raft.Membership;
import io.warden.coordinator.raft.RaftOptions;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one seed decides up front: the ensemble's shape, the node and Raft options (tiny
 * snapshot thresholds, sometimes tiny appends), how many clients, and which kinds of faults this
 * run uses ("swarm testing": each run enables a random subset of fault kinds, so rare
 * combinations are not drowned out by common ones).
 *
 * @param loopTickMs the node loop's tick (one Raft tick), as NodeRuntime's loopTickMs
 * @param faultPhaseMs virtual time of the fault phase, before everything heals
 * @param maxDriftPpm bound on a node clock's rate error (parts per million)
 */
record SimConfig(
    long seed,
    int voters,
    boolean learner,
    int loopTickMs,
    RaftOptions raft,
    int snapCount,
    int snapshotChunkBytes,
    int bucketMs,
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    long touchRelayMs,
    long forwardTimeoutMs,
    int clients,
    long faultPhaseMs,
    int maxDriftPpm,
    Swarm swarm) {

  /** Which fault kinds this run injects, and how hard. */
  record Swarm(
      boolean crashes,
      boolean partitions,
      boolean pauses,
      boolean drift,
      boolean transfers,
      boolean membership,
      boolean lossyNetwork,
      boolean slowDisks,
      boolean silentClients,
      double crashNewLeaderProbability,
      int crashNewLeaderWithinMicros,
      boolean figure8) {
  }

  static SimConfig random(long seed) {
    Random r = new Random(seed ^ 0x5DEECE66DL);
    // One run in three is a "Figure 8" run (Raft paper, Figure 8): five voters, one entry per
    // append and one append in flight, and new leaders that often die within one or two round
    // trips of their election and come back quickly, and partitions that often leave the leader
    // with a single follower while its clients keep writing — the interleaving in which a leader
    // that commits an entry of an earlier term by counting replicas loses it to the next leader.
    boolean figure8 = r.nextInt(3) == 0;
    int voters = figure8 || r.nextBoolean() ? 5 : 3;
    boolean learner = r.nextInt(10) < 3;
    int electionTicks = 10;
    int heartbeatTicks = 2 + r.nextInt(2);
    int[] entryChoices = {1, 1, 2, 3, 8, 64, 512};
    int maxEntries = figure8 ? 1 : entryChoices[r.nextInt(entryChoices.length)];
    long maxBytes = r.nextInt(4) == 0 ? 200 + r.nextInt(400) : 1 << 20;
    int[] inflightChoices = {1, 2, 4, 64};
    int inflight = figure8 ? 1 : inflightChoices[r.nextInt(inflightChoices.length)];
    RaftOptions raft = new RaftOptions(electionTicks, heartbeatTicks, maxEntries, maxBytes, inflight, true, true);
    int snapCount = 4 + r.nextInt(40);
    int chunkBytes = 256 << r.nextInt(3);
    Swarm swarm = new Swarm(
        figure8 || r.nextInt(10) < 8,
        figure8 || r.nextInt(10) < 7,
        r.nextInt(10) < 5,
        r.nextInt(10) < 5,
        r.nextInt(10) < 5,
        r.nextInt(10) < 5,
        r.nextInt(10) < 6,
        r.nextInt(10) < 5,
        r.nextInt(10) < 6,
        figure8 ? 0.5 + 0.3 * r.nextDouble() : r.nextInt(10) < 4 ? 0.2 + 0.6 * r.nextDouble() : 0.0,
        figure8 ? 2_000 + r.nextInt(8_000) : 3_000,
        figure8);
    return new SimConfig(seed, voters, learner, 10, raft, snapCount, chunkBytes, 50, 1000, 4000,
        50 + r.nextInt(51), 1000 + r.nextInt(1000), 3 + r.nextInt(6), 3000 + r.nextInt(3000), 20_000, swarm);
  }

  /** Every server id in the simulation: the voters, then the learner. */
  int nodeCount() {
    return voters + (learner ? 1 : 0);
  }

  Membership bootstrapMembership() {
    Set<Integer> v = new TreeSet<>();
    for (int i = 1; i <= voters; i++) {
      v.add(i);
    }
    return new Membership(v, learner ? Set.of(voters + 1) : Set.of());
  }

  NodeOptions nodeOptions(int serverId) {
    return new NodeOptions(serverId, bucketMs, minSessionTimeoutMs, maxSessionTimeoutMs, snapCount,
        256L << 20, snapshotChunkBytes, 500, 100, 10_000, true, null, 4096, touchRelayMs, forwardTimeoutMs);
  }

  /** The base election timeout in milliseconds (Raft draws each one from [base, 2·base)). */
  long electionTimeoutMs() {
    return (long) raft.electionTimeoutTicks() * loopTickMs;
  }

  @Override
  public String toString() {
    return "voters=" + voters + (learner ? "+learner" : "") + " maxEntriesPerAppend=" + raft.maxEntriesPerAppend()
        + " maxBytesPerAppend=" + raft.maxBytesPerAppend() + " inflight=" + raft.maxInflightAppends()
        + " heartbeatTicks=" + raft.heartbeatTicks() + " snapCount=" + snapCount + " chunkBytes="
        + snapshotChunkBytes + " clients=" + clients + " faultPhaseMs=" + faultPhaseMs + " " + swarm;
  }
}
