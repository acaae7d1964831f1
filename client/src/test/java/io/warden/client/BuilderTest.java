package io.warden.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.internal.ConnectString;
import io.warden.client.internal.HostPort;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Connect strings and builder settings are validated eagerly, with clear messages. */
class BuilderTest {
  @Test
  void parsesHostsPortsIpv6AndChroot() {
    ConnectString cs = ConnectString.parse("a:1,b , [::1]:2182,[fe80::1]/app/x");
    assertThat(cs.hosts()).containsExactly(new HostPort("a", 1), new HostPort("b", 2181),
        new HostPort("::1", 2182), new HostPort("fe80::1", 2181));
    assertThat(cs.chroot()).isEqualTo("/app/x");
    assertThat(cs.hosts().get(2)).hasToString("[::1]:2182");
    assertThat(ConnectString.parse("h:2181/").chroot()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "h:0", "h:65536", "h:x", "h:2181,", ",h", "::1:2181",
      "[::1", "[::1]x", "h:2181/a/", "h:2181/a//b", "h:2181/.", ":2181", "h h:1"})
  void rejectsMalformedConnectStrings(String text) {
    assertThatThrownBy(() -> WardenClient.builder(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("(?s).*(connect string|chroot).*");
  }

  @Test
  void rejectsBadDurationsAndSizes() {
    WardenClient.Builder b = WardenClient.builder("h:1");
    assertThatThrownBy(() -> b.sessionTimeout(Duration.ZERO))
        .hasMessageContaining("sessionTimeout");
    assertThatThrownBy(() -> b.connectionTimeout(Duration.ofMillis(-5)))
        .hasMessageContaining("connectionTimeout");
    assertThatThrownBy(() -> b.requestTimeout(null)).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> b.sessionTimeout(Duration.ofDays(100)))
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> b.maxFrameBytes(10)).hasMessageContaining("maxFrameBytes");
    assertThatThrownBy(() -> b.auth(" ", new byte[0])).hasMessageContaining("scheme");
  }

  @Test
  void anUnreachableServerNeverConnectsAndTheClientStillCloses() throws Exception {
    // port 1 on loopback: nothing listens there, connections are refused at once
    WardenClient client = WardenClient.builder("127.0.0.1:1")
        .connectionTimeout(Duration.ofMillis(200)).build();
    assertThat(client.awaitConnected(Duration.ofMillis(700))).isFalse();
    assertThat(client.state()).isNull();
    client.close();
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(client.connected().toCompletableFuture()).isCompletedExceptionally();
  }

  @Test
  void opsValidateTheirArguments() {
    assertThatThrownBy(() -> Op.create("/a", null, List.of(), io.warden.protocol.CreateMode
        .PERSISTENT_WITH_TTL, (1L << 40))).isInstanceOf(IllegalArgumentException.class);
    assertThat(Op.create("/a/", null, List.of(), io.warden.protocol.CreateMode
        .PERSISTENT_SEQUENTIAL).path()).isEqualTo("/a/");
    assertThatThrownBy(() -> Op.getData("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exceptionMessagesUseZooKeeperCodeNames() {
    assertThat(new WardenException(io.warden.protocol.ErrorCode.NO_NODE, "/x"))
        .hasMessage("NoNode for /x");
    assertThat(WardenException.codeName(io.warden.protocol.ErrorCode.CONNECTION_LOSS))
        .isEqualTo("ConnectionLoss");
  }
}
