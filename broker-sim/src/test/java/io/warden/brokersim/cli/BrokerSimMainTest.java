package io.warden.brokersim.cli;

import io.warden.brokersim.testing.EmbeddedZooKeeper;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI's exit codes and messages, for good and bad input. */
class BrokerSimMainTest {
  private static EmbeddedZooKeeper zk;

  @BeforeAll
  static void start() throws Exception {
    zk = new EmbeddedZooKeeper();
  }

  @AfterAll
  static void stop() {
    zk.close();
  }

  private record Outcome(int exit, String out, String err) {
  }

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BrokerSimMain());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("error: " + ex.getMessage());
      return BrokerSimMain.EXIT_USAGE;
    });
    int exit = cl.execute(args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  @Test
  void unknownScenarioIsRejectedWithTheKnownNames() {
    Outcome o = run("run", "--connect", zk.connectString(), "--scenario", "nope");
    assertThat(o.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(o.err()).contains("unknown scenario 'nope'").contains("controller-crash");
  }

  @Test
  void invalidCountsAreRejected() {
    Outcome few = run("run", "--connect", zk.connectString(), "--brokers", "2");
    assertThat(few.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(few.err()).contains("at least 3 brokers");
    Outcome rf = run("run", "--connect", zk.connectString(), "--replication-factor", "9");
    assertThat(rf.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(rf.err()).contains("replication factor");
    Outcome notNumber = run("run", "--connect", zk.connectString(), "--partitions", "x");
    assertThat(notNumber.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(notNumber.err()).contains("--partitions");
    Outcome missing = run("run");
    assertThat(missing.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(missing.err()).contains("--connect");
  }

  @Test
  void unreachableEnsembleIsReported() throws Exception {
    // Held, never accepted: a port closed again could be taken by another process on a busy
    // machine (it happened: another suite's server answered there). Connections sit in the
    // backlog and nothing ever answers, which is unreachable to a client too.
    try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = silent.getLocalPort();
      Outcome o = run("run", "--connect", "127.0.0.1:" + port, "--session-timeout-ms", "1000",
          "--scenario", "cold-start");
      assertThat(o.exit()).isEqualTo(BrokerSimMain.EXIT_UNREACHABLE);
      assertThat(o.err()).contains("cannot reach the ensemble at 127.0.0.1:" + port);
    }
    Outcome bad = run("run", "--connect", "no-port-here", "--scenario", "cold-start");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("error:");
  }

  @Test
  void aPassingScenarioExitsZeroAndPrintsJson() throws Exception {
    Outcome o = run("run", "--connect", zk.connectString(), "--scenario", "duplicate-broker-id",
        "--seed", "42", "--session-timeout-ms", "2000", "--json");
    assertThat(o.exit()).as(o.out() + o.err()).isZero();
    JsonNode n = new ObjectMapper().readTree(o.out());
    assertThat(n.get("passed").asBoolean()).isTrue();
    assertThat(n.get("results").get(0).get("scenario").asText()).isEqualTo("duplicate-broker-id");
    assertThat(n.get("results").get(0).get("seed").asLong()).isEqualTo(42);
    assertThat(n.get("results").get(0).get("violations")).isEmpty();
  }

  @Test
  void scaleTimesEachFailoverAndPrintsJson() throws Exception {
    Outcome o = run("scale", "--connect", zk.connectString(), "--brokers", "5", "--partitions", "40,80",
        "--partitions-per-topic", "20", "--failovers", "2", "--session-timeout-ms", "4000", "--seed", "7",
        "--json");
    assertThat(o.exit()).as(o.out() + o.err()).isZero();
    assertThat(o.err()).contains("seed 7").contains("step 80: failover 2/2 took");
    JsonNode steps = new ObjectMapper().readTree(o.out()).get("steps");
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).get("partitions").asInt()).isEqualTo(40);
    assertThat(steps.get(1).get("partitions").asInt()).isEqualTo(80);
    assertThat(steps.get(1).get("topics").asInt()).isEqualTo(4);
    for (JsonNode step : steps) {
      assertThat(step.get("failoverMs")).hasSize(2);
      assertThat(step.get("violations")).isEmpty();
    }
  }

  @Test
  void scaleRefusesStepsThatDoNotGrowOrSplitIntoTopics() {
    Outcome shrinking = run("scale", "--connect", zk.connectString(), "--partitions", "200,100");
    assertThat(shrinking.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(shrinking.err()).contains("partition steps must increase");
    Outcome uneven = run("scale", "--connect", zk.connectString(), "--partitions", "150");
    assertThat(uneven.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(uneven.err()).contains("multiples of 100");
    Outcome few = run("scale", "--connect", zk.connectString(), "--brokers", "2");
    assertThat(few.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(few.err()).contains("--brokers must be at least 3");
  }

  @Test
  void theDemoWithChaosKeepsTheFleetWholeAfterEveryFault() {
    Outcome o = run("demo", "--chaos", "--chaos-interval-s", "1", "--duration-s", "20", "--seed", "7",
        "--dashboard-port", "0",
        "--brokers", "4", "--topics", "2", "--partitions", "4");
    assertThat(o.out()).contains("CHAOS stopped Warden node").contains("CHAOS whole again")
        .doesNotContain("CHAOS NOT whole").containsPattern("CHAOS done: [1-9][0-9]* faults, 0 without recovery");
    assertThat(o.exit()).isZero();
  }

  @Test
  void aDashboardPortInUseIsReported() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Outcome o = run("demo", "--duration-s", "1", "--brokers", "3", "--topics", "0",
          "--dashboard-port", String.valueOf(taken.getLocalPort()));
      assertThat(o.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
      assertThat(o.err()).contains("the dashboard cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("--dashboard-port");
    }
    Outcome bad = run("demo", "--dashboard-port", "70000");
    assertThat(bad.exit()).isEqualTo(BrokerSimMain.EXIT_USAGE);
    assertThat(bad.err()).contains("--dashboard-port must be -1..65535");
  }

  @Test
  void theDemoRunsAgainstAnOutsideEnsembleWithItsDashboard() {
    Outcome o = run("demo", "--connect", zk.connectString(), "--duration-s", "6", "--dashboard-port", "0",
        "--brokers", "3", "--topics", "1", "--partitions", "2", "--replication-factor", "2", "--seed", "3");
    assertThat(o.exit()).as(o.err()).isZero();
    assertThat(o.out()).contains("Ensemble: " + zk.connectString()).doesNotContain("Warden ensemble data")
        .containsPattern("Dashboard: http://127\\.0\\.0\\.1:\\d+/")
        .containsPattern("controller: broker [1-3] epoch [1-9]");
  }

  @Test
  void aConnectStringWithAChrootOrWithoutPortsIsRefused() {
    for (String bad : new String[] {"127.0.0.1:2181/kafka", "localhost", "a:1,,b:2"}) {
      Outcome o = run("demo", "--connect", bad, "--dashboard-port", "-1");
      assertThat(o.exit()).as(bad).isEqualTo(BrokerSimMain.EXIT_USAGE);
      assertThat(o.err()).contains("--connect takes host:port");
    }
  }

  @Test
  void srvrRepliesBecomeCoordinatorMembers() {
    assertThat(SrvrCoordinators.parse(2, "Zookeeper version: 3.9\nMode: follower\nTerm: 7\nCommit index: 41\n"))
        .isEqualTo(new io.warden.brokersim.dashboard.Coordinators.Member(2, "follower", 7, 41));
    assertThat(SrvrCoordinators.parse(1, "Zookeeper version: 3.9.3\nZxid: 0x100000002\nMode: leader\n"))
        .isEqualTo(new io.warden.brokersim.dashboard.Coordinators.Member(1, "leader", -1, -1));
    assertThat(SrvrCoordinators.parse(3, "This ZooKeeper instance is not currently serving requests\n").mode())
        .isEqualTo("not serving");
  }
}
