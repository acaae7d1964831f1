package io.warden.brokersim.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.broker.SimListener;
import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The fleet's Kafka-style metrics for Prometheus. Gauges follow the latest {@link Sample};
 * counters follow the event stream.
 *
 * <p>Controller failover time runs from the moment the fleet loses its controller — a fault on
 * the controller broker, or the controller resigning — to the first sample in which a controller
 * at a higher epoch is registered and every partition with a live ISR member has a live leader.
 * It therefore includes the session timeout the ensemble waits before expiring a killed
 * controller, which is what a Kafka user waits too.
 *
 * <p>Threads: {@link #event} runs on broker threads, {@link #sampled} on the dashboard's sampler
 * thread; the failover clock is guarded by this object's monitor, the rest is atomic.
 */
final class FleetMetrics implements SimListener {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong activeControllers = new AtomicLong();
  private final AtomicLong controllerEpoch = new AtomicLong(-1);
  private final AtomicLong offlinePartitions = new AtomicLong();
  private final AtomicLong underReplicated = new AtomicLong();
  private final AtomicLong registeredBrokers = new AtomicLong();
  private final Counter leaderElections;
  private final Counter registrations;
  private final Counter expiries;
  private final Timer failover;
  private final LongSupplier clockMs;
  private volatile int controllerId = -1;
  private long lostAtMs = -1; // guarded by this
  private int lostAtEpoch = -1; // guarded by this
  private SortedMap<Integer, Long> lastEpochs = new TreeMap<>(); // sampler thread

  FleetMetrics(LongSupplier clockMs) {
    this.clockMs = clockMs;
    Gauge.builder("kafka.controller.active.controller.count", activeControllers, AtomicLong::get)
        .description("Brokers acting as the active controller (ActiveControllerCount summed over the fleet; 1 when healthy)")
        .register(registry);
    Gauge.builder("kafka.controller.epoch", controllerEpoch, AtomicLong::get)
        .description("The controller epoch in /controller_epoch").register(registry);
    Gauge.builder("kafka.controller.offline.partitions.count", offlinePartitions, AtomicLong::get)
        .description("Partitions without a leader (OfflinePartitionsCount)").register(registry);
    Gauge.builder("kafka.server.under.replicated.partitions", underReplicated, AtomicLong::get)
        .description("Partitions whose ISR is smaller than their replica list (UnderReplicatedPartitions)")
        .register(registry);
    Gauge.builder("brokersim.brokers.registered", registeredBrokers, AtomicLong::get)
        .description("Registrations under /brokers/ids").register(registry);
    leaderElections = Counter.builder("kafka.controller.leader.elections")
        .description("Partition leader elections made by controllers (LeaderElectionRateAndTimeMs count)")
        .register(registry);
    registrations = Counter.builder("brokersim.broker.registrations")
        .description("Broker registrations (a new /brokers/ids/<id>, each with a new broker epoch)")
        .register(registry);
    expiries = Counter.builder("brokersim.broker.expiries")
        .description("Broker registrations that went away without a clean shutdown (session expired)")
        .register(registry);
    failover = Timer.builder("brokersim.controller.failover")
        .description("Controller lost -> new controller registered and every partition with a live ISR member led")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry);
  }

  String scrape() {
    return registry.scrape();
  }

  @Override
  public void event(SimEvent e) {
    switch (e.kind()) {
      case LEADER_ELECTED -> leaderElections.increment();
      case BROKER_REGISTERED -> registrations.increment();
      case CONTROLLER_ELECTED -> controllerId = e.brokerId(); // before the sampler sees it
      case CONTROLLER_RESIGNED -> controllerLost(e.brokerId());
      case FAULT -> {
        // "kill broker 3", "hang broker 3 ...", "pause controller 3": the controller's broker
        if (e.brokerId() == controllerId && !e.detail().startsWith("link of")
            && !e.detail().startsWith("resume")) {
          controllerLost(e.brokerId());
        }
      }
      default -> {
      }
    }
  }

  private synchronized void controllerLost(int brokerId) {
    if (brokerId == controllerId && lostAtMs < 0) {
      lostAtMs = clockMs.getAsLong();
      lostAtEpoch = (int) controllerEpoch.get();
    }
  }

  /** Called with each new sample (sampler thread). */
  void sampled(Sample s) {
    activeControllers.set(s.activeControllerCount());
    s.cluster().ifPresent(c -> {
      controllerEpoch.set(c.controllerEpoch());
      controllerId = c.controllerId().orElse(-1);
      offlinePartitions.set(c.offlinePartitions());
      registeredBrokers.set(c.brokerEpochs().size());
      countExpiries(c.brokerEpochs(), s);
      synchronized (this) {
        if (lostAtMs >= 0 && c.controllerEpoch() > lostAtEpoch && s.settled()) {
          failover.record(Duration.ofMillis(Math.max(0, s.atMs() - lostAtMs)));
          lostAtMs = -1;
        }
      }
    });
    underReplicated.set(s.underReplicatedPartitions());
  }

  /** A registration that vanished or changed epoch, unless its broker was stopped cleanly. */
  private void countExpiries(SortedMap<Integer, Long> epochs, Sample s) {
    for (var e : lastEpochs.entrySet()) {
      Long now = epochs.get(e.getKey());
      boolean stoppedCleanly = s.brokers().stream()
          .anyMatch(b -> b.id() == e.getKey() && "STOPPED".equals(b.state()));
      if (!e.getValue().equals(now) && !(now == null && stoppedCleanly)) {
        expiries.increment();
      }
    }
    lastEpochs = new TreeMap<>(epochs);
  }
}
