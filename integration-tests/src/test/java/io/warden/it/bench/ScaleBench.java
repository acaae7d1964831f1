package io.warden.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.brokersim.scale.ScaleRun;
import io.warden.it.bench.BenchCluster.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * broker-sim's scale run against Apache ZooKeeper and Warden in one run: 1,000 simulated brokers
 * (1,000 sessions) in this JVM, partitions grown to 1k, 10k and 100k, the controller killed
 * three times at each size ({@link ScaleRun}: from its session gone to a new controller with
 * every partition led). Each server is a 3-node ensemble of separate JVMs from the same zoo.cfg
 * and heap ({@link BenchCluster}); only one runs at a time — a thousand sessions and 100,000
 * partitions each would make two compete for the machine's cores — and with {@code
 * scale.rounds} > 1 the order flips every round. Writes target/bench/SCALE.md. Not in the
 * default build: the {@code bench} profile runs it (README, "Scale").
 *
 * <p>System properties: {@code scale.brokers} (1000), {@code scale.partitions}
 * ("1000,10000,100000"), {@code scale.failovers} (3 per size), {@code scale.rounds} (1),
 * {@code scale.seed} (random, printed).
 */
class ScaleBench {
  private static final Path OUT = Path.of("target", "bench");
  private static final int BROKERS = Integer.getInteger("scale.brokers", 1000);
  private static final List<Integer> PARTITIONS = Arrays.stream(
      System.getProperty("scale.partitions", "1000,10000,100000").split(",")).map(Integer::valueOf).toList();
  private static final int FAILOVERS = Integer.getInteger("scale.failovers", 3);
  private static final int ROUNDS = Integer.getInteger("scale.rounds", 1);
  /** Kafka's default zookeeper.session.timeout.ms. */
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(18);

  @Test
  @Timeout(value = 90, unit = TimeUnit.MINUTES)
  void scale() throws Exception {
    Path jar = BenchCluster.wardenJar();
    Path logback = BenchCluster.zooKeeperLogback(OUT);
    long seed = Long.getLong("scale.seed", System.nanoTime());
    System.out.println("ScaleBench seed " + seed + " (replay: -Dscale.seed=" + seed + ")");
    Instant started = Instant.now();
    String loadAtStart = BenchMachine.loadAverage();
    Map<Kind, List<ScaleRun.Step>> runs = new EnumMap<>(Kind.class);
    for (int round = 0; round < ROUNDS; round++) {
      List<Kind> order = round % 2 == 0 ? List.of(Kind.ZOOKEEPER, Kind.WARDEN) : List.of(Kind.WARDEN, Kind.ZOOKEEPER);
      for (Kind kind : order) {
        runs.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(runOne(kind, jar, logback, seed + round));
      }
    }
    String report = report(started, loadAtStart, seed, runs);
    Files.writeString(OUT.resolve("SCALE.md"), report);
    System.out.println(report);
    for (var e : runs.entrySet()) {
      for (ScaleRun.Step step : e.getValue()) {
        assertThat(step.violations()).as("%s at %d partitions", e.getKey().label, step.partitions()).isEmpty();
      }
    }
  }

  private static List<ScaleRun.Step> runOne(Kind kind, Path jar, Path logback, long seed) throws Exception {
    try (BenchCluster cluster = BenchCluster.create(kind, OUT.resolve("scale-" + kind.name().toLowerCase()), 3,
        jar, logback)) {
      cluster.startAll();
      String connect = cluster.followersFirst(cluster.awaitStable(Duration.ofSeconds(90)));
      ScaleRun.Settings settings = new ScaleRun.Settings(connect, BROKERS, PARTITIONS, 100, 3, FAILOVERS,
          SESSION_TIMEOUT, seed);
      return new ScaleRun(settings, line -> System.out.println(kind.label + ": " + line)).run();
    }
  }

  private static String report(Instant started, String loadAtStart, long seed, Map<Kind, List<ScaleRun.Step>> runs)
      throws Exception {
    StringBuilder md = new StringBuilder("# broker-sim at scale: controller failover, Warden vs Apache ZooKeeper\n\n");
    md.append(BenchMachine.describe(started, loadAtStart));
    md.append("- servers: 3 nodes each, one JVM per node (").append(String.join(" ", BenchCluster.HEAP))
        .append("), the same zoo.cfg (tickTime=2000, fsync on), loopback; one ensemble at a time\n");
    md.append("- fleet: ").append(BROKERS).append(" brokers (as many sessions, ").append(SESSION_TIMEOUT.toSeconds())
        .append(" s timeout) in the benchmark's JVM; topics of 100 partitions, replication factor 3;"
            + " the controller pipelines its reads and writes 10 at a time (Kafka's"
            + " zookeeper.max.in.flight.requests); seed ").append(seed).append('\n');
    md.append("- failover: the active controller's session is closed; timed from its /controller znode's"
        + " deletion (a watch) until the new controller has loaded every topic and partition and counts none"
        + " offline; each then checked by reading every partition state back; ").append(FAILOVERS)
        .append(" per size").append(ROUNDS > 1 ? ", " + ROUNDS + " rounds alternating which server goes first" : "")
        .append("\n\n");
    md.append("| partitions | ZooKeeper failover, median (runs) | Warden failover, median (runs) | Warden / ZooKeeper "
        + "| creation ZooKeeper / Warden |\n|---:|---:|---:|---:|---:|\n");
    for (int partitions : PARTITIONS) {
      List<ScaleRun.Step> zk = stepsAt(runs.get(Kind.ZOOKEEPER), partitions);
      List<ScaleRun.Step> w = stepsAt(runs.get(Kind.WARDEN), partitions);
      long zkMedian = median(zk.stream().flatMap(s -> s.failoverMs().stream()).toList());
      long wMedian = median(w.stream().flatMap(s -> s.failoverMs().stream()).toList());
      md.append(String.format("| %,d | %,d ms (%s) | %,d ms (%s) | %.2f× | %,d / %,d ms |%n", partitions, zkMedian,
          runsOf(zk), wMedian, runsOf(w), (double) wMedian / zkMedian, zk.get(0).createMs(), w.get(0).createMs()));
    }
    md.append("\nThe fleet's JVM at the last size: ");
    for (var e : runs.entrySet()) {
      ScaleRun.Step last = e.getValue().get(e.getValue().size() - 1);
      md.append(String.format("%s run %d threads, %,d MB heap in use; ", e.getKey().label, last.fleetThreads(),
          last.fleetHeapMb()));
    }
    md.append("\n");
    return md.toString();
  }

  private static List<ScaleRun.Step> stepsAt(List<ScaleRun.Step> steps, int partitions) {
    return steps.stream().filter(s -> s.partitions() == partitions).toList();
  }

  private static String runsOf(List<ScaleRun.Step> steps) {
    return steps.stream().flatMap(s -> s.failoverMs().stream()).map(ms -> String.format("%,d", ms))
        .collect(Collectors.joining(", "));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
