package io.warden.brokersim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.warden.brokersim.broker.SimListener;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard outlives an ensemble outage long enough to expire every session (two of three
 * Warden nodes stopped): it reports that it cannot read, keeps showing the members, and shows
 * the fleet again once the nodes are back. Its own demo, because the fleet's admin session does
 * not survive the outage.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DashboardOutageTest {
  private static Demo demo;
  private static DashboardClient client;

  @BeforeAll
  static void start() throws Exception {
    demo = Demo.start(new Demo.Settings(Files.createTempDirectory("dashboard-outage-"), 3, 1, 3, 3,
        3, 0), new SimListener() {
    });
    client = new DashboardClient(demo.dashboardUrl().orElseThrow());
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  private static List<String> modes(JsonNode s) {
    List<String> out = new ArrayList<>();
    s.get("coordinators").forEach(m -> out.add(m.get("mode").asText()));
    return out;
  }

  @Test
  void theDashboardReadsTheFleetAgainAfterAQuorumLossThatExpiredItsSession() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode s = client.state();
      return s != null && s.get("controller").get("id").asInt() > 0;
    });
    DashboardClient.Reply stopped = client.post("/api/faults/stop-coordinator-leader");
    assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    // the survivors elect a new leader, which goes too
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
        modes(client.state()).contains("leader") && modes(client.state()).contains("down"));
    stopped = client.post("/api/faults/stop-coordinator-leader");
    assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    // no quorum: nothing can be read, every session (the dashboard's too) expires
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode s = client.state();
      return s.get("readError").asText("").contains("SessionExpired") && s.get("controller").get("id").asInt() == -1;
    });
    assertThat(modes(client.state())).filteredOn(m -> m.equals("down")).hasSize(2);
    for (JsonNode m : client.state().get("coordinators")) {
      if (m.get("mode").asText().equals("down")) {
        DashboardClient.Reply r = client.post("/api/faults/start-coordinator?id=" + m.get("id").asInt());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      }
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode s = client.state();
      boolean registered = true;
      for (JsonNode b : s.get("brokers")) {
        registered &= b.get("registered").asBoolean();
      }
      return s.get("readError").isNull() && s.get("controller").get("id").asInt() > 0 && registered
          && s.get("offlinePartitions").asInt() == 0 && modes(s).contains("leader");
    });
    // and faults that need the controller's identity work again
    DashboardClient.Reply r = client.post("/api/faults/kill-controller");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }
}
