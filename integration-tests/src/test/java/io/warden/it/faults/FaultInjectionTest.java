package io.warden.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.warden.it.ensemble.ProcessEnsemble;
import io.warden.it.history.Anomaly;
import io.warden.it.history.AnomalyInjector;
import io.warden.it.history.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection suite on real processes (no Docker): three Warden servers on loopback, a
 * TCP proxy on every directed peer link, the official ZooKeeper client and Warden's own client
 * running the register (sync before linearizable reads), set, unique-id, counter (multi),
 * queue, ephemeral and watch workloads while kill -9, SIGSTOP/SIGCONT and partitions (isolated node,
 * isolated leader, one-way, bridge; dropped or black-holed) or slow links (20–200 ms added each
 * way) hit leader and followers. Each run's history
 * goes through the checkers of {@code io.warden.it.history}; the test prints one {@code FAULTS}
 * line and asserts zero anomalies.
 *
 * <p>Properties: {@code -Dwarden.faults.ops=N} operations in all (default 9,300; 100000 for the
 * long version), {@code -Dwarden.faults.runs=R} runs (default 3), at least {@code -Dwarden.faults.cycles=C} cycles of
 * kill, pause and partition per run (default 2), {@code -Dwarden.faults.seed=S}
 * replays the faults' choices (thread timing is not replayable; the seed makes the fault schedule
 * the same).
 */
class FaultInjectionTest {
  @TempDir
  Path dir;

  /**
   * Bounded by 10 minutes plus a second per 100 operations (the default run took 85 s on a busy
   * 2-core machine, 100,000 operations 126 s), enforced preemptively; the annotation is only a
   * backstop for runs of millions of operations.
   */
  @Test
  @Timeout(value = 24, unit = TimeUnit.HOURS)
  void killPausePartitionRunsProduceHistoriesWithNoAnomaly() {
    int totalOps = Integer.getInteger("warden.faults.ops", 9_300);
    assertTimeoutPreemptively(Duration.ofMinutes(10).plusSeconds(totalOps / 100), () -> runAll(totalOps));
  }

  private void runAll(int totalOps) throws Exception {
    int runs = Integer.getInteger("warden.faults.runs", 3);
    int cycles = Integer.getInteger("warden.faults.cycles", 2);
    long seed = Long.getLong("warden.faults.seed", System.nanoTime());
    System.out.println("FaultInjectionTest: " + runs + " runs, " + totalOps + " ops, seed " + seed
        + " (replay: -Dwarden.faults.seed=" + seed + ")");
    Random random = new Random(seed);
    long started = System.nanoTime();
    int ops = 0;
    int ok = 0;
    int failed = 0;
    int indeterminate = 0;
    Map<String, Integer> faults = new TreeMap<>();
    Map<Op.Kind, Long> kinds = new TreeMap<>();
    Map<Anomaly.Kind, Long> anomalies = new TreeMap<>();
    StringBuilder findings = new StringBuilder();
    try (ProcessEnsemble e = ProcessEnsemble.create(dir, 3, Map.of("tickTime", "1000"), PeerProxies.ROUTES);
        PeerProxies proxies = new PeerProxies(e)) {
      e.startAll();
      e.awaitStable(Duration.ofSeconds(90));
      for (int r = 1; r <= runs; r++) {
        FaultRun.Result res = new FaultRun(e, proxies, "/run" + r, new Random(random.nextLong())).run(totalOps / runs,
            cycles);
        System.out.println("fault run " + r + ": ops=" + res.ops() + " " + res.byKind() + " ok=" + res.ok() + " failed=" + res.failed()
            + " indeterminate=" + res.indeterminate() + " observations=" + res.observations() + " watch_events="
            + res.watchEvents() + " faults=" + res.faults() + " wgl_checked=" + res.verdict().wglChecked()
            + " wgl_gave_up=" + res.verdict().wglGaveUp() + " unexpected_expiries=" + res.unexpectedExpiries()
            + " anomalies=" + res.verdict().anomalies().size() + " planted_caught=" + (res.planted()
            - res.plantedMissed().size()) + "/" + res.planted() + "\n" + res.faultLog().indent(2));
        assertThat(res.plantedMissed()).as("anomalies planted into run %d's history that the checkers missed", r)
            .isEmpty();
        assertThat(res.planted()).as("anomaly kinds planted into the real history").isEqualTo(
            AnomalyInjector.Planted.values().length);
        ops += res.ops();
        ok += res.ok();
        failed += res.failed();
        indeterminate += res.indeterminate();
        res.faults().forEach((k, v) -> faults.merge(k, v, Integer::sum));
        res.byKind().forEach((k, v) -> kinds.merge(k, v, Long::sum));
        res.verdict().byKind().forEach((k, v) -> anomalies.merge(k, v, Long::sum));
        String run = "run " + r + ": ";
        res.verdict().anomalies().stream().limit(20).forEach(a -> findings.append(run).append(a).append('\n'));
      }
    }
    long total = anomalies.values().stream().mapToLong(Long::longValue).sum();
    System.out.println("FAULTS runs=" + runs + " ops=" + ops + " ok=" + ok + " failed=" + failed + " indeterminate="
        + indeterminate + " faults=" + faults.entrySet().stream().map(x -> x.getKey() + ":" + x.getValue())
        .collect(Collectors.joining(",")) + " anomalies=" + total
        + " lost_acked=" + anomalies.getOrDefault(Anomaly.Kind.LOST_ACKED, 0L)
        + " duplicate_ids=" + anomalies.getOrDefault(Anomaly.Kind.DUPLICATE_ID, 0L)
        + " leaked_ephemerals=" + anomalies.getOrDefault(Anomaly.Kind.LEAKED_EPHEMERAL, 0L)
        + " watch_order_violations=" + anomalies.getOrDefault(Anomaly.Kind.WATCH_ORDER, 0L)
        + " seconds=" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    assertThat(findings.toString()).as("anomalies (seed " + seed + ")").isEmpty();
    assertThat(total).isZero();
    assertThat(ops).isGreaterThanOrEqualTo(totalOps);
    assertThat(faults).containsKeys("kill", "pause", "partition");
    assertThat(faults.values()).allMatch(n -> n >= runs * cycles);
    assertThat(kinds).as("every workload ran").containsOnlyKeys(Op.Kind.values());
  }
}
