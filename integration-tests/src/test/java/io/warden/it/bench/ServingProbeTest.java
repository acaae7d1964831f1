package io.warden.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.testing.EmbeddedZk;
import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restart benchmark's readiness probe, against both servers it measures. */
class ServingProbeTest {
  @TempDir
  Path dir;

  @Test
  void aServingWardenAnswersForAnExistingPathAndNotForAMissingOne() throws Exception {
    try (WardenServer server = TestServers.start(dir)) {
      ServingProbe.awaitServes(server.clientPort(), "/zookeeper", Duration.ofSeconds(10));
      assertThatThrownBy(() -> ServingProbe.awaitServes(server.clientPort(), "/missing", Duration.ofMillis(200)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("/missing not there yet");
    }
  }

  @Test
  void aServingZooKeeperAnswersForAnExistingPath() throws Exception {
    try (EmbeddedZk zk = new EmbeddedZk(dir, EmbeddedZk.TICK_TIME_MS)) {
      ServingProbe.awaitServes(zk.port(), "/zookeeper", Duration.ofSeconds(10));
    }
  }

  @Test
  void aPortNobodyListensOnTimesOutNamingTheLastFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there now
    }
    int closed = port;
    assertThatThrownBy(() -> ServingProbe.awaitServes(closed, "/", Duration.ofMillis(200)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not serve")
        .hasMessageContaining("ConnectException");
  }
}
