package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.ControllerView;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.fleet.Fleet;
import io.warden.brokersim.layout.TopicPartition;
import io.warden.client.WardenException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One scenario's fleet, safety monitor, expectations and measurements. */
public final class ScenarioRun {
  /** A condition on the ensemble's state. */
  @FunctionalInterface
  public interface Condition {
    boolean holds(ClusterSnapshot s) throws Exception;
  }

  /** Thrown when a wait times out: the scenario cannot go on. */
  static final class Aborted extends Exception {
    Aborted(String message) {
      super(message);
    }
  }

  private static final long POLL_MS = 50;

  private final Fleet fleet;
  private final ScenarioSettings settings;
  private final SafetyMonitor monitor;
  private final Random random;
  private final List<String> violations = new ArrayList<>();
  private final Map<String, Object> measurements = new LinkedHashMap<>();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "scenario-poller");
    t.setDaemon(true);
    return t;
  });

  ScenarioRun(Fleet fleet, ScenarioSettings settings, SafetyMonitor monitor) {
    this.fleet = fleet;
    this.settings = settings;
    this.monitor = monitor;
    this.random = new Random(settings.seed());
  }

  public Fleet fleet() {
    return fleet;
  }

  public ScenarioSettings settings() {
    return settings;
  }

  public SafetyMonitor monitor() {
    return monitor;
  }

  public Random random() {
    return random;
  }

  public void expect(boolean ok, String violation) {
    if (!ok) {
      violations.add(violation);
    }
  }

  public void measure(String name, Object value) {
    measurements.put(name, value);
  }

  List<String> violations() {
    return violations;
  }

  Map<String, Object> measurements() {
    return measurements;
  }

  void close() {
    poller.shutdownNow();
  }

  /**
   * Waits until {@code condition} holds on a fresh snapshot, re-checked every 50 ms by a timer
   * (a poll, as Awaitility does; nothing sleeps). Returns the snapshot it held on; a timeout ends
   * the scenario with a violation naming {@code what}.
   */
  public ClusterSnapshot await(String what, Duration timeout, Condition condition)
      throws Aborted, InterruptedException {
    CompletableFuture<ClusterSnapshot> done = new CompletableFuture<>();
    String[] lastError = new String[1];
    ScheduledFuture<?> task = poller.scheduleWithFixedDelay(() -> {
      try {
        ClusterSnapshot s = fleet.snapshot();
        monitor.observe(s);
        if (condition.holds(s)) {
          done.complete(s);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        lastError[0] = e.toString(); // e.g. ConnectionLoss while a coordinator restarts
      }
    }, 0, POLL_MS, TimeUnit.MILLISECONDS);
    try {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Aborted("timed out after " + timeout.toMillis() + " ms waiting for " + what
          + (lastError[0] == null ? "" : " (last error: " + lastError[0] + ")"));
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for " + what + " failed", e.getCause());
    } finally {
      task.cancel(false);
    }
  }

  /** Waits for a condition on something other than the ensemble (a broker's own state). */
  public void awaitLocal(String what, Duration timeout, java.util.function.BooleanSupplier cond)
      throws Aborted, InterruptedException {
    await(what, timeout, s -> cond.getAsBoolean());
  }

  // ---- common steps ---------------------------------------------------------------------------

  /** Starts brokers 1..N and waits for one active controller that every broker knows. */
  public ClusterSnapshot startFleet() throws Aborted, InterruptedException {
    fleet.startAll(settings.expiryWait());
    return await("a controller known to every broker", settings.expiryWait(), s ->
        s.controllerId().isPresent() && s.brokerEpochs().size() == settings.brokers()
            && fleet.brokers().stream().allMatch(b -> b.controllerView().knownControllerId()
            == s.controllerId().get()));
  }

  /** Creates topics {@code topic-0..T-1} and waits for every partition to have a leader. */
  public ClusterSnapshot createTopics() throws Exception {
    for (int i = 0; i < settings.topics(); i++) {
      fleet.topics().createTopic("topic-" + i, settings.partitions(),
          settings.replicationFactor(), Map.of());
    }
    return awaitAllLeadersLive("every partition has a live leader");
  }

  public ClusterSnapshot awaitAllLeadersLive(String what) throws Aborted, InterruptedException {
    return await(what, settings.expiryWait(), s -> s.topics().size() >= 1
        && s.allPartitionsInitialised() && s.partitionStates().values().stream()
        .allMatch(v -> s.brokerEpochs().containsKey(v.state().leader())));
  }

  /** The active controller's broker, according to the ensemble. */
  public Broker controller(ClusterSnapshot s) {
    int id = s.controllerId().orElseThrow(() -> new IllegalStateException("no controller"));
    return fleet.broker(id).orElseThrow();
  }

  /** The view of the broker that is active controller right now, if any. */
  public Optional<ControllerView> activeView() {
    return fleet.brokers().stream().filter(b -> b.state().isAlive())
        .map(Broker::controllerView).filter(ControllerView::active)
        .max(java.util.Comparator.comparingInt(ControllerView::epoch));
  }

  /** A live non-controller broker that leads at least one partition (seeded choice). */
  public int pickLeaderNotController(ClusterSnapshot s) {
    int controller = s.controllerId().orElse(-1);
    List<Integer> candidates = s.partitionStates().values().stream()
        .map(v -> v.state().leader()).filter(l -> l != controller && l >= 0).distinct().sorted()
        .toList();
    if (candidates.isEmpty()) {
      throw new IllegalStateException("no partition is led by a non-controller broker");
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  public static List<TopicPartition> ledBy(ClusterSnapshot s, int brokerId) {
    return s.partitionStates().entrySet().stream()
        .filter(e -> e.getValue().state().leader() == brokerId).map(Map.Entry::getKey).toList();
  }

  public ClusterSnapshot snapshot() throws WardenException, InterruptedException {
    ClusterSnapshot s = fleet.snapshot();
    monitor.observe(s);
    return s;
  }
}
