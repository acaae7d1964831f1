package io.warden.brokersim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard over HTTP, on the demo's pieces (embedded 3-node Warden ensemble, 4 brokers):
 * the page and its assets, the state, the event stream, the fault endpoints and the metrics.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardTest {
  private static final long SEED = 11;
  private static Demo demo;
  private static DashboardClient client;

  @BeforeAll
  static void start() throws Exception {
    System.out.println("DashboardTest seed " + SEED);
    Path dir = Files.createTempDirectory("dashboard-test-");
    demo = Demo.start(new Demo.Settings(dir, 4, 2, 4, 3, SEED, 0), new io.warden.brokersim.broker.SimListener() {
    });
    client = new DashboardClient(demo.dashboardUrl().orElseThrow());
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  /** Controller registered, every broker registered, nothing offline, every coordinator up. */
  private static JsonNode awaitWhole() {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonNode s = client.state();
      if (s == null) {
        return false;
      }
      last.set(s);
      boolean brokersUp = true;
      for (JsonNode b : s.get("brokers")) {
        brokersUp &= b.get("registered").asBoolean();
      }
      boolean coordinatorsUp = true;
      for (JsonNode m : s.get("coordinators")) {
        coordinatorsUp &= !m.get("mode").asText().equals("down");
      }
      return s.get("controller").get("id").asInt() > 0 && s.get("offlinePartitions").asInt() == 0
          && s.get("brokers").size() == 4 && brokersUp && coordinatorsUp
          && s.get("topics").size() == 2;
    });
    return last.get();
  }

  @Test
  void thePageAndItsAssetsAreServedAndNeedNothingFromElsewhere() throws Exception {
    DashboardClient.Reply page = client.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"/dashboard.js\">").contains("id=\"kill-controller\"");
    for (String asset : List.of("/", "/dashboard.js", "/dashboard.css")) {
      DashboardClient.Reply r = client.get(asset);
      assertThat(r.status()).as(asset).isEqualTo(200);
      assertThat(r.body()).as(asset + " works offline").doesNotContain("http://").doesNotContain("https://");
    }
    assertThat(client.get("/nope").status()).isEqualTo(404);
  }

  @Test
  void theStateShowsEnsembleBrokersControllerAndPartitions() throws Exception {
    JsonNode s = awaitWhole();
    assertThat(s.get("hasCoordinators").asBoolean()).isTrue();
    assertThat(s.get("coordinators")).hasSize(3);
    long leaders = 0;
    for (JsonNode m : s.get("coordinators")) {
      leaders += m.get("mode").asText().equals("leader") ? 1 : 0;
      assertThat(m.get("term").asLong()).isPositive();
      assertThat(m.get("commitIndex").asLong()).isPositive();
    }
    assertThat(leaders).isEqualTo(1);
    assertThat(s.get("controller").get("epoch").asInt()).isPositive();
    for (JsonNode b : s.get("brokers")) {
      assertThat(b.get("epoch").asText()).startsWith("0x").isNotEqualTo("0x-1");
    }
    JsonNode p = s.get("topics").get(0).get("partitions").get(0);
    assertThat(p.get("replicas")).hasSize(3);
    assertThat(p.get("isr").size()).isBetween(1, 3);
    assertThat(p.get("leader").asInt()).isPositive();
    assertThat(p.get("leaderEpoch").asInt()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void theEventStreamSendsStateAndTimelineWithTheDemosNotes() throws Exception {
    String note = "CHAOS a note for the timeline " + System.nanoTime();
    demo.note(note);
    HttpRequest req = HttpRequest.newBuilder(URI.create(client.base() + "/events")).GET().build();
    HttpResponse<Stream<String>> r = client.http().send(req, HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    List<String> seen = new ArrayList<>();
    try (Stream<String> lines = r.body()) {
      // the recent timeline comes first (the note among it), then a state every sample interval
      CompletableFuture.runAsync(() -> lines
          .takeWhile(l -> !(seen.contains("event: state") && seen.stream().anyMatch(x -> x.contains(note))))
          .forEach(seen::add)).get(20, TimeUnit.SECONDS);
    }
    assertThat(seen).contains("event: timeline", "event: state");
    assertThat(seen).anyMatch(l -> l.startsWith("data: {") && l.contains("\"kind\":\"NOTE\"") && l.contains(note));
  }

  @Test
  void badFaultRequestsAreRefusedWithAMessage() throws Exception {
    assertBad(client.post("/api/faults/explode"), 400, "unknown fault 'explode'");
    assertBad(client.post("/api/faults/kill-broker"), 400, "needs ?id=N");
    assertBad(client.post("/api/faults/kill-broker?id=x"), 400, "id must be a number");
    assertBad(client.post("/api/faults/kill-broker?id=99"), 400, "no broker 99");
    assertBad(client.post("/api/faults/start-broker?id=99"), 400, "no broker 99");
    assertBad(client.post("/api/faults/stop-coordinator?id=9"), 400, "no coordinator 9");
    assertBad(client.post("/api/faults/resume-broker?id=1"), 409, "is not paused");
    assertBad(client.post("/api/faults/start-coordinator?id=1"), 409, "is running");
    assertBad(client.get("/api/faults/kill-controller"), 405, "POST only");
  }

  private static void assertBad(DashboardClient.Reply r, int status, String message) throws Exception {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("error").asText()).contains(message);
  }

  @Test
  void killingTheControllerShowsAFailoverInStateAndMetrics() throws Exception {
    JsonNode before = awaitWhole();
    int oldController = before.get("controller").get("id").asInt();
    int oldEpoch = before.get("controller").get("epoch").asInt();
    double registrations = client.metric("brokersim_broker_registrations_total");
    assertThat(registrations).isGreaterThanOrEqualTo(4);
    assertThat(client.metric("kafka_controller_active_controller_count")).isEqualTo(1);
    assertThat(client.metric("kafka_controller_epoch")).isEqualTo(oldEpoch);
    assertThat(client.metric("kafka_controller_offline_partitions_count")).isZero();
    double failovers = client.metric("brokersim_controller_failover_seconds_count");

    DashboardClient.Reply r = client.post("/api/faults/kill-controller");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("ok").asText()).isEqualTo("killed the controller, broker " + oldController);

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonNode s = client.state();
      return s.get("controller").get("epoch").asInt() > oldEpoch
          && s.get("controller").get("id").asInt() != oldController;
    });
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.metric("brokersim_controller_failover_seconds_count") == failovers + 1);
    assertThat(client.metric("brokersim_controller_failover_seconds_max")).isGreaterThan(0.1);
    assertThat(client.get("/metrics").body()).contains("brokersim_controller_failover_seconds_bucket{le=");
    assertThat(client.metric("kafka_controller_epoch")).isGreaterThan(oldEpoch);
    assertThat(client.metric("kafka_controller_leader_elections_total")).isPositive();
    assertThat(client.metric("brokersim_broker_expiries_total")).isGreaterThanOrEqualTo(1);

    r = client.post("/api/faults/start-broker?id=" + oldController);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    awaitWhole();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        client.metric("brokersim_broker_registrations_total") >= registrations + 1);
  }

  @Test
  void theWardenLeaderCanBeStoppedAndStartedAgain() throws Exception {
    awaitWhole();
    DashboardClient.Reply r = client.post("/api/faults/stop-coordinator-leader");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String what = r.json().get("ok").asText();
    assertThat(what).matches("stopped Warden node [1-3] \\(the leader\\)");
    int stopped = Integer.parseInt(what.replaceAll("\\D+", " ").trim().split(" ")[0]);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonNode s = client.state();
      boolean down = false;
      boolean newLeader = false;
      for (JsonNode m : s.get("coordinators")) {
        down |= m.get("id").asInt() == stopped && m.get("mode").asText().equals("down");
        newLeader |= m.get("id").asInt() != stopped && m.get("mode").asText().equals("leader");
      }
      return down && newLeader;
    });
    r = client.post("/api/faults/start-coordinator?id=" + stopped);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    awaitWhole();
  }

  @Test
  void aPausedControllerIsAZombieThatIsFencedWhenItWakes() throws Exception {
    JsonNode before = awaitWhole();
    int oldEpoch = before.get("controller").get("epoch").asInt();
    DashboardClient.Reply r = client.post("/api/faults/pause-controller");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    int zombie = Integer.parseInt(r.json().get("ok").asText().replaceAll(".*broker (\\d+).*", "$1"));
    // the frozen controller still believes it leads while the survivors elect a new one
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonNode s = client.state();
      return s.get("controller").get("epoch").asInt() > oldEpoch
          && s.get("controller").get("activeCount").asInt() == 2;
    });
    assertThat(client.metric("kafka_controller_active_controller_count")).isEqualTo(2);
    r = client.post("/api/faults/resume-broker?id=" + zombie);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
        demo.fleet().events().stream().anyMatch(e -> e.brokerId() == zombie
            && e.kind() == io.warden.brokersim.broker.SimEvent.Kind.CONTROLLER_FENCED));
    awaitWhole();
    await().atMost(Duration.ofSeconds(10)).until(() -> client.metric("kafka_controller_active_controller_count") == 1);
  }

  @Test
  void aHungBrokerReRegistersWithANewEpoch() throws Exception {
    JsonNode before = awaitWhole();
    int controller = before.get("controller").get("id").asInt();
    JsonNode victim = null;
    for (JsonNode b : before.get("brokers")) {
      if (b.get("id").asInt() != controller) {
        victim = b;
      }
    }
    int id = victim.get("id").asInt();
    String oldEpoch = victim.get("epoch").asText();
    double expiries = client.metric("brokersim_broker_expiries_total");
    DashboardClient.Reply r = client.post("/api/faults/hang-broker?id=" + id);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      for (JsonNode b : client.state().get("brokers")) {
        if (b.get("id").asInt() == id) {
          return b.get("registered").asBoolean() && !b.get("epoch").asText().equals(oldEpoch);
        }
      }
      return false;
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> client.metric("brokersim_broker_expiries_total") > expiries);
    awaitWhole();
  }
}
