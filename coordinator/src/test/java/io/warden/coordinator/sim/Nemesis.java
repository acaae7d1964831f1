package io.warden.coordinator.sim;

import io.warden.coordinator.raft.Membership;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Injects the faults of the fault phase, choosing among the kinds its run's {@link SimConfig.Swarm}
 * enables: crashes (single, of a new leader right after its election, or of a majority at once —
 * a power loss), partitions of every shape (one node isolated, one-way cuts, a split, a bridge
 * node that sees both sides, a random asymmetric matrix), stop-the-world pauses (some longer
 * than a session timeout), clock drift, lossy/duplicating/reordering weather, slow disks,
 * leadership transfers and membership changes (a learner promoted to voter and back) — and, in
 * the Figure 8 runs of {@link SimConfig}, a staged Raft Figure 8 ({@link Figure8Drill}).
 */
final class Nemesis {
  private final Simulation sim;
  private final Random random;
  private final SimConfig.Swarm swarm;
  private boolean stopped;
  private int partitionGeneration;
  private final Figure8Drill drill = new Figure8Drill();

  Nemesis(Simulation sim, Random random) {
    this.sim = sim;
    this.random = random;
    this.swarm = sim.config().swarm();
  }

  void start() {
    next();
  }

  void stop() {
    stopped = true;
  }

  private void next() {
    at(20_000_000L + random.nextInt(250_000_000), "nemesis", () -> {
      if (!stopped) {
        act();
        next();
      }
    });
  }

  private void act() {
    List<Runnable> choices = new ArrayList<>();
    if (swarm.crashes()) {
      choices.add(this::crash);
      choices.add(this::crash);
    }
    if (swarm.partitions()) {
      choices.add(this::partition);
      choices.add(this::partition);
    }
    if (swarm.pauses()) {
      choices.add(this::pause);
    }
    if (swarm.drift()) {
      choices.add(this::drift);
    }
    if (swarm.transfers()) {
      choices.add(this::transfer);
    }
    if (swarm.membership() && sim.config().learner()) {
      choices.add(this::changeMembership);
    }
    if (swarm.lossyNetwork()) {
      choices.add(this::weather);
    }
    if (swarm.slowDisks()) {
      choices.add(this::slowDisk);
    }
    if (!choices.isEmpty()) {
      choices.get(random.nextInt(choices.size())).run();
    }
  }

  /** Called when a node is first seen leading a term: sometimes it dies at once (Figure 8). */
  void leaderElected(int id) {
    if (!stopped && !drill.idle()) {
      drill.onLeader(id);
      return;
    }
    if (stopped || !swarm.crashes() || random.nextDouble() >= swarm.crashNewLeaderProbability()) {
      return;
    }
    // Figure 8 runs draw the delay log-uniformly from 50 µs up: the telling crashes come right
    // after the new leader's no-op is durable, before any follower has it.
    long delayNanos = swarm.figure8()
        ? (long) (50_000 * Math.pow(swarm.crashNewLeaderWithinMicros() / 50.0, random.nextDouble()))
        : random.nextInt(swarm.crashNewLeaderWithinMicros()) * 1_000L;
    at(delayNanos, "crash new leader " + id, () -> {
      if (!stopped) {
        crashNode(id);
      }
    });
  }

  /** After every event: the drill watches its leader's commit index. */
  void afterEvent() {
    if (!stopped && !drill.idle()) {
      drill.afterEvent();
    }
  }

  // ---- faults ------------------------------------------------------------------------------

  private void crash() {
    int n = sim.config().nodeCount();
    if (random.nextInt(8) == 0) {
      int count = n / 2 + 1 + random.nextInt(n - n / 2);
      sim.note("power loss of " + count + " servers");
      for (int id : pick(count)) {
        crashNode(id);
      }
      return;
    }
    int leader = leader();
    crashNode(leader != 0 && random.nextInt(3) == 0 ? leader : 1 + random.nextInt(n));
  }

  private void crashNode(int id) {
    crashNode(id, 5_000_000L + random.nextInt(swarm.figure8() ? 150_000_000
        : random.nextInt(4) == 0 ? 1_500_000_000 : 300_000_000));
  }

  private void crashNode(int id, long downFor) {
    SimNode node = sim.node(id);
    if (!node.up) {
      return;
    }
    sim.note("crash " + id);
    sim.stats().crashes++;
    node.crash();
    at(downFor, "restart " + id, () -> {
      if (!node.up) {
        sim.note("restart " + id);
        node.start();
      }
    });
  }

  private void partition() {
    int n = sim.config().nodeCount();
    boolean[][] cut = new boolean[n + 1][n + 1];
    String shape;
    if (swarm.figure8() && drill.idle() && leader() != 0 && random.nextBoolean()) {
      drill.start(leader());
      return;
    }
    switch (random.nextInt(5)) {
      case 0 -> {
        int victim = random.nextInt(3) == 0 && leader() != 0 ? leader() : 1 + random.nextInt(n);
        for (int o = 1; o <= n; o++) {
          cut[victim][o] = o != victim;
          cut[o][victim] = o != victim;
        }
        shape = "isolate " + victim;
      }
      case 1 -> {
        int a = random.nextInt(3) == 0 && leader() != 0 ? leader() : 1 + random.nextInt(n);
        for (int o = 1; o <= n; o++) {
          if (o != a && random.nextBoolean()) {
            if (random.nextBoolean()) {
              cut[a][o] = true;
            } else {
              cut[o][a] = true;
            }
          }
        }
        shape = "one-way cuts around " + a;
      }
      case 2 -> {
        Set<Integer> side = new TreeSet<>(pick(1 + random.nextInt(n - 1)));
        for (int a = 1; a <= n; a++) {
          for (int b = 1; b <= n; b++) {
            cut[a][b] = side.contains(a) != side.contains(b);
          }
        }
        shape = "split " + side;
      }
      case 3 -> {
        int bridge = 1 + random.nextInt(n);
        Set<Integer> side = new TreeSet<>(pick(1 + random.nextInt(n - 1)));
        side.remove(bridge);
        for (int a = 1; a <= n; a++) {
          for (int b = 1; b <= n; b++) {
            cut[a][b] = a != bridge && b != bridge && side.contains(a) != side.contains(b);
          }
        }
        shape = "bridge " + bridge + " between " + side + " and the rest";
      }
      default -> {
        for (int a = 1; a <= n; a++) {
          for (int b = 1; b <= n; b++) {
            cut[a][b] = a != b && random.nextInt(4) == 0;
          }
        }
        shape = "random asymmetric";
      }
    }
    sim.stats().partitions++;
    sim.network().setCuts(cut);
    sim.note("partition: " + shape + " (" + sim.network().describeCuts() + ")");
    int generation = ++partitionGeneration;
    at(30_000_000L + random.nextInt(900_000_000), "heal partition", () -> {
      if (!stopped && generation == partitionGeneration) {
        sim.network().healAll();
        sim.note("partition healed");
      }
    });
  }

  private void pause() {
    SimNode node = sim.node(random.nextInt(3) == 0 && leader() != 0 ? leader() : 1 + random.nextInt(sim.config().nodeCount()));
    if (!node.up) {
      return;
    }
    long forMs = random.nextInt(5) == 0 ? sim.config().maxSessionTimeoutMs() + random.nextInt(2000) : 10 + random.nextInt(400);
    node.pausedUntilNanos = Math.max(node.pausedUntilNanos, sim.now() + forMs * 1_000_000L);
    sim.stats().pauses++;
    sim.note("pause " + node.id + " for " + forMs + " ms");
  }

  private void drift() {
    SimNode node = sim.node(1 + random.nextInt(sim.config().nodeCount()));
    double ppm = (random.nextDouble() * 2 - 1) * sim.config().maxDriftPpm();
    node.clock.setRate(1.0 + ppm / 1e6);
    sim.note("clock of " + node.id + " drifts " + (long) ppm + " ppm");
  }

  private void transfer() {
    int leader = leader();
    if (leader == 0) {
      return;
    }
    SimNode l = sim.node(leader);
    List<Integer> voters = new ArrayList<>(new TreeSet<>(l.raft().membership().voters()));
    int target = voters.get(random.nextInt(voters.size()));
    sim.schedule(sim.now(), EventQueue.Kind.ADMIN, leader, l.incarnation, "transfer leadership to " + target, () -> {
      if (sim.node(leader).raft().transferLeadership(target)) {
        sim.stats().transfers++;
      }
    });
  }

  /** The learner becomes a voter, or back (single-server changes, thesis §4.1). */
  private void changeMembership() {
    int leader = leader();
    if (leader == 0) {
      return;
    }
    SimNode l = sim.node(leader);
    int extra = sim.config().voters() + 1;
    Membership m = l.raft().membership();
    Set<Integer> voters = new TreeSet<>(m.voters());
    Set<Integer> learners = new TreeSet<>(m.learners());
    if (voters.contains(extra)) {
      if (extra == leader) {
        return;
      }
      voters.remove(extra);
      learners.add(extra);
    } else {
      learners.remove(extra);
      voters.add(extra);
    }
    Membership next = new Membership(voters, learners);
    sim.schedule(sim.now(), EventQueue.Kind.ADMIN, leader, l.incarnation, "propose " + next, () -> {
      if (sim.node(leader).raft().proposeMembership(next) > 0) {
        sim.stats().membershipChanges++;
      }
    });
  }

  private void weather() {
    if (random.nextInt(3) == 0) {
      sim.network().setWeather(SimNetwork.Weather.CALM);
      sim.note("weather calm");
      return;
    }
    long min = 20_000 + random.nextInt(500_000);
    SimNetwork.Weather w = new SimNetwork.Weather(random.nextDouble() * 0.15, min,
        min + random.nextInt(15_000_000), random.nextDouble() * 0.1);
    sim.network().setWeather(w);
    sim.note("weather " + w);
  }

  private void slowDisk() {
    SimNode node = sim.node(1 + random.nextInt(sim.config().nodeCount()));
    boolean slow = random.nextBoolean();
    node.setSlowDisk(slow);
    sim.note("disk of " + node.id + (slow ? " slow" : " fast"));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private int leader() {
    int best = 0;
    long term = -1;
    for (SimNode n : sim.nodes()) {
      if (n.up && n.raft().isLeader() && n.raft().term() > term) {
        best = n.id;
        term = n.raft().term();
      }
    }
    return best;
  }

  /** {@code count} distinct server ids, in random order. */
  private List<Integer> pick(int count) {
    List<Integer> all = new ArrayList<>();
    for (int id = 1; id <= sim.config().nodeCount(); id++) {
      all.add(id);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < count && !all.isEmpty(); i++) {
      out.add(all.remove(random.nextInt(all.size())));
    }
    return out;
  }

  /**
   * Raft's Figure 8, staged (Figure 8 runs only): leader A and one follower B are split from
   * the majority while A's clients keep writing (entries of term t on A and B only); the
   * majority elects C, which is cut off the moment it leads (its no-op of term t+1 stays on C)
   * and crashes; the split heals; when A or B (call it X) leads and its commit index first
   * moves, X and its partner lose power and C comes back. A correct X commits only once its
   * own no-op is on a majority, so C — behind that no-op — cannot win; a leader that commits
   * the term-t entries by counting replicas has told clients they are committed, and C, more
   * up to date than the rest, overwrites them.
   */
  private final class Figure8Drill {
    private static final long STEP_TIMEOUT_NANOS = 1_500_000_000L;

    private enum Step { IDLE, SPLIT, HEALING, AWAIT_SIDE_LEADER, WATCH_COMMIT }

    private Step step = Step.IDLE;
    private final Set<Integer> side = new TreeSet<>();
    private int c;
    private int x;
    private long xCommit;
    private int attempt;

    boolean idle() {
      return step == Step.IDLE;
    }

    void start(int leader) {
      int n = sim.config().nodeCount();
      side.clear();
      side.add(leader);
      side.add(1 + (leader + random.nextInt(n - 1)) % n);
      boolean[][] cut = new boolean[n + 1][n + 1];
      for (int a = 1; a <= n; a++) {
        for (int b = 1; b <= n; b++) {
          cut[a][b] = side.contains(a) != side.contains(b);
        }
      }
      partitionGeneration++;
      sim.stats().partitions++;
      sim.network().setCuts(cut);
      sim.note("figure 8 drill: split leader " + leader + " with " + side + " from the rest");
      enter(Step.SPLIT);
    }

    void onLeader(int id) {
      if (step == Step.SPLIT && !side.contains(id)) {
        c = id;
        int n = sim.config().nodeCount();
        boolean[][] cut = new boolean[n + 1][n + 1];
        for (int a = 1; a <= n; a++) {
          for (int b = 1; b <= n; b++) {
            cut[a][b] = side.contains(a) != side.contains(b) || a == c || b == c;
          }
        }
        sim.network().setCuts(cut);
        sim.note("figure 8 drill: new leader " + c + " cut off");
        enter(Step.HEALING);
        // long enough for C to make its no-op durable, then C goes down until the end
        at(5_000_000L, "figure 8 drill: crash " + c, () -> {
          if (step == Step.HEALING) {
            crashNode(c, Long.MAX_VALUE / 4);
            sim.network().healAll();
            sim.note("figure 8 drill: split healed");
            enter(Step.AWAIT_SIDE_LEADER);
          }
        });
      } else if (step == Step.AWAIT_SIDE_LEADER && side.contains(id)) {
        x = id;
        xCommit = sim.node(id).raft().commitIndex();
        enter(Step.WATCH_COMMIT);
      } else if (step == Step.AWAIT_SIDE_LEADER || step == Step.WATCH_COMMIT) {
        finish("leader " + id + " elected instead");
      }
    }

    void afterEvent() {
      if (step != Step.WATCH_COMMIT) {
        return;
      }
      SimNode leader = sim.node(x);
      if (!leader.up || !leader.raft().isLeader()) {
        finish("leader " + x + " lost its leadership first");
      } else if (leader.raft().commitIndex() > xCommit) {
        sim.note("figure 8 drill: leader " + x + " committed up to " + leader.raft().commitIndex()
            + "; power loss of " + side + ", " + c + " returns");
        for (int id : side) {
          crashNode(id);
        }
        finish("done");
      }
    }

    private void enter(Step next) {
      step = next;
      int mine = ++attempt;
      at(STEP_TIMEOUT_NANOS, "figure 8 drill: timeout", () -> {
        if (mine == attempt && step != Step.IDLE) {
          finish("step " + step + " timed out");
        }
      });
    }

    private void finish(String why) {
      sim.note("figure 8 drill ends: " + why);
      if (step == Step.SPLIT || step == Step.HEALING) {
        sim.network().healAll();
      }
      SimNode held = c == 0 ? null : sim.node(c);
      if (held != null && !held.up) {
        sim.note("restart " + c);
        held.start(); // C was held down for the drill only
      }
      step = Step.IDLE;
      attempt++;
    }
  }

  private void at(long delayNanos, String what, Runnable action) {
    sim.schedule(sim.now() + delayNanos, EventQueue.Kind.NEMESIS, 0, 0, what, action);
  }
}
