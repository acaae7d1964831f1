package io.warden.brokersim.cli;

import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.fleet.Fleet;
import io.warden.coordinator.node.NodeStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The demo's {@code --chaos}: one fault at a time, on a timer, chosen with a seeded random —
 * kill the controller, kill another broker, stop the coordinator leader or a follower — and
 * after each one how long the fleet took to be whole again (a controller active, every broker
 * registered, no partition offline). Killed brokers and stopped coordinators come back before
 * the next fault.
 */
final class Chaos {
  enum Fault {
    KILL_CONTROLLER, KILL_BROKER, STOP_COORDINATOR_LEADER, STOP_COORDINATOR_FOLLOWER;

    boolean needsOwnCoordinators() {
      return this == STOP_COORDINATOR_LEADER || this == STOP_COORDINATOR_FOLLOWER;
    }
  }

  private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

  private final Fleet fleet;
  private final DemoEnsemble ensemble;
  private final PrintWriter out;
  private final Consumer<String> alsoTell;
  private final Random random;
  private final int brokers;
  private int faults;
  private int unrecovered;

  /** {@code alsoTell} gets every line printed too (the dashboard's timeline). */
  /** {@code ensemble} null: the coordinators are not the demo's, so only brokers suffer. */
  Chaos(Fleet fleet, DemoEnsemble ensemble, PrintWriter out, Consumer<String> alsoTell, long seed,
      int brokers) {
    this.fleet = fleet;
    this.alsoTell = alsoTell;
    this.ensemble = ensemble;
    this.out = out;
    this.random = new Random(seed);
    this.brokers = brokers;
  }

  /**
   * Runs faults every {@code interval} until {@code deadlineNanos} or interruption; returns how
   * many times the fleet was not whole again within the limit (0 is the expected answer).
   */
  int run(Duration interval, long deadlineNanos) throws Exception {
    while (System.nanoTime() + interval.toNanos() < deadlineNanos) {
      Thread.sleep(interval.toMillis()); // pacing for people watching, not synchronisation
      List<Fault> possible = java.util.Arrays.stream(Fault.values())
          .filter(f -> ensemble != null || !f.needsOwnCoordinators()).toList();
      Fault fault = possible.get(random.nextInt(possible.size()));
      inject(fault);
    }
    say("CHAOS done: " + faults + " faults, " + unrecovered + " without recovery");
    return unrecovered;
  }

  private void inject(Fault fault) throws Exception {
    long t0 = System.nanoTime();
    String what;
    Runnable restore;
    switch (fault) {
      case KILL_CONTROLLER -> {
        int id = fleet.killController();
        what = "killed the controller, broker " + id;
        restore = () -> restartBroker(id);
      }
      case KILL_BROKER -> {
        int controller = fleet.activeController().orElse(-1);
        List<Integer> others = fleet.brokers().stream().map(b -> b.id()).filter(id -> id != controller).toList();
        int id = others.get(random.nextInt(others.size()));
        fleet.killBroker(id);
        what = "killed broker " + id;
        restore = () -> restartBroker(id);
      }
      case STOP_COORDINATOR_LEADER, STOP_COORDINATOR_FOLLOWER -> {
        int id = coordinator(fault == Fault.STOP_COORDINATOR_LEADER);
        ensemble.stop(id);
        what = "stopped Warden node " + id + (fault == Fault.STOP_COORDINATOR_LEADER ? " (the leader)" : "");
        restore = () -> ensemble.start(id);
      }
      default -> throw new IllegalStateException("unknown fault " + fault);
    }
    faults++;
    say("CHAOS " + what);
    // a killed broker is noticed when its session expires; until then the fleet still looks whole
    boolean brokerFault = fault == Fault.KILL_CONTROLLER || fault == Fault.KILL_BROKER;
    awaitWhole(brokerFault ? brokers - 1 : brokers, t0, what);
    restore.run();
    awaitWhole(brokers, System.nanoTime(), "the restart after: " + what);
  }

  private int coordinator(boolean leader) {
    Map<Integer, NodeStatus> status = ensemble.status();
    return status.entrySet().stream()
        .filter(e -> e.getValue() != null && "leader".equals(e.getValue().mode()) == leader)
        .map(Map.Entry::getKey).findFirst().orElseGet(() -> ensemble.runningIds().get(0));
  }

  private void restartBroker(int id) {
    fleet.startBroker(id);
  }

  /** Polls until a controller is active, {@code liveBrokers} are registered and nothing is offline. */
  private void awaitWhole(int liveBrokers, long sinceNanos, String after) throws Exception {
    long limit = System.nanoTime() + RECOVERY_LIMIT.toNanos();
    ClusterSnapshot s = null;
    while (System.nanoTime() < limit) {
      try {
        s = fleet.snapshot();
        if (s.controllerId().isPresent() && s.brokerEpochs().size() == liveBrokers && s.offlinePartitions() == 0
            && s.allPartitionsInitialised()) {
          say(String.format("CHAOS whole again %d ms after %s: controller broker %d (epoch %d), %d brokers, "
              + "%d partitions, 0 offline", (System.nanoTime() - sinceNanos) / 1_000_000, after,
              s.controllerId().get(), s.controllerEpoch(), liveBrokers, s.partitionStates().size()));
          return;
        }
      } catch (io.warden.client.WardenException e) {
        // the coordinator is electing: ask again
      }
      Thread.sleep(50); // polling interval of a status display
    }
    unrecovered++;
    say("CHAOS NOT whole " + RECOVERY_LIMIT.toSeconds() + " s after " + after + ": " + s);
  }

  private void say(String line) {
    alsoTell.accept(line);
    out.println(line);
    out.flush();
  }
}
