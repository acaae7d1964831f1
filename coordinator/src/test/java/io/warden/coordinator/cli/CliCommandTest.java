package io.warden.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The cli subcommand, one-shot and interactive, written once and run against two servers: an
 * embedded Apache ZooKeeper (the wording and formats are zkCli's) and a Warden node.
 */
abstract class CliCommandTest {
  private static int run;

  /** {@code host:port} of the server under test. */
  abstract String address();

  /** One run of the command: its exit code and what it printed. */
  record Result(int exitCode, ByteArrayOutputStream outBytes, ByteArrayOutputStream errBytes) {
    String out() {
      return outBytes.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return errBytes.toString(StandardCharsets.UTF_8);
    }
  }

  static Result raw(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliCommand command = new CliCommand(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    int code = new CommandLine(command).execute(args);
    return new Result(code, out, err);
  }

  private Result cli(String... commandWords) {
    List<String> args = new ArrayList<>(List.of("--server", address(), "--timeout", "10000"));
    args.addAll(List.of(commandWords));
    return raw("", args.toArray(String[]::new));
  }

  private Result ok(String... commandWords) {
    Result r = cli(commandWords);
    assertThat(r.exitCode()).as("exit code of %s, stderr: %s", List.of(commandWords), r.err())
        .isZero();
    return r;
  }

  private static String fresh() {
    return "/c" + (++run);
  }

  @Test
  void createGetSetAndStat() {
    String p = fresh();
    assertThat(ok("create", p, "hello").out()).isEqualTo("Created " + p + "\n");
    assertThat(ok("get", p).out()).isEqualTo("hello\n");
    ok("set", p, "world");
    Result got = ok("get", "-s", p);
    assertThat(got.out()).startsWith("world\ncZxid = 0x").contains("dataVersion = 1\n")
        .contains("numChildren = 0\n").contains("ctime = ");
    Result stat = ok("stat", p);
    assertThat(stat.out().lines()).hasSize(11).first().asString().startsWith("cZxid = 0x");
    ok("set", "-v", "1", p, "again");
    Result setWithStat = ok("set", "-s", p, "x");
    assertThat(setWithStat.out()).contains("dataVersion = 3");
    ok("create", p + "/empty");
    assertThat(ok("get", p + "/empty").out()).isEqualTo("null\n");
  }

  @Test
  void lsPlainWithStatAndRecursive() {
    String p = fresh();
    ok("create", p);
    ok("create", p + "/b");
    ok("create", p + "/a");
    ok("create", p + "/a/x");
    assertThat(ok("ls", p).out()).isEqualTo("[a, b]\n");
    assertThat(ok("ls", "-s", p).out()).startsWith("[a, b]\ncZxid").contains("numChildren = 2");
    assertThat(ok("ls", "-R", p).out())
        .isEqualTo(p + "\n" + p + "/a\n" + p + "/a/x\n" + p + "/b\n");
    assertThat(ok("getAllChildrenNumber", p).out()).isEqualTo("3\n");
  }

  @Test
  void createModes() {
    String p = fresh();
    ok("create", p);
    assertThat(ok("create", "-s", p + "/s-").out()).matches("Created " + p + "/s-\\d{10}\n");
    assertThat(ok("create", "-c", p + "/c").out()).isEqualTo("Created " + p + "/c\n");
    assertThat(ok("create", "-t", "60000", p + "/t").out()).isEqualTo("Created " + p + "/t\n");
    assertThat(ok("create", "-s", "-t", "60000", p + "/ts-").out()).contains(p + "/ts-");
    Result ephemeral = ok("create", "-e", p + "/e");
    assertThat(ephemeral.out()).isEqualTo("Created " + p + "/e\n");
    assertThat(ok("stat", p + "/s-0000000000").out()).contains("ephemeralOwner = 0x0");
    Result bad = cli("create", "-c", "-e", p + "/x");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("-c cannot be combined with -s or -e");
    assertThat(cli("create", "-e", "-t", "5", p + "/y").err())
        .contains("TTLs cannot be used with Ephemeral znodes");
  }

  @Test
  void deleteAndDeleteAll() {
    String p = fresh();
    ok("create", p);
    ok("create", p + "/k");
    ok("create", p + "/k/g");
    Result notEmpty = cli("delete", p);
    assertThat(notEmpty.exitCode()).isEqualTo(1);
    assertThat(notEmpty.err()).isEqualTo("Node not empty: " + p + "\n");
    Result badVersion = cli("delete", "-v", "7", p + "/k/g");
    assertThat(badVersion.err()).isEqualTo("version No is not valid : " + p + "/k/g\n");
    ok("delete", "-v", "0", p + "/k/g");
    ok("deleteall", p);
    assertThat(cli("stat", p).err()).isEqualTo("Node does not exist: " + p + "\n");
  }

  @Test
  void errorsUseZkCliWordingAndExitNonZero() {
    String p = fresh();
    Result missing = cli("get", p);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("Node does not exist: " + p + "\n");
    assertThat(missing.out()).isEmpty();
    ok("create", p);
    assertThat(cli("create", p).err()).isEqualTo("Node already exists: " + p + "\n");
    assertThat(cli("set", "-v", "9", p, "d").err())
        .isEqualTo("version No is not valid : " + p + "\n");
    assertThat(cli("ls", "-x", p).err()).isEqualTo("Unrecognized option: -x\n");
    assertThat(cli("get", "noslash").err()).contains("Invalid path string \"noslash\"");
    Result unknown = cli("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("Command not found: frobnicate");
    assertThat(cli("ls").err()).isEqualTo("ls [-s] [-w] [-R] path\n");
  }

  @Test
  void aclsAndAuth() {
    String p = fresh();
    ok("create", p, "d", "world:anyone:cdrwa");
    assertThat(ok("getAcl", p).out()).isEqualTo("'world,'anyone\n: cdrwa\n");
    String digest = io.warden.protocol.DigestAuth.digestId("u:pw");
    ok("setAcl", p, "digest:" + digest + ":cdrwa,world:anyone:r");
    // without ADMIN the server masks digest ids to user:x (reference §7.6)
    assertThat(ok("getAcl", "-s", p).out())
        .startsWith("'digest,'u:x\n: cdrwa\n'world,'anyone\n: r\ncZxid")
        .contains("aclVersion = 1");
    assertThat(cli("set", p, "x").err()).isEqualTo("Insufficient permission : " + p + "\n");
    Result script = raw("addauth digest u:pw\nset " + p + " x\nget " + p + "\nwhoami\n",
        "--server", address());
    assertThat(script.err()).isEmpty();
    assertThat(script.out()).contains("] x\n").contains("Auth scheme: User\n")
        .contains("digest: u\n");
    assertThat(cli("setAcl", p, "nonsense").err())
        .isEqualTo("nonsense does not have the form scheme:id:perm\n");
  }

  @Test
  void setAclRecursively() {
    String p = fresh();
    ok("create", p);
    ok("create", p + "/kid");
    ok("setAcl", "-R", p, "world:anyone:r");
    assertThat(ok("getAcl", p + "/kid").out()).isEqualTo("'world,'anyone\n: r\n");
  }

  @Test
  void syncAndHelp() {
    assertThat(ok("sync", "/").out()).isEqualTo("Sync is OK\n");
    assertThat(ok("help").out()).contains("\tls [-s] [-w] [-R] path\n")
        .contains("\tcreate [-s] [-e] [-c] [-t ttl] path [data] [acl]\n");
  }

  @Test
  void interactiveScriptWithWatchesEphemeralsAndErrors() {
    String p = fresh();
    String script = String.join("\n",
        "create " + p + " 'two words'",
        "get -w " + p,
        "get /does/not/exist",
        "set " + p + " changed",
        "create -e " + p + "/eph",
        "getEphemerals " + p,
        "quit",
        "ls /");
    Result r = raw(script + "\n", "--server", address());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("[warden: " + address() + "(CONNECTED) 0] Created " + p)
        .contains("two words\n")
        .contains("[warden: " + address() + "(CONNECTED) 2] ")
        .contains("[" + p + "/eph]\n")
        .doesNotContain("zookeeper"); // nothing after quit ran
    assertThat(r.err()).isEqualTo("Node does not exist: /does/not/exist\n");
    await().atMost(Duration.ofSeconds(10)).alias(r.out()).until(() -> r.out().contains(
        "\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:" + p + "\n"));
  }

  @Test
  void interactiveModeEndsAtEndOfInput() {
    Result r = raw("ls /zookeeper\n", "--server", address());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("[config, quota]\n");
  }

  @Test
  void chrootedShell() {
    String p = fresh();
    ok("create", p);
    Result r = raw("", "--server", address() + p, "create", "/inside");
    assertThat(r.out()).isEqualTo("Created /inside\n");
    assertThat(ok("ls", p).out()).isEqualTo("[inside]\n");
  }
}
