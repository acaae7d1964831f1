package io.warden.coordinator.cli;

import static io.warden.coordinator.cli.CliCommandTest.raw;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the cli does without any server: bad addresses, unreachable servers, help, quit. */
class CliCommandOfflineTest {
  @Test
  void anUnreachableServerFailsWithinTheConnectionTimeout() {
    long start = System.nanoTime();
    CliCommandTest.Result r = raw("", "--server", "127.0.0.1:1", "--timeout", "700", "ls", "/");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("Unable to connect to 127.0.0.1:1 within 700 ms\n");
    assertThat(tookMs).isLessThan(5000);
  }

  @Test
  void aMalformedServerIsRejected() {
    CliCommandTest.Result r = raw("", "--server", "host:notaport", "ls", "/");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("Invalid --server: malformed connect string");
  }

  @Test
  void helpAndQuitNeedNoServer() {
    CliCommandTest.Result help = raw("", "--server", "127.0.0.1:1", "help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("\tdeleteall path\n")
        .contains("\tsetAcl [-s] [-v version] [-R] path acl\n");
    assertThat(raw("", "--server", "127.0.0.1:1", "quit").exitCode()).isZero();
  }

  @Test
  void optionsAfterTheCommandWordBelongToTheCommand() {
    CliCommand command = new CliCommand();
    new picocli.CommandLine(command).parseArgs("--server", "h:1", "ls", "-s", "-w", "/a");
    assertThat(command.server).isEqualTo("h:1");
    assertThat(command.command).containsExactly("ls", "-s", "-w", "/a");
  }
}
