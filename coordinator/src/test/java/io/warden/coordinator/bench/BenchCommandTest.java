package io.warden.coordinator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.client.WardenClient;
import io.warden.coordinator.cli.WardenMain;
import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The bench subcommand against an embedded Warden node and an embedded Apache ZooKeeper: every
 * op completes requests without errors, prints parseable JSON and leaves no nodes behind. Runs
 * are one second long and nothing here asserts on speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WardenServer warden;
  private EmbeddedZooKeeper zooKeeper;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    warden = TestServers.start(dir.resolve("warden"));
    zooKeeper = new EmbeddedZooKeeper(dir.resolve("zookeeper"));
  }

  @AfterAll
  void stop() {
    if (warden != null) {
      warden.close();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  private record Run(int exitCode, String out, String err) {
  }

  private static Run bench(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    List<String> all = new ArrayList<>(List.of("bench"));
    all.addAll(List.of(args));
    CommandLine cl = new CommandLine(new WardenMain(), new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        if (cls == BenchCommand.class) {
          return cls.cast(new BenchCommand(o, e));
        }
        return CommandLine.defaultFactory().create(cls);
      }
    }).setOut(new java.io.PrintWriter(o, true)).setErr(new java.io.PrintWriter(e, true));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode shortRun(String connect, BenchOp op) throws Exception {
    Run run = bench("--connect", connect, "--op", op.cliName(), "--clients", "3", "--inflight", "4",
        "--size", "1024", "--znodes", "50", "--duration", "1", "--json");
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(json.get("op").asText()).isEqualTo(op.cliName());
    assertThat(json.get("ops").asLong()).isPositive();
    assertThat(json.get("errors").asLong()).isZero();
    assertThat(json.get("opsPerSec").asDouble()).isPositive();
    JsonNode latency = json.get("latencyMs");
    assertThat(latency.get("p50").asDouble()).isPositive()
        .isLessThanOrEqualTo(latency.get("p99").asDouble());
    assertThat(latency.get("p99").asDouble()).isLessThanOrEqualTo(latency.get("max").asDouble());
    if (op != BenchOp.WATCH_FANOUT && op != BenchOp.SESSION_CHURN) {
      // while no session had a reply, each session went without one too
      assertThat(json.get("maxSessionGapMs").asDouble()).isPositive()
          .isGreaterThanOrEqualTo(json.get("maxAckGapMs").asDouble());
    }
    return json;
  }

  /** The run's root is gone afterwards: only the servers' own nodes remain under /. */
  private static void assertCleanedUp(String connect) throws Exception {
    try (WardenClient c = WardenClient.builder(connect).build()) {
      assertThat(c.awaitConnected(Duration.ofSeconds(10))).isTrue();
      assertThat(c.blocking().getChildren("/")).noneMatch(n -> n.startsWith("warden-bench-"));
    }
  }

  @ParameterizedTest
  @EnumSource(BenchOp.class)
  void everyOpRunsAgainstWarden(BenchOp op) throws Exception {
    shortRun(warden.connectString(), op);
    assertCleanedUp(warden.connectString());
  }

  @ParameterizedTest
  @EnumSource(BenchOp.class)
  void everyOpRunsAgainstZooKeeper(BenchOp op) throws Exception {
    shortRun(zooKeeper.connectString(), op);
    assertCleanedUp(zooKeeper.connectString());
  }

  @Test
  void textOutputNamesThroughputLatencyAndErrors() {
    Run run = bench("--connect", warden.connectString(), "--op", "mixed", "--read-ratio", "0.5",
        "--duration", "1");
    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).contains("op mixed, 1 clients x 1 in flight", "ops/s", "p50", "p99.9",
        "max", "errors       0");
  }

  @Test
  void unknownOpIsRefusedWithTheValidOnes() {
    Run run = bench("--connect", warden.connectString(), "--op", "frobnicate");
    assertThat(run.exitCode()).isEqualTo(BenchCommand.EXIT_USAGE);
    assertThat(run.err()).contains("unknown op 'frobnicate'", "create, set, get");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void fewerThanOneClientIsRefused() {
    Run run = bench("--connect", warden.connectString(), "--clients", "0");
    assertThat(run.exitCode()).isEqualTo(BenchCommand.EXIT_USAGE);
    assertThat(run.err()).contains("--clients must be within 1..");
  }

  @Test
  void badNumbersAreRefused() {
    assertThat(bench("--connect", warden.connectString(), "--inflight", "0").err())
        .contains("--inflight must be >= 1");
    assertThat(bench("--connect", warden.connectString(), "--read-ratio", "1.5").err())
        .contains("--read-ratio must be within 0..1");
    assertThat(bench("--connect", warden.connectString(), "--duration", "-1").err())
        .contains("--duration must be within");
    Run notANumber = bench("--connect", warden.connectString(), "--clients", "many");
    assertThat(notANumber.exitCode()).isEqualTo(BenchCommand.EXIT_USAGE);
    assertThat(notANumber.err()).contains("--clients");
  }

  @Test
  void missingConnectIsRefused() {
    Run run = bench("--op", "get");
    assertThat(run.exitCode()).isEqualTo(BenchCommand.EXIT_USAGE);
    assertThat(run.err()).contains("--connect");
  }

  @Test
  void unreachableServerFailsWithinTheConnectTimeout() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Run run = bench("--connect", "127.0.0.1:" + closedPort, "--connect-timeout", "1");
    assertThat(run.exitCode()).isEqualTo(BenchCommand.EXIT_FAILED);
    assertThat(run.err()).contains("cannot connect to 127.0.0.1:" + closedPort + " within 1000 ms");
  }

  @Test
  void malformedConnectStringIsRefused() {
    Run run = bench("--connect", "no-port-here:xyz");
    assertThat(run.exitCode()).isEqualTo(BenchCommand.EXIT_FAILED);
    assertThat(run.err()).contains("invalid --connect");
  }
}
