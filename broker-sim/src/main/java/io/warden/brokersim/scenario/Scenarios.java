package io.warden.brokersim.scenario;

import io.warden.brokersim.broker.SimListener;
import io.warden.brokersim.fleet.Fleet;
import io.warden.brokersim.fleet.FleetConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The nine conformance scenarios of layout §8, by name, and the runner that checks safety. */
public final class Scenarios {
  private Scenarios() {
  }

  /** In the order of §8 (and of {@code all}). */
  public static final List<Scenario> ALL = List.of(new ColdStart(), new ControllerCrash(),
      new ZombieController(), new BrokerBounce(), new DuplicateBrokerId(), new TopicLifecycle(),
      new IsrShrink(), new BrokerSessionExpiry(), new LastIsrDies());

  public static List<String> names() {
    return ALL.stream().map(Scenario::name).toList();
  }

  public static Optional<Scenario> byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * Runs one scenario on a fresh fleet under its own chroot ({@code /brokersim/<name>-<seed>-<n>})
   * so runs never see each other's znodes, then checks the safety properties: the monitor's
   * violations, and — once the fleet has settled — that every leader is alive or counted offline.
   */
  public static ScenarioResult run(Scenario scenario, ScenarioSettings settings,
      SimListener... listeners) throws InterruptedException {
    long t0 = System.nanoTime();
    SafetyMonitor monitor = new SafetyMonitor();
    String chroot = "/brokersim/" + scenario.name() + "-" + Long.toHexString(settings.seed())
        + "-" + Long.toHexString(System.nanoTime());
    FleetConfig fc = FleetConfig.fast(settings.ensemble(), chroot, settings.brokers(),
        settings.sessionTimeout(), settings.seed());
    List<String> violations = new ArrayList<>();
    Map<String, Object> measurements = new LinkedHashMap<>();
    SimListener[] all = new SimListener[listeners.length + 1];
    all[0] = monitor;
    System.arraycopy(listeners, 0, all, 1, listeners.length);
    Fleet fleet;
    try {
      fleet = Fleet.create(fc, all);
    } catch (io.warden.client.WardenException e) {
      return new ScenarioResult(scenario.name(), settings.seed(), elapsedMs(t0),
          List.of("cannot start: " + e.getMessage()), Map.of());
    }
    ScenarioRun run = new ScenarioRun(fleet, settings, monitor);
    try {
      scenario.run(run);
      finalSafetyCheck(run);
    } catch (ScenarioRun.Aborted e) {
      run.expect(false, e.getMessage());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      run.expect(false, "scenario failed: " + e);
    } finally {
      violations.addAll(run.violations());
      violations.addAll(monitor.violations());
      measurements.putAll(run.measurements());
      measurements.put("chroot", chroot);
      run.close();
      fleet.close();
    }
    return new ScenarioResult(scenario.name(), settings.seed(), elapsedMs(t0), violations,
        measurements);
  }

  /** Waits for the fleet to settle, then: leaders alive or counted offline. */
  private static void finalSafetyCheck(ScenarioRun run) throws InterruptedException {
    List<String> last = new ArrayList<>();
    try {
      run.await("every leader alive or counted offline", run.settings().expiryWait(), s -> {
        last.clear();
        int counted = run.activeView().map(v -> v.offlinePartitions()).orElse(-1);
        if (counted < 0 || s.controllerId().isEmpty()) {
          last.add("no active controller");
          return false;
        }
        last.addAll(SafetyMonitor.checkLeaders(s, counted));
        return last.isEmpty();
      });
    } catch (ScenarioRun.Aborted e) {
      last.forEach(v -> run.expect(false, v));
      if (last.isEmpty()) {
        run.expect(false, e.getMessage());
      }
    }
  }

  private static long elapsedMs(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
