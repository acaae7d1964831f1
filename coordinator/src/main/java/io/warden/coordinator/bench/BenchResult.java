package io.warden.coordinator.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run. Latencies are in milliseconds, measured by the client from
 * sending a request to its completion (closed loop: a slow reply delays the next request, so
 * the percentiles do not include queueing that never happened).
 *
 * @param ops          requests sent and answered successfully within the measured interval
 * @param seconds      the measured interval
 * @param errors       failed requests over the whole run (warmup included), by error code
 * @param maxAckGapMs  the longest time without any successful reply in the measured interval
 *                     (a stall detector: the failover gap when a server is killed)
 * @param maxSessionGapMs the longest time any one session went without a successful reply in
 *                     the measured interval: what a client sees when its own server dies while
 *                     the others carry on
 */
public record BenchResult(BenchOp op, int clients, int inflight, int valueBytes, long ops,
    double seconds, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
    Map<String, Long> errors, double maxAckGapMs, double maxSessionGapMs) {
  public BenchResult {
    errors = Map.copyOf(errors);
  }

  static BenchResult of(BenchSettings s, Histogram latencyMicros, double seconds,
      Map<String, Long> errors, long maxAckGapNanos, long maxSessionGapNanos) {
    return new BenchResult(s.op(), s.clients(), s.inflight(), s.valueBytes(),
        latencyMicros.getTotalCount(), seconds, ms(latencyMicros, 50), ms(latencyMicros, 90),
        ms(latencyMicros, 99), ms(latencyMicros, 99.9), latencyMicros.getMaxValue() / 1000.0,
        errors, maxAckGapNanos / 1e6, maxSessionGapNanos / 1e6);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  public double opsPerSec() {
    return ops / seconds;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** One JSON object on one line. */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("op", op.cliName());
    root.put("clients", clients);
    root.put("inflight", inflight);
    root.put("sizeBytes", valueBytes);
    root.put("seconds", seconds);
    root.put("ops", ops);
    root.put("opsPerSec", round(opsPerSec()));
    ObjectNode latency = root.putObject("latencyMs");
    latency.put("p50", p50Ms);
    latency.put("p90", p90Ms);
    latency.put("p99", p99Ms);
    latency.put("p999", p999Ms);
    latency.put("max", maxMs);
    root.put("maxAckGapMs", round(maxAckGapMs));
    root.put("maxSessionGapMs", round(maxSessionGapMs));
    root.put("errors", errorCount());
    ObjectNode byCode = root.putObject("errorsByCode");
    new TreeMap<>(errors).forEach(byCode::put);
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of numbers and strings always serializes", e);
    }
  }

  /** A few aligned lines for people. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "op %s, %d clients x %d in flight, %d-byte values, %.1f s%n",
        op.cliName(), clients, inflight, valueBytes, seconds));
    sb.append(String.format(Locale.ROOT, "ops          %d (%.1f ops/s)%n", ops, opsPerSec()));
    sb.append(String.format(Locale.ROOT,
        "latency ms   p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
        p50Ms, p90Ms, p99Ms, p999Ms, maxMs));
    sb.append(String.format(Locale.ROOT, "max ack gap  %.1f ms (one session: %.1f ms)%n", maxAckGapMs,
        maxSessionGapMs));
    sb.append("errors       ").append(errorCount());
    if (!errors.isEmpty()) {
      sb.append(' ').append(new TreeMap<>(errors));
    }
    return sb.append(System.lineSeparator()).toString();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
