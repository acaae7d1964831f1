package io.warden.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Variants made in code, as tests of other packages make them. */
class WardenConfigTest {

  @Test
  void toBuilderRoundTrips() {
    WardenConfig d = WardenConfig.defaults();

    assertThat(d.toBuilder().build()).isEqualTo(d);
  }

  @Test
  void variantsWithFreePortsForTests() {
    WardenConfig c = WardenConfig.defaults().toBuilder().clientPort(0).adminServerPort(0).build();

    assertThat(c.clientPort()).isZero();
    assertThat(c.adminServerPort()).isZero();
  }

  @Test
  void sessionTimeoutsFollowTickTimeUntilSet() {
    WardenConfig c = WardenConfig.builder().tickTimeMs(100).build();

    assertThat(c.minSessionTimeoutMs()).isEqualTo(200);
    assertThat(c.maxSessionTimeoutMs()).isEqualTo(2000);
    assertThat(c.toBuilder().tickTimeMs(50).build().minSessionTimeoutMs())
        .as("a built config's timeouts are resolved values").isEqualTo(200);
  }

  @Test
  void theBuilderReportsBadValuesByTheirZooKeeperKey() {
    assertThatThrownBy(() -> WardenConfig.builder().tickTimeMs(0).clientPort(70000)
        .clientPortAddress("no such host!").build())
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly(
                "invalid value for 'tickTime': \"0\" (expected a positive integer, "
                    + "milliseconds, at most 107374182)",
                "invalid value for 'clientPort': \"70000\" (expected a port number 0-65535 "
                    + "(0 picks a free port))",
                "invalid value for 'clientPortAddress': \"no such host!\" (expected a host "
                    + "name or an IP address)"));
  }

  @Test
  void srvrIsAlwaysWhitelistedAsInZooKeeper() {
    assertThat(WardenConfig.builder().fourLetterWords(Set.of()).build().fourLetterWords())
        .containsExactly(FourLetterWord.SRVR);
    assertThat(WardenConfig.builder().fourLetterWords(Set.of(FourLetterWord.RUOK)).build()
        .fourLetterWords()).containsExactlyInAnyOrder(FourLetterWord.RUOK, FourLetterWord.SRVR);
  }

  @Test
  void theRecordIsImmutable() {
    WardenConfig c = WardenConfig.builder()
        .servers(List.of(new ServerSpec(1, "h", 1, 2, ServerRole.PARTICIPANT, Optional.empty())))
        .build();

    assertThatThrownBy(() -> c.servers().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> c.fourLetterWords().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void serverSpecsCheckTheirOwnFields() {
    assertThatThrownBy(() -> new ServerSpec(0, "h", 1, 2, ServerRole.PARTICIPANT, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServerSpec(1, " ", 1, 2, ServerRole.PARTICIPANT, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
        () -> new ServerSpec(1, "h", 1, 65536, ServerRole.OBSERVER, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aServerUsingOnePortTwiceIsRefusedByTheBuilder() {
    assertThatThrownBy(() -> WardenConfig.builder().servers(List.of(
        new ServerSpec(1, "h", 5, 5, ServerRole.PARTICIPANT, Optional.empty()))).build())
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .singleElement(STRING)
            .contains("'server.1' uses h:5 for both its quorum and its election port"));
  }

  @Test
  void superDigestRecordsValidateAndHideTheDigest() {
    SuperDigest d = new SuperDigest("super", "xQJmxLMiHGwaqBvst5y6rkB6HQs=");

    assertThat(d.value()).isEqualTo("super:xQJmxLMiHGwaqBvst5y6rkB6HQs=");
    assertThat(d.toString()).doesNotContain("xQJm");
    assertThatThrownBy(() -> new SuperDigest("super", "short="))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
