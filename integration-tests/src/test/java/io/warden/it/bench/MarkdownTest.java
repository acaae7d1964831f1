package io.warden.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.bench.BenchOp;
import io.warden.coordinator.bench.BenchResult;
import io.warden.it.bench.BenchCluster.Kind;
import io.warden.it.bench.Markdown.Failover;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's report (the benchmark itself runs only in the bench profile). */
class MarkdownTest {
  private static BenchResult result(double opsPerSec, double p50Ms, double p99Ms, long errors) {
    return new BenchResult(BenchOp.SET, 8, 32, 1024, Math.round(opsPerSec * 2), 2.0, p50Ms, p50Ms,
        p99Ms, p99Ms, p99Ms, errors == 0 ? Map.of() : Map.of("CONNECTION_LOSS", errors), 1.0, 1.0);
  }

  @Test
  void medianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
    assertThat(Markdown.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Markdown.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(Markdown.median(new double[0])).isNaN();
  }

  @Test
  void numbersKeepAboutThreeSignificantDigits() {
    assertThat(Markdown.number(0.8123)).isEqualTo("0.812");
    assertThat(Markdown.number(12.34)).isEqualTo("12.3");
    assertThat(Markdown.number(10412.7)).isEqualTo("10413");
    assertThat(Markdown.ratio(2.256)).isEqualTo("2.26×");
  }

  @Test
  void tableHasMediansRatiosGoalsEveryRunAndTheProblems() {
    BenchCase set = new BenchCase("set 8×32", BenchOp.SET, 8, 32,
        List.of(BenchCase.Metric.throughput(2), BenchCase.Metric.p99(0.5)));
    Map<BenchCase, Map<Kind, List<BenchResult>>> matrix = Map.of(set, Map.of(
        Kind.ZOOKEEPER, List.of(result(1000, 1, 10, 0), result(3000, 1, 30, 0), result(2000, 1, 20, 0)),
        Kind.WARDEN, List.of(result(5000, 1, 4, 0), result(4000, 1, 5, 0), result(6000, 1, 6, 2))));
    Map<Kind, List<Failover>> failovers = Map.of(
        Kind.ZOOKEEPER, List.of(new Failover(1200, 1000, 80, 100)),
        Kind.WARDEN, List.of(new Failover(600, 400, 40, 100)));
    Map<Kind, List<Failover>> followers = Map.of(
        Kind.ZOOKEEPER, List.of(new Failover(900, Double.NaN, 30, 100), new Failover(700, Double.NaN, 20, 100)),
        Kind.WARDEN, List.of(new Failover(1000, Double.NaN, 10, 100), new Failover(1400, Double.NaN, 12, 100)));

    String md = Markdown.results("# header\n", matrix, failovers, followers, List.of("Warden, set 8×32: errors"));

    assertThat(md).startsWith("# header\n")
        .contains("| set 8×32 | ops/s | 2000 | 5000 | 2.50× | ≥ 2.00× | yes |")
        .contains("| set 8×32 | p99 latency (ms) | 20.0 | 5.00 | 0.25× | ≤ 0.500× | yes |")
        .contains("| kill -9 leader | longest gap between acked writes (ms) | 1200 | 600 | 0.50× | ≤ 1× | yes |")
        .contains("| kill -9 the clients' follower | longest gap of one session (ms) | 800 | 1200 | 1.50× | ≤ 1× | **no** |")
        .contains("| kill -9 the clients' follower (session gap ms, errors) | 900, 30; 700, 20 | 1000, 10; 1400, 12 |")
        .contains("6000 \\| 1.00 \\| 6.00, 2")
        .contains("- Warden, set 8×32: errors");
  }

  @Test
  void aMissedGoalIsMarked() {
    BenchCase get = new BenchCase("get 1×1", BenchOp.GET, 1, 1, List.of(BenchCase.Metric.p50(1)));
    Map<BenchCase, Map<Kind, List<BenchResult>>> matrix = Map.of(get, Map.of(
        Kind.ZOOKEEPER, List.of(result(100, 0.5, 1, 0)), Kind.WARDEN, List.of(result(100, 1.0, 1, 0))));

    String md = Markdown.results("", matrix, Map.of(), Map.of(), List.of());

    assertThat(md).contains("| get 1×1 | p50 latency (ms) | 0.500 | 1.00 | 2.00× | ≤ 1.00× | **no** |")
        .doesNotContain("kill -9").doesNotContain("Problems");
  }
}
