package io.warden.brokersim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.broker.SimListener;
import io.warden.brokersim.scenario.Scenario;
import io.warden.brokersim.scenario.ScenarioResult;
import io.warden.brokersim.scenario.ScenarioSettings;
import io.warden.brokersim.scenario.Scenarios;
import io.warden.client.WardenClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: runs conformance scenarios against any ZooKeeper-protocol ensemble (Warden or
 * Apache ZooKeeper). Exit 0 when every scenario held, 1 when one was violated, 2 on bad input, 3
 * when the ensemble cannot be reached.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the §8 conformance scenarios against an ensemble.")
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--connect", required = true, paramLabel = "HOST:PORT,...",
      description = "The ensemble's connect string.")
  String connect;

  @Option(names = "--brokers", defaultValue = "3", description = "Brokers per fleet (>= 3).")
  int brokers;

  @Option(names = "--topics", defaultValue = "2", description = "Topics per fleet (>= 1).")
  int topics;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic.")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "2",
      description = "Replicas per partition (2..brokers).")
  int replicationFactor;

  @Option(names = "--scenario", defaultValue = "all",
      description = "A scenario name or 'all': ${COMPLETION-CANDIDATES}")
  String scenario;

  @Option(names = "--seed", description = "Seed for assignments and choices (default: random, "
      + "printed).")
  Long seed;

  @Option(names = "--session-timeout-ms", defaultValue = "4000",
      description = "Broker session timeout (the ensemble clamps it).")
  long sessionTimeoutMs;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Option(names = "--verbose", description = "Print every fleet event.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Scenario> selected;
    ScenarioSettings settings;
    long s = seed != null ? seed : System.nanoTime();
    try {
      selected = select(scenario);
      settings = new ScenarioSettings(connect, brokers, topics, partitions, replicationFactor,
          Duration.ofMillis(sessionTimeoutMs), s);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return BrokerSimMain.EXIT_USAGE;
    }
    String unreachable = probe(connect, settings.sessionTimeout());
    if (unreachable != null) {
      err.println("error: " + unreachable);
      return BrokerSimMain.EXIT_UNREACHABLE;
    }
    if (!json) {
      out.println("seed " + s + " (replay with --seed " + s + ")");
      out.flush();
    }
    SimListener printer = new SimListener() {
      @Override
      public void event(SimEvent e) {
        if (verbose) {
          out.println("  " + e);
          out.flush();
        }
      }
    };
    List<ScenarioResult> results = new ArrayList<>();
    for (Scenario sc : selected) {
      ScenarioResult r = Scenarios.run(sc, settings, printer);
      results.add(r);
      if (!json) {
        print(out, r);
      }
    }
    if (json) {
      out.println(toJson(results));
    }
    out.flush();
    return results.stream().allMatch(ScenarioResult::passed) ? 0 : BrokerSimMain.EXIT_VIOLATED;
  }

  static List<Scenario> select(String name) {
    if (name.equals("all")) {
      return Scenarios.ALL;
    }
    return List.of(Scenarios.byName(name).orElseThrow(() -> new IllegalArgumentException(
        "unknown scenario '" + name + "'; known: all, " + String.join(", ", Scenarios.names()))));
  }

  /** Null if a session can be opened, else why not (before any fleet is built). */
  static String probe(String connect, Duration sessionTimeout) throws InterruptedException {
    WardenClient c;
    try {
      c = WardenClient.builder(connect).sessionTimeout(sessionTimeout).build();
    } catch (IllegalArgumentException e) {
      return "bad connect string '" + connect + "': " + e.getMessage();
    }
    try {
      Duration wait = sessionTimeout.plusSeconds(2);
      return c.awaitConnected(wait) ? null : "cannot reach the ensemble at " + connect
          + " within " + wait.toMillis() + " ms";
    } catch (io.warden.client.WardenException e) {
      return "cannot reach the ensemble at " + connect + ": " + e.getMessage();
    } finally {
      c.close();
    }
  }

  private static void print(PrintWriter out, ScenarioResult r) {
    out.printf("%-22s %s  %5d ms  %s%n", r.scenario(), r.passed() ? "PASS" : "FAIL",
        r.durationMs(), r.measurements());
    r.violations().forEach(v -> out.println("    violation: " + v));
    out.flush();
  }

  static String toJson(List<ScenarioResult> results) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ScenarioResult r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scenario", r.scenario());
      m.put("passed", r.passed());
      m.put("seed", r.seed());
      m.put("durationMs", r.durationMs());
      m.put("violations", r.violations());
      m.put("measurements", r.measurements());
      rows.add(m);
    }
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("passed", results.stream().allMatch(ScenarioResult::passed));
    top.put("results", rows);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(top);
  }
}
