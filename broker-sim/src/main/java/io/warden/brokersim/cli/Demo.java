package io.warden.brokersim.cli;

import io.warden.brokersim.broker.SimListener;
import io.warden.brokersim.dashboard.Coordinators;
import io.warden.brokersim.dashboard.Dashboard;
import io.warden.brokersim.fleet.Fleet;
import io.warden.brokersim.fleet.FleetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code demo} runs: an embedded 3-node Warden ensemble on loopback, a fleet on it with a
 * few topics, and the dashboard. Closed in reverse order.
 */
final class Demo implements AutoCloseable {
  /** The demo's shape; {@code dashboardPort} 0 picks a free port, -1 serves no dashboard. */
  record Settings(Path dataDir, int brokers, int topics, int partitions, int replicationFactor,
      long seed, int dashboardPort) {
  }

  /** Null when the fleet runs against an outside ensemble ({@link #connect}). */
  private final DemoEnsemble ensemble;
  private Fleet fleet;
  private Dashboard dashboard;
  private String dashboardHost = "127.0.0.1";

  private Demo(DemoEnsemble ensemble) {
    this.ensemble = ensemble;
  }

  static Demo start(Settings s, SimListener printer) throws Exception {
    return start(s, printer, null, "127.0.0.1");
  }

  /**
   * With {@code connect} ("host:port,...") the fleet uses that ensemble instead of embedding
   * one (the compose demo does); the dashboard listens on {@code dashboardAddress}.
   */
  static Demo start(Settings s, SimListener printer, String connect, String dashboardAddress) throws Exception {
    Demo d = new Demo(connect == null ? new DemoEnsemble(s.dataDir(), 3) : null);
    try {
      Coordinators coordinators;
      if (d.ensemble != null) {
        d.ensemble.startAll();
        coordinators = new EnsembleCoordinators(d.ensemble);
      } else {
        coordinators = new SrvrCoordinators(connect);
      }
      d.fleet = Fleet.create(FleetConfig.fast(d.connectString(connect), "/kafka", s.brokers(),
          Duration.ofSeconds(6), s.seed()), printer);
      if (s.dashboardPort() >= 0) {
        // before the brokers start, so the timeline shows the fleet coming up
        d.dashboard = Dashboard.start(d.fleet, Optional.of(coordinators), dashboardAddress, s.dashboardPort());
        d.dashboardHost = "0.0.0.0".equals(dashboardAddress) ? "127.0.0.1" : dashboardAddress;
      }
      d.fleet.startAll(Duration.ofSeconds(60));
      for (int i = 0; i < s.topics(); i++) {
        d.fleet.topics().createTopic("demo-" + i, s.partitions(), s.replicationFactor(), Map.of());
      }
      return d;
    } catch (Exception e) {
      d.close();
      throw e;
    }
  }

  private String connectString(String connect) {
    return ensemble != null ? ensemble.connectString() : connect;
  }

  /** The embedded ensemble, or empty against an outside one. */
  Optional<DemoEnsemble> ensemble() {
    return Optional.ofNullable(ensemble);
  }

  Fleet fleet() {
    return fleet;
  }

  /** The dashboard's address, if it serves one. */
  Optional<String> dashboardUrl() {
    return Optional.ofNullable(dashboard).map(x -> "http://" + dashboardHost + ":" + x.port() + "/");
  }

  /** A line for the dashboard's timeline (the chaos commentary). */
  void note(String line) {
    if (dashboard != null) {
      dashboard.note(line);
    }
  }

  @Override
  public void close() {
    if (dashboard != null) {
      dashboard.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    if (ensemble != null) {
      ensemble.close();
    }
  }
}
