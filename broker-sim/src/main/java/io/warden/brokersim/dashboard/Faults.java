package io.warden.brokersim.dashboard;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.fleet.Fleet;
import io.warden.client.WardenException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The dashboard's fault buttons: a fault name and an optional member id in, an outcome out.
 * Blocking (the fleet reads the ensemble to find its controller; a coordinator stops and starts
 * synchronously), so it runs on the dashboard's fault thread, one fault at a time.
 */
final class Faults {
  /** The HTTP status to answer with and a sentence for the page. */
  record Outcome(int status, String message) {
    static Outcome ok(String message) {
      return new Outcome(200, message);
    }

    static Outcome bad(String message) {
      return new Outcome(400, message);
    }

    static Outcome conflict(String message) {
      return new Outcome(409, message);
    }
  }

  static final java.util.List<String> NAMES = java.util.List.of("kill-broker", "hang-broker",
      "start-broker", "resume-broker", "kill-controller", "pause-controller",
      "stop-coordinator", "start-coordinator", "stop-coordinator-leader");

  private final Fleet fleet;
  private final SnapshotReader reader;
  private final Optional<Coordinators> coordinators;
  private final Consumer<SimEvent> timeline;

  Faults(Fleet fleet, SnapshotReader reader, Optional<Coordinators> coordinators,
      Consumer<SimEvent> timeline) {
    this.fleet = fleet;
    this.reader = reader;
    this.coordinators = coordinators;
    this.timeline = timeline;
  }

  Outcome apply(String name, String idParam) throws InterruptedException {
    if (!NAMES.contains(name)) {
      return Outcome.bad("unknown fault '" + name + "'; known: " + String.join(", ", NAMES));
    }
    boolean needsId = !name.equals("kill-controller") && !name.equals("pause-controller")
        && !name.equals("stop-coordinator-leader");
    int id = -1;
    if (needsId) {
      if (idParam == null || idParam.isBlank()) {
        return Outcome.bad(name + " needs ?id=N");
      }
      try {
        id = Integer.parseInt(idParam.trim());
      } catch (NumberFormatException e) {
        return Outcome.bad("id must be a number, was '" + idParam + "'");
      }
    }
    if (name.contains("coordinator") && coordinators.isEmpty()) {
      return Outcome.bad("this dashboard has no embedded coordinators (only `demo` embeds them)");
    }
    try {
      return Outcome.ok(run(name, id));
    } catch (IllegalArgumentException e) {
      return Outcome.bad(e.getMessage());
    } catch (IllegalStateException e) {
      return Outcome.conflict(e.getMessage());
    } catch (WardenException e) {
      return new Outcome(503, "the ensemble did not answer: " + e.getMessage());
    }
  }

  private String run(String name, int id) throws WardenException, InterruptedException {
    switch (name) {
      case "kill-broker" -> {
        alive(id);
        fleet.killBroker(id);
        return "killed broker " + id;
      }
      case "hang-broker" -> {
        alive(id);
        fleet.hangBroker(id);
        return "hung broker " + id + " until its session expires";
      }
      case "start-broker" -> {
        if (id < 1 || id > fleet.config().brokers()) {
          throw new IllegalArgumentException("no broker " + id + " (the fleet has 1.."
              + fleet.config().brokers() + ")");
        }
        fleet.startBroker(id); // registration completes later; the page shows it
        return "started broker " + id;
      }
      case "resume-broker" -> {
        Broker b = alive(id);
        if (!b.eventsPaused()) {
          throw new IllegalStateException("broker " + id + " is not paused");
        }
        fleet.resumeAsZombie(id);
        return "resumed broker " + id;
      }
      case "kill-controller" -> {
        int controller = controller();
        fleet.killBroker(controller);
        return "killed the controller, broker " + controller;
      }
      case "pause-controller" -> {
        int controller = controller();
        fleet.pauseController(controller);
        return "paused the controller, broker " + controller + " (a zombie when it wakes)";
      }
      default -> {
        return coordinatorFault(name, id);
      }
    }
  }

  private String coordinatorFault(String name, int id) {
    Coordinators c = coordinators.orElseThrow();
    int target = id;
    if (name.equals("stop-coordinator-leader")) {
      target = c.members().stream().filter(m -> m.mode().equals("leader")).mapToInt(Coordinators.Member::id)
          .findFirst().orElseThrow(() -> new IllegalStateException("no coordinator is leader now"));
    } else if (c.members().stream().noneMatch(m -> m.id() == id)) {
      throw new IllegalArgumentException("no coordinator " + id);
    }
    String what;
    if (name.equals("start-coordinator")) {
      c.start(target);
      what = "started Warden node " + target;
    } else {
      c.stop(target);
      what = "stopped Warden node " + target + (name.equals("stop-coordinator-leader") ? " (the leader)" : "");
    }
    timeline.accept(new SimEvent(System.currentTimeMillis(), -1, SimEvent.Kind.FAULT, what));
    return what;
  }

  /** The controller as the ensemble names it, read through the dashboard's own session. */
  private int controller() throws WardenException, InterruptedException {
    int id = reader.read().controllerId().orElseThrow(() -> new IllegalStateException("no controller"));
    alive(id);
    return id;
  }

  private Broker alive(int id) {
    Broker b = fleet.broker(id).orElseThrow(() -> new IllegalArgumentException("no broker " + id));
    if (!b.state().isAlive()) {
      throw new IllegalStateException("broker " + id + " is " + b.state());
    }
    return b;
  }
}
