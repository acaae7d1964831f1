package io.warden.it.bench;

import io.warden.coordinator.bench.BenchOp;
import io.warden.coordinator.bench.BenchResult;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row group of the side-by-side matrix: a load shape and the numbers reported for it.
 * {@code valueBytes} 0 means the run's default value size.
 */
record BenchCase(String name, BenchOp op, int clients, int inflight, int valueBytes,
    List<Metric> metrics) {
  BenchCase(String name, BenchOp op, int clients, int inflight, List<Metric> metrics) {
    this(name, op, clients, inflight, 0, metrics);
  }

  /** A reported number, which way is better, and the goal for Warden/ZooKeeper. */
  record Metric(String label, ToDoubleFunction<BenchResult> value, boolean higherIsBetter,
      double goalRatio) {
    static Metric p50(double goal) {
      return new Metric("p50 latency (ms)", BenchResult::p50Ms, false, goal);
    }

    static Metric p99(double goal) {
      return new Metric("p99 latency (ms)", BenchResult::p99Ms, false, goal);
    }

    static Metric throughput(double goal) {
      return new Metric("ops/s", BenchResult::opsPerSec, true, goal);
    }

    String goal() {
      return (higherIsBetter ? "≥ " : "≤ ") + Markdown.number(goalRatio) + "×";
    }

    boolean met(double ratio) {
      return higherIsBetter ? ratio >= goalRatio : ratio <= goalRatio;
    }
  }

  /**
   * The matrix of issue 7 that fits a 15-minute run on 2 cores. Goals (Warden/ZooKeeper): write
   * throughput ≥ 2×, read ≥ 1.5×, p99 at 8 × 32 ≤ 0.5×, single-writer p50 ≤ 1× (and reads, by the
   * same measure).
   */
  static List<BenchCase> matrix() {
    return List.of(
        new BenchCase("set 1×1", BenchOp.SET, 1, 1, List.of(Metric.p50(1))),
        new BenchCase("create 1×1", BenchOp.CREATE, 1, 1, List.of(Metric.p50(1))),
        new BenchCase("get 1×1", BenchOp.GET, 1, 1, List.of(Metric.p50(1))),
        new BenchCase("set 8×32", BenchOp.SET, 8, 32, List.of(Metric.throughput(2), Metric.p99(0.5))),
        new BenchCase("create 8×32", BenchOp.CREATE, 8, 32,
            List.of(Metric.throughput(2), Metric.p99(0.5))),
        new BenchCase("get 8×32", BenchOp.GET, 8, 32, List.of(Metric.throughput(1.5), Metric.p99(0.5))),
        new BenchCase("90% get / 10% set 8×32", BenchOp.MIXED, 8, 32,
            List.of(Metric.throughput(1.5), Metric.p99(0.5))),
        new BenchCase("multi (5 sets) 8×32", BenchOp.MULTI, 8, 32,
            List.of(Metric.throughput(2), Metric.p99(0.5))),
        new BenchCase("set 8×32, 4 KB values", BenchOp.SET, 8, 32, 4096,
            List.of(Metric.throughput(2), Metric.p99(0.5))),
        new BenchCase("90% get / 10% set 256×1", BenchOp.MIXED, 256, 1,
            List.of(Metric.throughput(1.5), Metric.p99(0.5))),
        // each request a whole session (connect, create an ephemeral, close); no goal of its own
        // in the issue, so "at least ZooKeeper's"
        new BenchCase("session churn 4×4", BenchOp.SESSION_CHURN, 4, 4,
            List.of(Metric.throughput(1), Metric.p99(1))));
  }
}
