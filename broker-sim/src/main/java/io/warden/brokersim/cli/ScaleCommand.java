package io.warden.brokersim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warden.brokersim.scale.ScaleRun;
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
 * {@code scale}: a large fleet in this JVM against any ensemble, timing controller failover as
 * partitions grow ({@link ScaleRun}). Exit 0 when every failover left every partition with a
 * registered leader, 1 otherwise, 2 on bad input, 3 when the ensemble cannot be reached.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "Time controller failover with many brokers and partitions against an ensemble.")
final class ScaleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--connect", required = true, paramLabel = "HOST:PORT,...",
      description = "The ensemble's connect string.")
  String connect;

  @Option(names = "--brokers", defaultValue = "1000", description = "Brokers (sessions) in this JVM.")
  int brokers;

  @Option(names = "--partitions", defaultValue = "1000,10000,100000", split = ",",
      description = "Total partitions after each step (increasing).")
  List<Integer> partitions;

  @Option(names = "--partitions-per-topic", defaultValue = "100",
      description = "Partitions per topic.")
  int partitionsPerTopic;

  @Option(names = "--replication-factor", defaultValue = "3", description = "Replicas per partition.")
  int replicationFactor;

  @Option(names = "--failovers", defaultValue = "3", description = "Controller kills per step.")
  int failovers;

  @Option(names = "--session-timeout-ms", defaultValue = "18000",
      description = "Broker session timeout (Kafka's default; the ensemble clamps it).")
  long sessionTimeoutMs;

  @Option(names = "--seed", description = "Seed for assignments (default: random, printed).")
  Long seed;

  @Option(names = "--json", description = "Print the results as JSON (progress goes to stderr).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long s = seed != null ? seed : System.nanoTime();
    ScaleRun.Settings settings;
    try {
      settings = new ScaleRun.Settings(connect, brokers, partitions, partitionsPerTopic,
          replicationFactor, failovers, Duration.ofMillis(sessionTimeoutMs), s);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return BrokerSimMain.EXIT_USAGE;
    }
    String unreachable = RunCommand.probe(connect, settings.sessionTimeout());
    if (unreachable != null) {
      err.println("error: " + unreachable);
      return BrokerSimMain.EXIT_UNREACHABLE;
    }
    PrintWriter progress = json ? err : out;
    progress.println("seed " + s + " (replay with --seed " + s + ")");
    progress.flush();
    List<ScaleRun.Step> steps = new ScaleRun(settings, line -> {
      progress.println(line);
      progress.flush();
    }).run();
    if (json) {
      out.println(toJson(steps));
    } else {
      for (ScaleRun.Step st : steps) {
        out.printf("%,9d partitions: failover median %,d ms %s; created in %,d ms%s%n", st.partitions(),
            st.medianFailoverMs(), st.failoverMs(), st.createMs(),
            st.violations().isEmpty() ? "" : "; VIOLATIONS " + st.violations());
      }
    }
    out.flush();
    return steps.stream().allMatch(st -> st.violations().isEmpty()) ? 0 : BrokerSimMain.EXIT_VIOLATED;
  }

  static String toJson(List<ScaleRun.Step> steps) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ScaleRun.Step st : steps) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("partitions", st.partitions());
      m.put("topics", st.topics());
      m.put("createMs", st.createMs());
      m.put("failoverMs", st.failoverMs());
      m.put("medianFailoverMs", st.medianFailoverMs());
      m.put("ledByKilledController", st.ledByKilled());
      m.put("violations", st.violations());
      m.put("fleetThreads", st.fleetThreads());
      m.put("fleetHeapMb", st.fleetHeapMb());
      rows.add(m);
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
        Map.of("steps", rows));
  }
}
