package io.warden.brokersim.cli;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.broker.SimListener;
import io.warden.brokersim.dashboard.Dashboard;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.fleet.Fleet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: an embedded 3-node Warden ensemble on loopback, a fleet of brokers with a few
 * topics, a running commentary of what the fleet does, and the web dashboard. Runs until interrupted (Ctrl-C) or,
 * with {@code --duration-s}, for that long.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start an embedded 3-node Warden ensemble and a broker fleet on it.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--brokers", defaultValue = "5", description = "Brokers in the fleet.")
  int brokers;

  @Option(names = "--topics", defaultValue = "3", description = "Topics to create.")
  int topics;

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic.")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "3", description = "Replicas.")
  int replicationFactor;

  @Option(names = "--data-dir", description = "Where the ensemble keeps its data (default: a "
      + "temporary directory).")
  Path dataDir;

  @Option(names = "--connect", paramLabel = "HOST:PORT,...", description = "Run the fleet against "
      + "this ensemble (Warden or Apache ZooKeeper; the fleet lives under /kafka) instead of "
      + "embedding one; --chaos then only kills brokers.")
  String connect;

  @Option(names = "--dashboard-address", defaultValue = "127.0.0.1", description = "Address the "
      + "dashboard listens on (0.0.0.0 in a container). Default: ${DEFAULT-VALUE}.")
  String dashboardAddress;

  @Option(names = "--duration-s", description = "Stop after this many seconds (default: run "
      + "until interrupted).")
  Long durationS;

  @Option(names = "--seed", description = "Seed for replica assignment and chaos (default: random).")
  Long seed;

  @Option(names = "--chaos", description = "Inject a fault every --chaos-interval-s: kill the "
      + "controller or a broker, stop the Warden leader or a follower; print how long the fleet "
      + "takes to be whole again.")
  boolean chaos;

  @Option(names = "--dashboard-port", defaultValue = "8080", description = "Port of the web "
      + "dashboard on 127.0.0.1 (0: any free port; -1: no dashboard). Default: ${DEFAULT-VALUE}.")
  int dashboardPort;

  @Option(names = "--chaos-interval-s", defaultValue = "10", description = "Seconds between faults.")
  int chaosIntervalS;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (brokers < 1 || topics < 0 || partitions < 1 || replicationFactor < 1
        || replicationFactor > brokers) {
      spec.commandLine().getErr().println("error: need brokers >= 1, partitions >= 1 and "
          + "1 <= replication factor <= brokers");
      return BrokerSimMain.EXIT_USAGE;
    }
    if (dashboardPort < -1 || dashboardPort > 65535) {
      spec.commandLine().getErr().println("error: --dashboard-port must be -1..65535");
      return BrokerSimMain.EXIT_USAGE;
    }
    if (connect != null && !connect.matches("[^,:/\\s]+:\\d+(,[^,:/\\s]+:\\d+)*")) {
      spec.commandLine().getErr().println("error: --connect takes host:port[,host:port...] "
          + "(no chroot; the fleet lives under /kafka), not '" + connect + "'");
      return BrokerSimMain.EXIT_USAGE;
    }
    long s = seed != null ? seed : System.nanoTime();
    Path dir = null;
    if (connect == null) {
      dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("broker-sim-demo-");
      out.println("Warden ensemble data: " + dir + "   seed " + s);
    } else {
      out.println("Ensemble: " + connect + "   seed " + s);
    }
    out.flush();
    SimListener printer = new SimListener() {
      @Override
      public void event(SimEvent e) {
        out.println(e);
        out.flush();
      }
    };
    Demo.Settings settings = new Demo.Settings(dir, brokers, topics, partitions, replicationFactor,
        s, dashboardPort);
    Demo started;
    try {
      started = Demo.start(settings, printer, connect, dashboardAddress);
    } catch (Dashboard.ListenException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage()
          + "; choose another port with --dashboard-port (0: any free port)");
      return BrokerSimMain.EXIT_USAGE;
    }
    try (Demo demo = started) {
      demo.ensemble().ifPresent(e -> out.println("Warden ensemble: " + e.connectString()));
      demo.dashboardUrl().ifPresent(url -> out.println("Dashboard: " + url));
      out.flush();
      long deadline = durationS != null ? System.nanoTime() + durationS * 1_000_000_000L : Long.MAX_VALUE;
      if (chaos) {
        int unrecovered = new Chaos(demo.fleet(), demo.ensemble().orElse(null), out, demo::note, s, brokers)
            .run(Duration.ofSeconds(Math.max(1, chaosIntervalS)), deadline);
        printSummary(out, demo.fleet(), demo.ensemble().orElse(null));
        return unrecovered == 0 ? 0 : 1;
      }
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await(durationS != null ? durationS : Long.MAX_VALUE, java.util.concurrent.TimeUnit.SECONDS);
      printSummary(out, demo.fleet(), demo.ensemble().orElse(null));
    }
    return 0;
  }

  private static void printSummary(PrintWriter out, Fleet fleet, DemoEnsemble ensemble)
      throws Exception {
    ClusterSnapshot s = fleet.snapshot();
    if (ensemble != null) {
      out.println("coordinators: " + ensemble.status().values().stream()
          .map(st -> st.serverId() + "=" + st.mode() + "(term " + st.term() + ", commit "
              + st.commitIndex() + ")").toList());
    }
    out.println("controller: broker " + s.controllerId().orElse(-1) + " epoch "
        + s.controllerEpoch() + "; brokers " + s.brokerEpochs().keySet() + "; partitions "
        + s.partitionStates().size() + ", offline " + s.offlinePartitions());
    for (Broker b : fleet.brokers()) {
      out.println("  broker " + b.id() + " " + b.state() + " epoch 0x"
          + Long.toHexString(b.brokerEpoch()) + " leads " + b.ledPartitions().size());
    }
    out.flush();
  }
}
