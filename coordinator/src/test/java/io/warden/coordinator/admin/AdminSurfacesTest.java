package io.warden.coordinator.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warden.coordinator.badinput.WireClient;
import io.warden.coordinator.config.ConfigParser;
import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.node.NodeStatus;
import io.warden.coordinator.server.WardenServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin surfaces of a running server with traffic on it, configured from a zoo.cfg with
 * {@code 4lw.commands.whitelist=*}: every four-letter word on the client port (reference §13)
 * and the HTTP admin port (/commands, /commands/&lt;name&gt;, /metrics, /health, /ready, errors),
 * each checked against the node's own state where there is one to compare with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminSurfacesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private WardenServer server;
  private ZooKeeper zk;
  private HttpClient http;

  @BeforeAll
  void start() throws Exception {
    Properties p = new Properties();
    p.setProperty("dataDir", dir.resolve("data").toString());
    p.setProperty("clientPortAddress", "127.0.0.1");
    p.setProperty("clientPort", "0");
    p.setProperty("admin.serverAddress", "127.0.0.1");
    p.setProperty("admin.serverPort", "0");
    p.setProperty("tickTime", "500");
    p.setProperty("maxClientCnxns", "33");
    p.setProperty("4lw.commands.whitelist", "*");
    server = WardenServer.start(ConfigParser.parse(p, dir));
    CountDownLatch connected = new CountDownLatch(1);
    zk = new ZooKeeper(server.connectString(), 5000, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    assertThat(connected.await(20, TimeUnit.SECONDS)).isTrue();
    // Traffic: persistent and ephemeral znodes, data changes, reads and three watches on two paths.
    zk.create("/app", "x".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create("/app/a", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.create("/app/e", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    zk.setData("/app/a", new byte[50], 0);
    zk.getData("/app/a", event -> { }, null);
    zk.exists("/app", event -> { });
    zk.getChildren("/app", event -> { });
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  void stop() throws InterruptedException {
    zk.close();
    server.close();
  }

  // ---- four-letter words ----------------------------------------------------------------

  @Test
  void ruokAndIsro() {
    assertThat(fourLetters("ruok")).isEqualTo("imok");
    assertThat(fourLetters("isro")).isEqualTo("rw");
  }

  @Test
  void srvrReportsTheNodesOwnNumbers() throws Exception {
    String text = fourLetters("srvr");
    NodeStatus s = status();
    assertThat(text).startsWith("Zookeeper version: 3.9.4-warden-");
    Map<String, String> f = fields(text, ": ");
    assertThat(f.get("Latency min/avg/max")).matches("\\d+/\\d+/\\d+");
    assertThat(f.get("Mode")).isEqualTo("standalone");
    assertThat(f.get("Node count")).isEqualTo(Integer.toString(s.znodeCount()));
    assertThat(Long.parseLong(f.get("Zxid").substring(2), 16)).isEqualTo(s.appliedIndex());
    assertThat(Long.parseLong(f.get("Received"))).isPositive();
    assertThat(Long.parseLong(f.get("Sent"))).isPositive();
    assertThat(Integer.parseInt(f.get("Connections"))).isGreaterThanOrEqualTo(1);
    assertThat(f).containsKey("Outstanding");
  }

  @Test
  void statListsTheConnectedClient() {
    String text = fourLetters("stat");
    assertThat(text).contains("Clients:\n");
    assertThat(text).containsPattern(" /127\\.0\\.0\\.1:\\d+\\[1\\]\\(queued=\\d+,recved=[1-9]\\d*,sent=[1-9]\\d*\\)");
    assertThat(text).contains("Mode: standalone\n");
  }

  @Test
  void mntrHasZooKeepersKeysWithTheNodesValues() throws Exception {
    Map<String, String> m = fields(fourLetters("mntr"), "\t");
    NodeStatus s = status();
    assertThat(m).containsKeys("zk_version", "zk_avg_latency", "zk_max_latency", "zk_min_latency",
        "zk_packets_received", "zk_packets_sent", "zk_num_alive_connections", "zk_outstanding_requests",
        "zk_approximate_data_size", "zk_open_file_descriptor_count", "zk_max_file_descriptor_count");
    assertThat(m.get("zk_server_state")).isEqualTo("standalone");
    assertThat(m.get("zk_znode_count")).isEqualTo(Integer.toString(s.znodeCount()));
    assertThat(m.get("zk_ephemerals_count")).isEqualTo("1");
    assertThat(m.get("zk_watch_count")).isEqualTo("3");
    assertThat(m.get("warden_tree_digest")).isEqualTo(Long.toHexString(s.treeDigest()));
  }

  @Test
  void confPrintsTheConfiguration() {
    Map<String, String> c = fields(fourLetters("conf"), "=");
    assertThat(c).containsKeys("clientPort", "secureClientPort", "dataLogDir", "clientPortListenBacklog");
    assertThat(c.get("dataDir")).isEqualTo(dir.resolve("data").toAbsolutePath().toString());
    assertThat(c.get("tickTime")).isEqualTo("500");
    assertThat(c.get("clientPort")).as("the bound port, not the configured 0")
        .isEqualTo(String.valueOf(server.clientPort()));
    assertThat(c.get("maxClientCnxns")).isEqualTo("33");
    assertThat(c.get("minSessionTimeout")).isEqualTo("1000");
    assertThat(c.get("maxSessionTimeout")).isEqualTo("10000");
    assertThat(c.get("serverId")).isEqualTo("1");
  }

  @Test
  void consShowsTheSession() {
    String text = fourLetters("cons");
    assertThat(text).contains(",sid=0x" + Long.toHexString(zk.getSessionId()) + ",");
    assertThat(text).containsPattern("lop=\\w+,est=\\d+,to=5000,");
    assertThat(text).endsWith("\n\n");
  }

  @Test
  void wchsCountsWatches() {
    assertThat(fourLetters("wchs")).isEqualTo("1 connections watching 2 paths\nTotal watches:3\n");
  }

  @Test
  void enviDescribesTheEnvironment() {
    Map<String, String> e = fields(fourLetters("envi"), "=");
    assertThat(fourLetters("envi")).startsWith("Environment:\n");
    assertThat(e.get("zookeeper.version")).startsWith("3.9.4-warden-");
    assertThat(e.get("java.version")).isEqualTo(System.getProperty("java.version"));
    assertThat(e).containsKeys("host.name", "os.name", "user.dir", "os.memory.free", "os.memory.max");
  }

  // ---- HTTP -------------------------------------------------------------------------------

  @Test
  void commandsListsEveryCommand() {
    HttpResponse<String> r = get("/commands");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    List<String> names = Arrays.asList(JSON.convertValue(json(r).path("commands").path("names"), String[].class));
    assertThat(names).containsExactlyInAnyOrder("ruok", "isro", "srvr", "stat", "mntr", "conf", "cons", "wchs", "envi");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ruok", "isro", "srvr", "stat", "mntr", "conf", "cons", "wchs", "envi"})
  void eachCommandAnswersAsJson(String name) throws Exception {
    HttpResponse<String> r = get("/commands/" + name);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.path("command").asText()).isEqualTo(name);
    NodeStatus s = status();
    switch (name) {
      case "ruok" -> assertThat(j.has("error") && j.get("error").isNull()).isTrue();
      case "isro" -> assertThat(j.path("read_only").asBoolean(true)).isFalse();
      case "srvr", "mntr" -> {
        assertThat(j.path("server_state").asText()).isEqualTo("standalone");
        assertThat(j.path("znode_count").asInt()).isEqualTo(s.znodeCount());
        assertThat(j.path("warden_applied_index").asLong()).isEqualTo(s.appliedIndex());
      }
      case "stat", "cons" -> assertThat(j.path("connections").findValuesAsText("sessionId"))
          .contains(Long.toString(zk.getSessionId()));
      case "conf" -> assertThat(j.path("tickTime").asText()).isEqualTo("500");
      case "wchs" -> {
        assertThat(j.path("num_connections").asInt()).isEqualTo(1);
        assertThat(j.path("num_paths").asInt()).isEqualTo(2);
        assertThat(j.path("num_total_watches").asInt()).isEqualTo(3);
      }
      case "envi" -> assertThat(j.path("java.version").asText()).isEqualTo(System.getProperty("java.version"));
      default -> throw new IllegalArgumentException(name);
    }
  }

  @Test
  void metricsExposeRequestFsyncSessionAndZnodeMetrics() throws Exception {
    NodeStatus s = status();
    // Gauges must survive garbage collection (Micrometer holds a gauge's object weakly unless
    // told otherwise): collect before scraping instead of depending on when the GC runs.
    System.gc();
    await("gauges to catch up with the node").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> r = get("/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      Map<String, Double> m = prometheus(r.body());
      assertThat(m.get("warden_requests_total{op=\"create\",result=\"ok\"}")).isGreaterThanOrEqualTo(3.0);
      assertThat(m.get("warden_requests_total{op=\"setData\",result=\"ok\"}")).isGreaterThanOrEqualTo(1.0);
      assertThat(m.get("warden_request_latency_seconds_count{op=\"create\"}")).isGreaterThanOrEqualTo(3.0);
      assertThat(m.get("warden_fsync_latency_seconds_count")).isGreaterThanOrEqualTo(4.0);
      assertThat(m.get("warden_fsync_entries_count")).isGreaterThanOrEqualTo(4.0);
      assertThat(m.get("warden_sessions")).isEqualTo(s.sessionCount());
      assertThat(m.get("warden_znodes")).isEqualTo(s.znodeCount());
      assertThat(m.get("warden_ephemerals")).isEqualTo(1.0);
      assertThat(m.get("warden_raft_applied_index")).isGreaterThanOrEqualTo(s.appliedIndex());
      assertThat(r.body()).contains("warden_request_latency_seconds_bucket{op=\"create\"");
    });
  }

  @Test
  void healthAndReadinessWhileServing() {
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> unknownCommand = get("/commands/dump");
    assertThat(unknownCommand.statusCode()).isEqualTo(404);
    assertThat(json(unknownCommand).path("error").asText()).contains("dump");
    HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/commands/ruok"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send(HttpRequest.newBuilder(uri("/health")).DELETE().build()).statusCode()).isEqualTo(405);
  }

  // ---- helpers ----------------------------------------------------------------------------

  private String fourLetters(String word) {
    try (WireClient c = WireClient.connect(server.clientPort())) {
      c.sendRaw(word.getBytes(StandardCharsets.US_ASCII));
      return new String(c.readUntilClosed(Duration.ofSeconds(10)), StandardCharsets.UTF_8);
    }
  }

  private NodeStatus status() throws Exception {
    return server.runtime().query(NodeLoop::status).get(10, TimeUnit.SECONDS);
  }

  /** {@code key<sep>value} lines (other lines ignored). */
  private static Map<String, String> fields(String text, String separator) {
    Map<String, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      int at = line.indexOf(separator);
      if (at > 0) {
        out.put(line.substring(0, at), line.substring(at + separator.length()));
      }
    }
    return out;
  }

  /** Prometheus text: {@code name{labels} value} per sample, comments skipped. */
  private static Map<String, Double> prometheus(String text) {
    Pattern sample = Pattern.compile("^(\\S+?(?:\\{.*})?) (\\S+)$");
    return text.lines().filter(l -> !l.startsWith("#")).map(sample::matcher).filter(Matcher::matches)
        .collect(Collectors.toMap(m -> m.group(1), m -> Double.parseDouble(m.group(2)), (a, b) -> a));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.adminPort() + path);
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
