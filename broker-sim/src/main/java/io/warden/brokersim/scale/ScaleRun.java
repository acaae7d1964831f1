package io.warden.brokersim.scale;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.ControllerView;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.broker.SimListener;
import io.warden.brokersim.fleet.Fleet;
import io.warden.brokersim.fleet.FleetConfig;
import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import io.warden.client.NodeData;
import io.warden.client.WardenClient;
import io.warden.protocol.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The scale run (issue 5): {@code brokers} simulated brokers in this JVM — as many sessions —
 * against one ensemble, with partitions added in steps (1k, 10k, 100k). At each step the active
 * controller is killed {@code failoversPerStep} times and the failover timed, from the moment its
 * session is gone (its {@code /controller} znode deleted, seen by a watch) until the new
 * controller has finished its failover work and counts no partition offline — every partition
 * with a live replica has a live leader — as its own published view says. Each failover is then
 * checked against the ensemble: every partition state is read back (pipelined) and each leader
 * must be a registered broker. The killed broker is restarted before the next one.
 *
 * <p>Brokers connect straight to the ensemble ({@link FleetConfig#direct()}): a kill closes the
 * controller's session, so the clock starts at once instead of after the session timeout — which
 * it would not count anyway.
 */
public final class ScaleRun {
  /**
   * @param connect the ensemble ("host:port,...")
   * @param partitionSteps total partitions after each step, increasing
   * @param partitionsPerTopic topics are {@code scale-00000, ...} of this many partitions each
   */
  public record Settings(String connect, int brokers, List<Integer> partitionSteps,
      int partitionsPerTopic, int replicationFactor, int failoversPerStep, Duration sessionTimeout,
      long seed) {
    public Settings {
      partitionSteps = List.copyOf(partitionSteps);
      if (brokers < 3) {
        throw new IllegalArgumentException("--brokers must be at least 3, was " + brokers);
      }
      if (replicationFactor < 2 || replicationFactor > brokers) {
        throw new IllegalArgumentException("--replication-factor must be 2.." + brokers + ", was "
            + replicationFactor);
      }
      if (partitionsPerTopic < 1 || failoversPerStep < 1) {
        throw new IllegalArgumentException("--partitions-per-topic and --failovers must be >= 1");
      }
      int last = 0;
      for (int p : partitionSteps) {
        if (p <= last || p % partitionsPerTopic != 0) {
          throw new IllegalArgumentException("partition steps must increase and be multiples of "
              + partitionsPerTopic + ", were " + partitionSteps);
        }
        last = p;
      }
      if (partitionSteps.isEmpty()) {
        throw new IllegalArgumentException("at least one partition step is needed");
      }
    }
  }

  /**
   * One step's figures.
   *
   * @param createMs time to create this step's topics and see every new partition online
   * @param failoverMs each controller failover, in order
   * @param ledByKilled partitions the killed controller led, per failover (re-elected by its successor)
   * @param violations partitions whose leader was not a registered broker after a failover, and
   *     other broken expectations; empty on success
   * @param fleetThreads live threads in this JVM at the end of the step (three per broker: its
   *     event thread and its client's two)
   * @param fleetHeapMb heap in use in this JVM at the end of the step (not collected first)
   */
  public record Step(int partitions, int topics, long createMs, List<Long> failoverMs,
      List<Integer> ledByKilled, List<String> violations, int fleetThreads, long fleetHeapMb) {
    public long medianFailoverMs() {
      List<Long> sorted = failoverMs.stream().sorted().toList();
      return sorted.get(sorted.size() / 2);
    }
  }

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int VERIFY_IN_FLIGHT = 100;

  private final Settings settings;
  private final Consumer<String> progress;
  private final AtomicReference<int[]> lastElected = new AtomicReference<>(new int[] {-1, -1});

  public ScaleRun(Settings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs every step; the fleet is stopped at the end, the ensemble keeps its znodes. */
  public List<Step> run() throws Exception {
    String chroot = "/scale-" + Long.toHexString(settings.seed());
    // Kafka's own ISR timings; a session timeout of Kafka's default scale.
    FleetConfig config = new FleetConfig(settings.connect(), chroot, settings.brokers(),
        settings.sessionTimeout(), 2_500, 5_000, 60_000, settings.seed(), true).direct();
    List<Step> steps = new ArrayList<>();
    try (Fleet fleet = Fleet.create(config, new ElectionTracker())) {
      long t = System.nanoTime();
      startBrokers(fleet);
      int controller = awaitController(fleet, -1);
      progress.accept(String.format("fleet: %d brokers registered, broker %d is controller (%d s)",
          settings.brokers(), controller, seconds(t)));
      int created = 0;
      for (int target : settings.partitionSteps()) {
        steps.add(step(fleet, created, target));
        created = target;
      }
    }
    return steps;
  }

  private void startBrokers(Fleet fleet) throws Exception {
    List<CompletableFuture<Long>> started = new ArrayList<>();
    Duration timeout = Duration.ofMinutes(5);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int id = 1; id <= settings.brokers(); id++) {
      started.add(fleet.startBroker(id));
      if (id % 100 == 0 || id == settings.brokers()) {
        // start in waves of 100 so that a thousand sessions do not all connect in one burst
        for (CompletableFuture<Long> f : started) {
          f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        progress.accept("fleet: " + id + "/" + settings.brokers() + " brokers registered");
      }
    }
  }

  private Step step(Fleet fleet, int before, int target) throws Exception {
    int topicsBefore = before / settings.partitionsPerTopic();
    int topicsAfter = target / settings.partitionsPerTopic();
    long t0 = System.nanoTime();
    int reported = topicsBefore;
    for (int i = topicsBefore; i < topicsAfter; i++) {
      fleet.topics().createTopic(String.format("scale-%05d", i), settings.partitionsPerTopic(),
          settings.replicationFactor(), Map.of());
      if ((i + 1 - topicsBefore) * 10L / (topicsAfter - topicsBefore) > (reported - topicsBefore) * 10L
          / (topicsAfter - topicsBefore)) {
        reported = i + 1;
        progress.accept(String.format("step %d: %d/%d topics created (%d s)", target, i + 1,
            topicsAfter, seconds(t0)));
      }
    }
    await("every one of " + target + " partitions online", Duration.ofMinutes(10),
        () -> activeView(fleet).filter(v -> v.partitions() == target && v.offlinePartitions() == 0)
            .isPresent());
    long createMs = millis(t0);
    progress.accept(String.format("step %d: %d partitions online in %d ms", target, target, createMs));
    List<Long> failovers = new ArrayList<>();
    List<Integer> led = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    for (int rep = 1; rep <= settings.failoversPerStep(); rep++) {
      failover(fleet, target, failovers, led, violations);
      progress.accept(String.format("step %d: failover %d/%d took %d ms (%d partitions re-led)",
          target, rep, settings.failoversPerStep(), failovers.get(failovers.size() - 1),
          led.get(led.size() - 1)));
    }
    Runtime rt = Runtime.getRuntime();
    return new Step(target, topicsAfter, createMs, failovers, led, violations, Thread.activeCount(),
        (rt.totalMemory() - rt.freeMemory()) >> 20);
  }

  private void failover(Fleet fleet, int partitions, List<Long> failovers, List<Integer> led,
      List<String> violations) throws Exception {
    ControllerView old = activeView(fleet).orElseThrow(() -> new IllegalStateException("no controller"));
    int oldId = old.knownControllerId();
    led.add(fleet.broker(oldId).orElseThrow().ledPartitions().size());
    CompletableFuture<Long> gone = new CompletableFuture<>();
    WardenClient admin = fleet.adminClient();
    if (admin.blocking().exists(Layout.CONTROLLER, e -> {
      if (e.type() == EventType.NODE_DELETED) {
        gone.complete(System.nanoTime());
      }
    }) == null) {
      throw new IllegalStateException("/controller is gone before the kill");
    }
    fleet.killBroker(oldId);
    long t0 = gone.get(settings.sessionTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
    long t1 = awaitFailoverDone(fleet, old.epoch(), partitions);
    failovers.add((t1 - t0) / 1_000_000);
    violations.addAll(leadersNotRegistered(admin, fleet));
    fleet.startBroker(oldId).get(2, TimeUnit.MINUTES);
    int now = awaitController(fleet, old.epoch());
    await("the restarted broker " + oldId + " to know controller " + now, Duration.ofMinutes(1),
        () -> fleet.broker(oldId).orElseThrow().controllerView().knownControllerId() == now);
  }

  /** Polls only the broker that won the election (one volatile read per millisecond). */
  private long awaitFailoverDone(Fleet fleet, int oldEpoch, int partitions) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      int[] elected = lastElected.get();
      if (elected[1] > oldEpoch) {
        Optional<Broker> b = fleet.broker(elected[0]);
        ControllerView v = b.map(Broker::controllerView).orElse(null);
        if (v != null && v.active() && v.epoch() == elected[1] && v.partitions() == partitions
            && v.offlinePartitions() == 0) {
          return System.nanoTime();
        }
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    throw new TimeoutException("no controller finished its failover within 5 minutes");
  }

  /** Reads every partition state back; names each whose leader is not a registered broker. */
  private List<String> leadersNotRegistered(WardenClient admin, Fleet fleet) throws Exception {
    Set<Integer> registered = new HashSet<>();
    for (String child : admin.blocking().getChildren(Layout.BROKER_IDS)) {
      Layout.brokerIdOf(child).ifPresent(registered::add);
    }
    List<String> topics = admin.blocking().getChildren(Layout.BROKER_TOPICS);
    List<String> bad = java.util.Collections.synchronizedList(new ArrayList<>());
    Semaphore window = new Semaphore(VERIFY_IN_FLIGHT);
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (String topic : topics) {
      for (int p = 0; p < settings.partitionsPerTopic(); p++) {
        TopicPartition tp = new TopicPartition(topic, p);
        String path = Layout.partitionStatePath(tp);
        window.acquire();
        pending.add(admin.getData(path).whenComplete((NodeData d, Throwable t) -> {
          window.release();
          if (t != null) {
            bad.add(tp + ": cannot read its state: " + t);
            return;
          }
          PartitionState s = Layout.decodePartitionState(d.data(), path);
          if (!registered.contains(s.leader())) {
            bad.add(tp + ": leader " + s.leader() + " is not a registered broker");
          }
        }).toCompletableFuture());
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(t -> null)
        .get(5, TimeUnit.MINUTES);
    return bad.size() > 10 ? List.of(bad.size() + " partitions without a live leader, e.g. "
        + bad.subList(0, 10)) : List.copyOf(bad);
  }

  /** Waits for an active controller of epoch > {@code afterEpoch} that every live broker knows. */
  private int awaitController(Fleet fleet, int afterEpoch) throws Exception {
    int[] id = {-1};
    await("a controller every broker knows", Duration.ofMinutes(5), () -> {
      Optional<ControllerView> v = activeView(fleet).filter(x -> x.epoch() > afterEpoch);
      if (v.isEmpty()) {
        return false;
      }
      id[0] = v.get().knownControllerId();
      return fleet.brokers().stream().filter(b -> b.state().isAlive())
          .allMatch(b -> b.controllerView().knownControllerId() == id[0]);
    });
    return id[0];
  }

  private static Optional<ControllerView> activeView(Fleet fleet) {
    return fleet.brokers().stream().filter(b -> b.state().isAlive()).map(Broker::controllerView)
        .filter(ControllerView::active).max(java.util.Comparator.comparingInt(ControllerView::epoch));
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static long millis(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static long seconds(long since) {
    return millis(since) / 1000;
  }

  /** Learns which broker won each election, so the failover clock watches only that one. */
  private final class ElectionTracker implements SimListener {
    @Override
    public void event(SimEvent e) {
      if (e.kind() == SimEvent.Kind.CONTROLLER_FAILOVER_DONE) {
        progress.accept("  broker " + e.brokerId() + " " + e.detail());
      }
    }

    @Override
    public void controllerElected(int brokerId, int epoch, long zxid) {
      lastElected.accumulateAndGet(new int[] {brokerId, epoch}, (a, b) -> b[1] > a[1] ? b : a);
    }
  }
}
