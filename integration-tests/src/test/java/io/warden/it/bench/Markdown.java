package io.warden.it.bench;

import io.warden.coordinator.bench.BenchResult;
import io.warden.it.bench.BenchCluster.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** RESULTS.md: medians side by side with the ratio and the goal, then every run. */
final class Markdown {
  /**
   * One kill -9 under write load: of the leader (gap = longest time without any acknowledged
   * write; election = until a survivor reports leader) or of the follower with the most of the
   * load's sessions (gap = the longest any one session waited; no election, NaN).
   */
  record Failover(double gapMs, double electionMs, long errors, long ops) {
  }

  private Markdown() {
  }

  static String results(String header, Map<BenchCase, Map<Kind, List<BenchResult>>> matrix,
      Map<Kind, List<Failover>> failovers, Map<Kind, List<Failover>> followerFailovers, List<String> problems) {
    StringBuilder sb = new StringBuilder(header).append('\n');
    sb.append("| case | metric | ZooKeeper | Warden | Warden/ZooKeeper | goal | met |\n");
    sb.append("|---|---|---:|---:|---:|---|---|\n");
    matrix.forEach((c, byKind) -> {
      for (BenchCase.Metric m : c.metrics()) {
        double zk = median(byKind.get(Kind.ZOOKEEPER), m);
        double warden = median(byKind.get(Kind.WARDEN), m);
        double ratio = warden / zk;
        sb.append(row(c.name(), m.label(), number(zk), number(warden), ratio(ratio), m.goal(),
            m.met(ratio) ? "yes" : "**no**"));
      }
    });
    if (!failovers.isEmpty()) {
      double zkGap = median(failovers.get(Kind.ZOOKEEPER), Failover::gapMs);
      double wGap = median(failovers.get(Kind.WARDEN), Failover::gapMs);
      sb.append(row("kill -9 leader", "longest gap between acked writes (ms)", number(zkGap),
          number(wGap), ratio(wGap / zkGap), "≤ 1×", wGap <= zkGap ? "yes" : "**no**"));
      double zkElection = median(failovers.get(Kind.ZOOKEEPER), Failover::electionMs);
      double wElection = median(failovers.get(Kind.WARDEN), Failover::electionMs);
      sb.append(row("kill -9 leader", "until a survivor reports leader (ms)", number(zkElection),
          number(wElection), ratio(wElection / zkElection), "–", "–"));
    }
    if (!followerFailovers.isEmpty()) {
      double zkGap = median(followerFailovers.get(Kind.ZOOKEEPER), Failover::gapMs);
      double wGap = median(followerFailovers.get(Kind.WARDEN), Failover::gapMs);
      sb.append(row("kill -9 the clients' follower", "longest gap of one session (ms)", number(zkGap),
          number(wGap), ratio(wGap / zkGap), "≤ 1×", wGap <= zkGap ? "yes" : "**no**"));
    }
    sb.append("\nEvery run, in run order (ops/s \\| p50 ms \\| p99 ms, errors):\n\n");
    sb.append("| case | ZooKeeper | Warden |\n|---|---|---|\n");
    matrix.forEach((c, byKind) -> sb.append(row(c.name(), runs(byKind.get(Kind.ZOOKEEPER)),
        runs(byKind.get(Kind.WARDEN)))));
    if (!failovers.isEmpty()) {
      sb.append(row("kill -9 leader (gap ms / election ms, errors)",
          failovers(failovers.get(Kind.ZOOKEEPER)), failovers(failovers.get(Kind.WARDEN))));
    }
    if (!followerFailovers.isEmpty()) {
      sb.append(row("kill -9 the clients' follower (session gap ms, errors)",
          failovers(followerFailovers.get(Kind.ZOOKEEPER)), failovers(followerFailovers.get(Kind.WARDEN))));
    }
    if (!problems.isEmpty()) {
      sb.append("\nProblems (runs with failed requests, no progress or a leader change):\n\n");
      problems.forEach(p -> sb.append("- ").append(p).append('\n'));
    }
    return sb.toString();
  }

  private static String runs(List<BenchResult> results) {
    return results.stream().map(r -> String.format(Locale.ROOT, "%s \\| %s \\| %s, %d",
        number(r.opsPerSec()), number(r.p50Ms()), number(r.p99Ms()), r.errorCount()))
        .collect(Collectors.joining("; "));
  }

  private static String failovers(List<Failover> runs) {
    return runs.stream().map(f -> Double.isNaN(f.electionMs())
        ? String.format(Locale.ROOT, "%s, %d", number(f.gapMs()), f.errors())
        : String.format(Locale.ROOT, "%s / %s, %d", number(f.gapMs()), number(f.electionMs()), f.errors()))
        .collect(Collectors.joining("; "));
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static double median(List<BenchResult> results, BenchCase.Metric m) {
    return median(results.stream().mapToDouble(m.value()).toArray());
  }

  private static <T> double median(List<T> runs, java.util.function.ToDoubleFunction<T> f) {
    return median(runs.stream().mapToDouble(f).toArray());
  }

  /** The middle value; the mean of the two middle ones for an even count. */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f×", r);
  }

  /** Three significant digits, no exponent: 0.812, 12.3, 10400. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    double abs = Math.abs(v);
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (abs >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
