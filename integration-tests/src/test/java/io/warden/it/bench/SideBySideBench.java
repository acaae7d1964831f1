package io.warden.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.admin.WardenVersion;
import io.warden.coordinator.bench.BenchOp;
import io.warden.coordinator.bench.BenchResult;
import io.warden.coordinator.bench.BenchSettings;
import io.warden.coordinator.bench.LoadRun;
import io.warden.it.bench.BenchCluster.Kind;
import io.warden.it.bench.Markdown.Failover;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Apache ZooKeeper and Warden side by side on this machine: two 3-node ensembles of separate
 * JVMs (same zoo.cfg, same heap, fsync on), the same load tool ({@code warden bench}'s LoadRun,
 * in this JVM) against each in alternation, medians of the repetitions, and
 * target/bench/RESULTS.md. Not part of the default build: its name matches no surefire include;
 * the {@code bench} profile runs it (see README, "Benchmark").
 *
 * <p>System properties: {@code bench.seconds} per run (8), {@code bench.reps} (3),
 * {@code bench.failoverReps} (5, 0 = no failover), {@code bench.valueBytes} (1024).
 *
 * <p>Fairness: both ensembles are up for the whole run (an idle one costs little) and each case
 * runs against both back to back, in an order that flips every repetition. Pinned sessions go
 * to the followers first, so the 1×1 cases measure a follower-connected client on both, and
 * 8 sessions spread 3/3/2 over follower/follower/leader on both.
 */
class SideBySideBench {
  private static final Path OUT = Path.of("target", "bench");
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
  private static final int REPS = Integer.getInteger("bench.reps", 3);
  private static final int FAILOVER_REPS = Integer.getInteger("bench.failoverReps", 5);
  private static final int FOLLOWER_FAILOVER_REPS = Integer.getInteger("bench.followerFailoverReps", 2);
  private static final int VALUE_BYTES = Integer.getInteger("bench.valueBytes", 1024);
  /** Into the failover run, when the leader is killed. */
  private static final Duration KILL_AFTER = Duration.ofSeconds(3);

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES) // the shared default (3 min) is for tests, not this
  void sideBySide() throws Exception {
    Path jar = BenchCluster.wardenJar();
    Path logback = BenchCluster.zooKeeperLogback(OUT);
    Path runLog = OUT.resolve("runs.jsonl");
    Files.deleteIfExists(runLog);
    Instant started = Instant.now();
    String loadAtStart = BenchMachine.loadAverage();

    Map<Kind, BenchCluster> clusters = new EnumMap<>(Kind.class);
    try {
      for (Kind kind : Kind.values()) {
        BenchCluster c = BenchCluster.create(kind, OUT.resolve(kind.name().toLowerCase()), 3, jar, logback);
        clusters.put(kind, c);
        c.startAll();
      }
      for (BenchCluster c : clusters.values()) {
        c.awaitStable(SETTLE);
      }
      warmUp(clusters);
      List<String> problems = new ArrayList<>();
      Map<BenchCase, Map<Kind, List<BenchResult>>> matrix = runMatrix(clusters, runLog, problems);
      Map<Kind, List<Failover>> failovers = new EnumMap<>(Kind.class);
      for (int rep = 0; rep < FAILOVER_REPS; rep++) {
        for (Kind kind : order(rep)) {
          Failover f = failover(clusters.get(kind));
          log(runLog, kind, "failover", String.format("{\"gapMs\":%.1f,\"electionMs\":%.1f,\"errors\":%d,\"ops\":%d}",
              f.gapMs(), f.electionMs(), f.errors(), f.ops()));
          failovers.computeIfAbsent(kind, k -> new ArrayList<>()).add(f);
          if (f.ops() == 0) {
            problems.add(kind.label + ": no write acknowledged in failover run " + (rep + 1));
          }
        }
      }
      Map<Kind, List<Failover>> followerFailovers = new EnumMap<>(Kind.class);
      for (int rep = 0; rep < FOLLOWER_FAILOVER_REPS; rep++) {
        for (Kind kind : order(rep)) {
          Failover f = followerFailover(clusters.get(kind));
          log(runLog, kind, "follower-failover", String.format("{\"sessionGapMs\":%.1f,\"errors\":%d,\"ops\":%d}",
              f.gapMs(), f.errors(), f.ops()));
          followerFailovers.computeIfAbsent(kind, k -> new ArrayList<>()).add(f);
          if (f.ops() == 0) {
            problems.add(kind.label + ": no write acknowledged in follower failover run " + (rep + 1));
          }
        }
      }
      String results = Markdown.results(header(started, loadAtStart), matrix, failovers, followerFailovers,
          problems);
      Files.writeString(OUT.resolve("RESULTS.md"), results);
      System.out.println(results);
      // after the table is written: a run with failed requests is a finding, and fails the build
      assertThat(problems).as("runs with failed requests, no progress or a leader change").isEmpty();
    } finally {
      clusters.values().forEach(BenchCluster::close);
    }
  }

  /** One short unmeasured pass per ensemble, so neither server's JIT is cold for the first case. */
  private static void warmUp(Map<Kind, BenchCluster> clusters) throws Exception {
    for (BenchCluster c : clusters.values()) {
      String connect = c.followersFirst(c.awaitStable(SETTLE));
      for (BenchOp op : List.of(BenchOp.SET, BenchOp.GET, BenchOp.CREATE)) {
        LoadRun.run(settings(connect, op, 8, 32).withDuration(Duration.ofSeconds(3)));
      }
    }
  }

  private static Map<BenchCase, Map<Kind, List<BenchResult>>> runMatrix(
      Map<Kind, BenchCluster> clusters, Path runLog, List<String> problems) throws Exception {
    Map<BenchCase, Map<Kind, List<BenchResult>>> matrix = new LinkedHashMap<>();
    for (int rep = 0; rep < REPS; rep++) {
      for (BenchCase c : BenchCase.matrix()) {
        for (Kind kind : order(rep)) {
          BenchCluster cluster = clusters.get(kind);
          int leader = cluster.awaitStable(SETTLE);
          BenchSettings s = settings(cluster.followersFirst(leader), c.op(), c.clients(), c.inflight());
          BenchResult r = LoadRun.run(c.valueBytes() > 0 ? s.withValueBytes(c.valueBytes()) : s);
          int leaderAfter = cluster.awaitStable(SETTLE);
          log(runLog, kind, c.name(), r.toJson());
          if (r.errorCount() > 0 || r.ops() == 0 || leaderAfter != leader) {
            problems.add(String.format("%s, %s, repetition %d: %d ok, errors %s%s", kind.label,
                c.name(), rep + 1, r.ops(), r.errors(), leaderAfter != leader
                    ? ", leader changed from server " + leader + " to " + leaderAfter : ""));
          }
          matrix.computeIfAbsent(c, k -> new EnumMap<>(Kind.class))
              .computeIfAbsent(kind, k -> new ArrayList<>()).add(r);
        }
      }
    }
    return matrix;
  }

  private static List<Kind> order(int rep) {
    return rep % 2 == 0 ? List.of(Kind.ZOOKEEPER, Kind.WARDEN) : List.of(Kind.WARDEN, Kind.ZOOKEEPER);
  }

  private static BenchSettings settings(String connect, BenchOp op, int clients, int inflight) {
    return BenchSettings.of(connect, op).withLoad(clients, inflight).withValueBytes(VALUE_BYTES)
        .withDuration(Duration.ofSeconds(SECONDS)).withPin(true);
  }

  /**
   * Writes from 4 sessions × 8 in flight, sessions spread at random over all members (they must
   * be free to fail over); {@link #KILL_AFTER} into the run the leader gets kill -9. The gap is
   * the longest time without any acknowledged write; the election time is from the kill until a
   * survivor's {@code srvr} says leader (polled every 10 ms). The killed member is restarted and
   * the ensemble settles before the next run.
   */
  private static Failover failover(BenchCluster cluster) throws Exception {
    int leader = cluster.awaitStable(SETTLE);
    String connect = cluster.followersFirst(leader);
    AtomicReference<ScheduledFuture<Double>> election = new AtomicReference<>();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    BenchResult r;
    try {
      BenchSettings s = BenchSettings.of(connect, BenchOp.SET).withLoad(4, 8)
          .withValueBytes(VALUE_BYTES).withDuration(Duration.ofSeconds(Math.max(SECONDS, 10)));
      r = LoadRun.run(s, () -> election.set(scheduler.schedule(() -> killAndTimeElection(cluster, leader),
          KILL_AFTER.toMillis(), TimeUnit.MILLISECONDS)));
      double electionMs = election.get().get(SETTLE.toSeconds(), TimeUnit.SECONDS);
      cluster.server(leader).start();
      cluster.awaitStable(SETTLE);
      return new Failover(r.maxAckGapMs(), electionMs, r.errorCount(), r.ops());
    } finally {
      scheduler.shutdownNow();
    }
  }

  /**
   * Writes from 8 sessions × 4 in flight, free to move; {@link #KILL_AFTER} into the run the
   * follower serving the most of them gets kill -9. The figure is the longest any one session
   * went without an acknowledged write: how long a client whose server died is stalled while
   * it finds another one and resumes its session there.
   */
  private static Failover followerFailover(BenchCluster cluster) throws Exception {
    int leader = cluster.awaitStable(SETTLE);
    String connect = cluster.followersFirst(leader);
    AtomicReference<ScheduledFuture<Integer>> killed = new AtomicReference<>();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      BenchSettings s = BenchSettings.of(connect, BenchOp.SET).withLoad(8, 4)
          .withValueBytes(VALUE_BYTES).withDuration(Duration.ofSeconds(Math.max(SECONDS, 10)));
      BenchResult r = LoadRun.run(s, () -> killed.set(scheduler.schedule(() -> {
        int victim = 0;
        for (int id = 1; id <= 3; id++) {
          if (id != leader && (victim == 0 || cluster.server(id).connections() > cluster.server(victim).connections())) {
            victim = id;
          }
        }
        cluster.server(victim).kill();
        return victim;
      }, KILL_AFTER.toMillis(), TimeUnit.MILLISECONDS)));
      int victim = killed.get().get(SETTLE.toSeconds(), TimeUnit.SECONDS);
      cluster.server(victim).start();
      cluster.awaitStable(SETTLE);
      return new Failover(r.maxSessionGapMs(), Double.NaN, r.errorCount(), r.ops());
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static double killAndTimeElection(BenchCluster cluster, int leader) {
    long killed = System.nanoTime();
    cluster.server(leader).kill();
    await().atMost(SETTLE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
        .until(() -> {
          for (int id = 1; id <= 3; id++) {
            if (id != leader && cluster.server(id).mode().equals("leader")) {
              return true;
            }
          }
          return false;
        });
    return (System.nanoTime() - killed) / 1e6;
  }

  private static void log(Path runLog, Kind kind, String name, String json) throws IOException {
    // the end time lets a run be matched with the servers' logs
    String line = "{\"at\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\",\"server\":\"" + kind.label
        + "\",\"case\":\"" + name + "\",\"result\":" + json + "}\n";
    System.out.print(line);
    Files.writeString(runLog, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String header(Instant started, String loadAtStart) throws IOException {
    return "# Warden vs Apache ZooKeeper, side by side\n\n"
        + BenchMachine.describe(started, loadAtStart)
        + "- servers: Apache ZooKeeper " + org.apache.zookeeper.Version.getFullVersion()
        + " and Warden " + WardenVersion.get() + ", 3 nodes each, one JVM per node ("
        + String.join(" ", BenchCluster.HEAP) + "), the same zoo.cfg (tickTime=2000, fsync on), loopback\n"
        + "- load: warden bench (Warden's async client) in one further JVM; " + VALUE_BYTES
        + "-byte values unless the case says otherwise; " + SECONDS + " s per run, no warm-up per run (one 3 s pass of set, get,"
        + " create per ensemble first); N×K = N sessions × K requests in flight each, sessions"
        + " pinned to followers first; " + REPS + " repetitions alternating which server goes"
        + " first; medians\n"
        + "- failover: 4×8 sets, kill -9 of the leader " + KILL_AFTER.toSeconds() + " s in, "
        + FAILOVER_REPS + " times per server; errors during a failover are expected (connection loss)\n"
        + "- follower failover: 8×4 sets, sessions free to move; kill -9 of the follower with the most"
        + " connections " + KILL_AFTER.toSeconds() + " s in, " + FOLLOWER_FAILOVER_REPS + " times per server;"
        + " the figure is the longest any one session went without an acknowledged write\n";
  }
}
