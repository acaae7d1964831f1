package io.warden.coordinator.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admin.commandURL} moves the commands, as in ZooKeeper's AdminServer. */
class AdminCommandUrlTest {
  @TempDir
  Path dir;

  @Test
  void theCommandsLiveUnderTheConfiguredUrl() throws Exception {
    try (WardenServer server = WardenServer.start(TestServers.config(dir).adminCommandUrl("/zk-admin").build())) {
      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, server, "/zk-admin").statusCode()).isEqualTo(200);
      HttpResponse<String> ruok = get(http, server, "/zk-admin/ruok");
      assertThat(ruok.statusCode()).isEqualTo(200);
      assertThat(ruok.body()).contains("\"command\" : \"ruok\"");
      assertThat(get(http, server, "/commands/ruok").statusCode()).isEqualTo(404);
      assertThat(get(http, server, "/health").statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(HttpClient http, WardenServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
