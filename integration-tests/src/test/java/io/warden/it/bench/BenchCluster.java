package io.warden.it.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A 3-node ensemble of separate JVMs on loopback, Apache ZooKeeper or Warden, started from the
 * same zoo.cfg text (tickTime 2000, fsync on as both default) and the same JVM heap, so the two
 * differ only in the server. zoo.cfg must name every peer port up front: they are picked free by
 * binding port 0 and releasing it just before the files are written.
 */
final class BenchCluster implements AutoCloseable {
  /** The same for both servers: a fixed 1 GB heap, so neither gains by growing. */
  static final List<String> HEAP = List.of("-Xms1g", "-Xmx1g");

  enum Kind {
    ZOOKEEPER("ZooKeeper"), WARDEN("Warden");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private static final String ZOOKEEPER_LOGBACK = """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
        </appender>
        <root level="INFO"><appender-ref ref="OUT"/></root>
      </configuration>
      """;

  private final Kind kind;
  private final List<ServerJvm> servers;

  /** coordinator/target/warden.jar (or {@code -Dwarden.jar}), which {@code -am ... verify} builds. */
  static Path wardenJar() {
    Path jar = Path.of(System.getProperty("warden.jar", "../coordinator/target/warden.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no Warden jar at " + jar.toAbsolutePath()
          + " (build it with -am ... verify, or pass -Dwarden.jar)");
    }
    return jar;
  }

  /**
   * Writes a logback config for ZooKeeper at INFO into {@code dir} (created if need be): the test
   * classpath carries the tests' own, which could be far chattier.
   */
  static Path zooKeeperLogback(Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("zookeeper-logback.xml"), ZOOKEEPER_LOGBACK);
  }

  private BenchCluster(Kind kind, List<ServerJvm> servers) {
    this.kind = kind;
    this.servers = servers;
  }

  /**
   * Writes the configs under {@code root} (emptied first).
   *
   * @param wardenJar        coordinator/target/warden.jar, for Warden
   * @param zooKeeperLogback a logback config for ZooKeeper at INFO (the test classpath carries
   *                         the tests' own, which could be far chattier)
   */
  static BenchCluster create(Kind kind, Path root, int size, Path wardenJar, Path zooKeeperLogback) {
    List<Integer> ports = FreePorts.loopback(3 * size);
    StringBuilder peers = new StringBuilder();
    for (int id = 1; id <= size; id++) {
      peers.append("server.").append(id).append("=127.0.0.1:").append(ports.get(3 * id - 3))
          .append(':').append(ports.get(3 * id - 2)).append(":participant;127.0.0.1:")
          .append(ports.get(3 * id - 1)).append('\n');
    }
    List<ServerJvm> servers = new ArrayList<>();
    try {
      deleteTree(root);
      for (int id = 1; id <= size; id++) {
        Path dir = root.resolve("server-" + id).toAbsolutePath();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), id + "\n");
        int clientPort = ports.get(3 * id - 1);
        Path config = dir.resolve("zoo.cfg");
        Files.writeString(config, String.join("\n",
            "tickTime=2000",
            "initLimit=10",
            "syncLimit=5",
            "dataDir=" + data,
            "clientPortAddress=127.0.0.1",
            "clientPort=" + clientPort,
            "maxClientCnxns=0",
            "admin.enableServer=false",
            "4lw.commands.whitelist=*",
            "standaloneEnabled=false",
            peers.toString()));
        servers.add(new ServerJvm(id, command(kind, config, wardenJar, zooKeeperLogback),
            dir.resolve("server.log"), clientPort));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + kind.label + " configs under " + root, e);
    }
    return new BenchCluster(kind, servers);
  }

  private static List<String> command(Kind kind, Path config, Path wardenJar, Path logback) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(HEAP);
    // both kinds alike: pauses are part of what the benchmark explains (server-N/gc.log)
    cmd.add("-Xlog:gc:file=" + config.resolveSibling("gc.log").toAbsolutePath() + ":time,uptime");
    switch (kind) {
      case ZOOKEEPER -> cmd.addAll(List.of("-Dlogback.configurationFile=" + logback.toAbsolutePath(),
          "-cp", System.getProperty("java.class.path"),
          "org.apache.zookeeper.server.quorum.QuorumPeerMain", config.toString()));
      case WARDEN -> cmd.addAll(List.of("-jar", wardenJar.toAbsolutePath().toString(),
          "server", "--config", config.toString()));
      default -> throw new IllegalArgumentException(kind.name());
    }
    return cmd;
  }

  Kind kind() {
    return kind;
  }

  void startAll() {
    servers.forEach(ServerJvm::start);
  }

  ServerJvm server(int id) {
    return servers.get(id - 1);
  }

  /** Waits until every live member serves and exactly one leads; returns the leader's id. */
  int awaitStable(Duration timeout) {
    int[] leader = new int[1];
    try {
      await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
        int leaders = 0;
        for (ServerJvm s : servers) {
          String mode = s.isAlive() ? s.mode() : "-";
          if (mode.isEmpty()) {
            return false;
          }
          if (mode.equals("leader")) {
            leaders++;
            leader[0] = s.id();
          }
        }
        return leaders == 1;
      });
    } catch (RuntimeException e) {
      throw new IllegalStateException(kind.label + " did not settle within " + timeout
          + "; logs under " + servers.get(0).logFile().getParent().getParent(), e);
    }
    return leader[0];
  }

  /** Every member, followers first: pinned sessions 0 and 1 then land on followers. */
  String followersFirst(int leaderId) {
    return servers.stream().sorted(Comparator.comparing(s -> s.id() == leaderId))
        .map(s -> "127.0.0.1:" + s.clientPort()).collect(Collectors.joining(","));
  }

  @Override
  public void close() {
    servers.forEach(ServerJvm::kill);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
