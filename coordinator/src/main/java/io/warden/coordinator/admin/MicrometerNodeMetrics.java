package io.warden.coordinator.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.warden.coordinator.node.NodeMetrics;
import io.warden.coordinator.node.NodeStatus;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.OpCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Warden's metrics in Micrometer (scraped as Prometheus text at /metrics): request counts and
 * latency histograms per opcode, fsync latency, snapshots, and gauges read from the node's
 * published {@link NodeStatus}. Meters are created once per (opcode, result) and cached, so
 * the hot path is a map lookup and an atomic add.
 */
public final class MicrometerNodeMetrics implements NodeMetrics {
  private final MeterRegistry registry;
  private final Map<Integer, Timer> latencyByOp = new ConcurrentHashMap<>();
  private final Map<Long, Counter> countByOpAndErr = new ConcurrentHashMap<>();
  private final Timer fsyncLatency;
  private final DistributionSummary fsyncEntries;
  private final Timer snapshotDuration;
  private final Counter sessionsExpired;
  private final Timer commitLatency;
  private volatile long lastSnapshotBytes;

  public MicrometerNodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.fsyncLatency = Timer.builder("warden.fsync.latency")
        .description("Log append + fsync latency (one group commit)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry);
    this.fsyncEntries = DistributionSummary.builder("warden.fsync.entries")
        .description("Entries per group commit").register(registry);
    this.snapshotDuration = Timer.builder("warden.snapshot.duration").register(registry);
    this.sessionsExpired = Counter.builder("warden.sessions.expired").register(registry);
    this.commitLatency = Timer.builder("warden.commit.latency")
        .description("From proposing a write on this node to applying it here")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    Gauge.builder("warden.snapshot.last.size.bytes", this, m -> m.lastSnapshotBytes).baseUnit("bytes").register(registry);
  }

  /** Registers gauges over the node's published status (and the log store's size). */
  public void bindStatus(Supplier<NodeStatus> status, Supplier<Long> logStoreBytes) {
    gauge("warden.znodes", status, NodeStatus::znodeCount);
    gauge("warden.znodes.data.bytes", status, NodeStatus::approximateDataBytes);
    gauge("warden.ephemerals", status, NodeStatus::ephemeralCount);
    gauge("warden.sessions", status, NodeStatus::sessionCount);
    gauge("warden.connections", status, NodeStatus::connectionCount);
    gauge("warden.watches", status, NodeStatus::watchCount);
    gauge("warden.watched.paths", status, NodeStatus::watchedPaths);
    gauge("warden.outstanding.requests", status, NodeStatus::outstandingRequests);
    gauge("warden.raft.term", status, NodeStatus::term);
    gauge("warden.raft.commit.index", status, NodeStatus::commitIndex);
    gauge("warden.raft.applied.index", status, NodeStatus::appliedIndex);
    gauge("warden.snapshot.index", status, NodeStatus::lastSnapshotIndex);
    gauge("warden.log.retained.entries", status, NodeStatus::retainedLogEntries);
    gauge("warden.log.retained.bytes", status, NodeStatus::retainedLogBytes);
    gauge("warden.raft.leader", status, NodeStatus::leaderId);
    io.micrometer.core.instrument.FunctionCounter.builder("warden.raft.elections", status,
            s -> s.get() == null ? 0 : s.get().elections())
        .description("Elections this node started").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("warden.raft.leader.changes", status,
            s -> s.get() == null ? 0 : s.get().leaderChanges())
        .description("Times this node saw a new leader").register(registry);
    Gauge.builder("warden.log.store.bytes", logStoreBytes, s -> s.get()).baseUnit("bytes").strongReference(true)
        .description("Approximate bytes of the log on disk").register(registry);
  }

  /** Replication lag (entries behind the leader's last index) per peer, as seen when leading. */
  public void bindPeers(Supplier<NodeStatus> status, java.util.Collection<Integer> peers) {
    for (int peer : peers) {
      Gauge.builder("warden.raft.replication.lag", status, s -> {
        NodeStatus st = s.get();
        Long lag = st == null ? null : st.replicationLag().get(peer);
        return lag == null ? Double.NaN : lag;
      }).tag("peer", String.valueOf(peer)).strongReference(true).register(registry);
    }
  }

  private <N extends Number> void gauge(String name, Supplier<NodeStatus> status, java.util.function.Function<NodeStatus, N> f) {
    ToDoubleFunction<Supplier<NodeStatus>> read = s -> {
      NodeStatus st = s.get();
      return st == null ? Double.NaN : f.apply(st).doubleValue();
    };
    // Strong: Micrometer holds a gauge's object weakly by default, and nothing else holds these
    // suppliers, so after the first GC every gauge would read NaN.
    Gauge.builder(name, status, read).strongReference(true).register(registry);
  }

  @Override
  public void requestCompleted(int opcode, int err, long latencyNanos) {
    latencyByOp.computeIfAbsent(opcode, op -> Timer.builder("warden.request.latency")
        .description("Time from receiving a request to queueing its reply")
        .tag("op", OpCode.name(op))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)).record(latencyNanos, TimeUnit.NANOSECONDS);
    long key = ((long) opcode << 32) | (err & 0xFFFFFFFFL);
    countByOpAndErr.computeIfAbsent(key, k -> Counter.builder("warden.requests")
        .tag("op", OpCode.name(opcode))
        .tag("result", resultName(err))
        .register(registry)).increment();
  }

  @Override
  public void fsynced(long latencyNanos, int entries, long bytes) {
    fsyncLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    fsyncEntries.record(entries);
  }

  @Override
  public void snapshotSaved(long durationNanos, long sizeBytes) {
    snapshotDuration.record(durationNanos, TimeUnit.NANOSECONDS);
    lastSnapshotBytes = sizeBytes;
  }

  @Override
  public void committed(long latencyNanos) {
    commitLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void sessionExpired() {
    sessionsExpired.increment();
  }

  private static String resultName(int err) {
    ErrorCode c = ErrorCode.of(err);
    return c == null ? String.valueOf(err) : c.name().toLowerCase(java.util.Locale.ROOT);
  }
}
