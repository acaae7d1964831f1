package io.warden.it.docker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Three (or five) Warden containers from docker/Dockerfile on a private network, configured the way the
 * image documents (WARDEN_MY_ID, WARDEN_SERVERS). Client ports are published on 127.0.0.1 only.
 * Skipped where there is no Docker; CI turns the skip off (the "ci" profile), so there a broken
 * Docker fails the build.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerEnsembleTest {
  private static final String SERVERS = servers(3);

  private static String servers(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "server." + i + "=warden" + i + ":2888:3888;2181")
        .collect(Collectors.joining(" "));
  }

  private final Network network = Network.newNetwork();
  private final List<GenericContainer<?>> nodes = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    nodes.forEach(GenericContainer::stop);
    network.close();
  }

  private GenericContainer<?> node(int id, String servers) {
    GenericContainer<?> c = new GenericContainer<>(WardenImage.get())
        .withNetwork(network)
        .withNetworkAliases("warden" + id)
        .withEnv("WARDEN_MY_ID", Integer.toString(id))
        .withEnv("WARDEN_SERVERS", servers)
        .withEnv("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .withExposedPorts(2181)
        // publish on loopback only, never on every interface
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
            new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(2181))))
        .waitingFor(Wait.forLogMessage(".*peers on .*\\n", 1).withStartupTimeout(Duration.ofMinutes(2)));
    nodes.add(c);
    return c;
  }

  private ZooKeeper connect(String connectString) throws Exception {
    ZooKeeper zk = new ZooKeeper(connectString, 20_000, e -> { });
    open.add(zk::close);
    await().atMost(Duration.ofSeconds(60)).until(() -> zk.getState() == ZooKeeper.States.CONNECTED);
    return zk;
  }

  private static String mode(GenericContainer<?> c) {
    try {
      var r = c.execInContainer("bash", "-c",
          "exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; timeout 2 cat <&3 | grep '^Mode:' || true");
      return r.getStdout().replace("Mode:", "").trim();
    } catch (Exception e) {
      return "";
    }
  }

  /** Starts three members and waits for one leader, two followers, all healthy; returns the connect string. */
  private String startEnsemble() {
    return startEnsemble(3);
  }

  private String startEnsemble(int size) {
    for (int id = 1; id <= size; id++) {
      node(id, servers(size));
    }
    nodes.parallelStream().forEach(GenericContainer::start);
    await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().map(DockerEnsembleTest::mode)
        .filter(m -> m.equals("leader")).count() == 1
        && nodes.stream().map(DockerEnsembleTest::mode).allMatch(m -> m.equals("leader") || m.equals("follower")));
    await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream().allMatch(c ->
        "healthy".equals(c.getCurrentContainerInfo().getState().getHealth().getStatus())));
    return nodes.stream().map(c -> "127.0.0.1:" + c.getMappedPort(2181)).collect(Collectors.joining(","));
  }

  private GenericContainer<?> leader() {
    return nodes.stream().filter(c -> mode(c).equals("leader")).findFirst().orElseThrow();
  }

  @Test
  void aPausedLeaderIsReplacedAndRejoinsAsAFollowerWithEveryWrite() throws Exception {
    ZooKeeper client = connect(startEnsemble());
    long session = client.getSessionId();
    client.create("/data", "1".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

    GenericContainer<?> paused = leader();
    // docker pause: the process is frozen (a long GC pause, a stalled VM), its sockets stay open
    paused.getDockerClient().pauseContainerCmd(paused.getContainerId()).exec();
    List<GenericContainer<?>> others = nodes.stream().filter(c -> c != paused).toList();
    await().atMost(Duration.ofSeconds(60)).until(() -> others.stream().map(DockerEnsembleTest::mode)
        .filter(m -> m.equals("leader")).count() == 1);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> client.setData("/data", "2".getBytes(UTF_8), -1) != null);

    paused.getDockerClient().unpauseContainerCmd(paused.getContainerId()).exec();
    await().atMost(Duration.ofSeconds(60)).until(() -> mode(paused).equals("follower"));
    ZooKeeper direct = connect("127.0.0.1:" + paused.getMappedPort(2181));
    java.util.concurrent.CompletableFuture<Integer> synced = new java.util.concurrent.CompletableFuture<>();
    direct.sync("/data", (rc, path, ctx) -> synced.complete(rc), null);
    assertThat(synced.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    assertThat(new String(direct.getData("/data", false, null), UTF_8)).as("the old leader caught up").isEqualTo("2");
    assertThat(client.getSessionId()).isEqualTo(session);
  }

  /** "Applied index: N" from a member's srvr, asked from inside its container (no network needed). */
  private static long appliedIndex(GenericContainer<?> c) {
    try {
      var r = c.execInContainer("bash", "-c",
          "exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; timeout 2 cat <&3 | grep '^Applied index:' || true");
      return Long.parseLong(r.getStdout().replace("Applied index:", "").trim());
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void fiveContainersKeepServingWhileTheLeaderAndAFollowerAreCutOffTheNetworkAndCatchThemUp() throws Exception {
    ZooKeeper client = connect(startEnsemble(5));
    long session = client.getSessionId();
    client.create("/data", "0".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

    GenericContainer<?> oldLeader = leader();
    GenericContainer<?> follower = nodes.stream().filter(c -> c != oldLeader).findFirst().orElseThrow();
    List<GenericContainer<?>> cut = List.of(oldLeader, follower);
    var docker = oldLeader.getDockerClient();
    // docker network disconnect: a minority of two loses the network; no RST, just silence
    for (GenericContainer<?> c : cut) {
      docker.disconnectFromNetworkCmd().withNetworkId(network.getId()).withContainerId(c.getContainerId()).exec();
    }
    List<GenericContainer<?>> majority = nodes.stream().filter(c -> !cut.contains(c)).toList();
    await().atMost(Duration.ofSeconds(60)).until(() -> majority.stream().map(DockerEnsembleTest::mode)
        .filter(m -> m.equals("leader")).count() == 1);
    for (int i = 1; i <= 20; i++) {
      String v = Integer.toString(i);
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> client.setData("/data", v.getBytes(UTF_8), -1) != null);
    }

    for (GenericContainer<?> c : cut) {
      int id = nodes.indexOf(c) + 1;
      docker.connectToNetworkCmd().withNetworkId(network.getId()).withContainerId(c.getContainerId())
          .withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork().withAliases("warden" + id))
          .exec();
    }
    long committed = majority.stream().mapToLong(DockerEnsembleTest::appliedIndex).max().orElseThrow();
    await().atMost(Duration.ofSeconds(60)).until(() -> cut.stream().allMatch(c -> mode(c).equals("follower")
        && appliedIndex(c) >= committed));
    assertThat(new String(client.getData("/data", false, null), UTF_8)).isEqualTo("20");
    assertThat(client.getSessionId()).isEqualTo(session);
  }

  @Test
  void aContainerWithABadEnvironmentExitsAtOnceWithAMessageNamingTheProblem() throws Exception {
    String noId = runToExit("WARDEN_SERVERS=" + SERVERS);
    assertThat(noId).contains("WARDEN_MY_ID");
    String badTick = runToExit("WARDEN_TICK_TIME=fast");
    assertThat(badTick).contains("tickTime").contains("fast");
  }

  /** Runs the image with {@code env} until it exits (it must, non-zero, within a minute); returns its output. */
  private static String runToExit(String... env) throws Exception {
    var docker = org.testcontainers.DockerClientFactory.instance().client();
    String image = WardenImage.get().get();
    String id = docker.createContainerCmd(image).withEnv(env).exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      int status = docker.waitContainerCmd(id).exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
          .awaitStatusCode(60, java.util.concurrent.TimeUnit.SECONDS);
      StringBuilder out = new StringBuilder();
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(
          new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame f) {
              out.append(new String(f.getPayload(), UTF_8));
            }
          }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(status).as("exit status; output:%n%s", out).isNotZero();
      return out.toString();
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
  }

  @Test
  void threeContainersElectALeaderServeTheOfficialClientAndSurviveKillingTheLeader() throws Exception {
    String connect = startEnsemble();
    ZooKeeper client = connect(connect);
    long session = client.getSessionId();
    client.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    client.create("/data", "1".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

    GenericContainer<?> leader = leader();
    // docker kill: SIGKILL, as a crashed host
    leader.getDockerClient().killContainerCmd(leader.getContainerId()).exec();
    List<GenericContainer<?>> survivors = nodes.stream().filter(c -> c != leader).toList();
    await().atMost(Duration.ofSeconds(60)).until(() -> survivors.stream().map(DockerEnsembleTest::mode)
        .filter(m -> m.equals("leader")).count() == 1);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> client.setData("/data", "2".getBytes(UTF_8), -1) != null);
    assertThat(client.getSessionId()).isEqualTo(session);
    assertThat(client.exists("/eph", false).getEphemeralOwner()).isEqualTo(session);
    assertThat(new String(client.getData("/data", false, null), UTF_8)).isEqualTo("2");
  }
}
