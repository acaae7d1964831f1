package io.warden.coordinator.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.badinput.WireClient;
import io.warden.coordinator.config.FourLetterWord;
import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code 4lw.commands.whitelist} (reference §13): by default only srvr runs; others get ZooKeeper's refusal line. */
class FourLetterWordWhitelistTest {
  @TempDir
  Path dir;

  @Test
  void byDefaultOnlySrvrRuns() {
    try (WardenServer server = WardenServer.start(TestServers.config(dir).build())) {
      assertThat(fourLetters(server, "srvr")).startsWith("Zookeeper version: ").contains("\nMode: standalone\n");
      for (String word : new String[] {"ruok", "isro", "stat", "mntr", "conf", "cons", "wchs", "envi"}) {
        assertThat(fourLetters(server, word))
            .isEqualTo(word + " is not executed because it is not in the whitelist.\n");
      }
    }
  }

  @Test
  void aListedWordRunsAndSrvrIsAlwaysIncluded() {
    try (WardenServer server = WardenServer.start(TestServers.config(dir)
        .fourLetterWords(EnumSet.of(FourLetterWord.RUOK, FourLetterWord.MNTR)).build())) {
      assertThat(fourLetters(server, "ruok")).isEqualTo("imok");
      assertThat(fourLetters(server, "mntr")).contains("zk_server_state\tstandalone\n");
      assertThat(fourLetters(server, "srvr")).startsWith("Zookeeper version: ");
      assertThat(fourLetters(server, "cons")).isEqualTo("cons is not executed because it is not in the whitelist.\n");
    }
  }

  private static String fourLetters(WardenServer server, String word) {
    try (WireClient c = WireClient.connect(server.clientPort())) {
      c.sendRaw(word.getBytes(StandardCharsets.US_ASCII));
      return new String(c.readUntilClosed(Duration.ofSeconds(10)), StandardCharsets.UTF_8);
    }
  }
}
