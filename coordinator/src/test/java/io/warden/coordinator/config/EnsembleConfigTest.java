package io.warden.coordinator.config;

import static io.warden.coordinator.config.Cfg.parse;
import static io.warden.coordinator.config.Cfg.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** server.N lines, the myid file, and standalone versus replicated. */
class EnsembleConfigTest {
  private static final String LIMITS = "initLimit=10\nsyncLimit=5\n";
  private static final String THREE = LIMITS + """
      server.1=10.0.0.1:2888:3888
      server.2=10.0.0.2:2888:3888
      server.3=10.0.0.3:2888:3888
      """;

  @TempDir
  Path dir;

  private void myid(String content) throws Exception {
    Files.writeString(dir.resolve("myid"), content);
  }

  /** The spec parsed from one server.7 line. */
  private static ServerSpec line(String value) {
    List<Problem> problems = new ArrayList<>();
    Optional<ServerSpec> spec = ServerLines.parse("server.7", 7, value, problems);
    assertThat(problems).isEmpty();
    return spec.orElseThrow();
  }

  @Test
  void threeParticipantsAndAMyidFormAnEnsemble() throws Exception {
    myid("2\n");

    WardenConfig c = parse(dir, THREE).config();

    assertThat(c.isStandalone()).isFalse();
    assertThat(c.serverId()).isEqualTo(2);
    assertThat(c.self()).map(ServerSpec::host).contains("10.0.0.2");
    assertThat(c.servers()).extracting(ServerSpec::id).containsExactly(1, 2, 3);
    assertThat(c.participants()).hasSize(3);
    assertThat(c.observers()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "127.0.0.1:2888:3888|127.0.0.1|2888|3888|PARTICIPANT|",
      "zk1.example.com:2888:3888:observer|zk1.example.com|2888|3888|OBSERVER|",
      "zk1:2888:3888:PARTICIPANT|zk1|2888|3888|PARTICIPANT|",
      "zk_1-a:0:0|zk_1-a|0|0|PARTICIPANT|",
      "[2001:db8::1]:2888:3888|2001:db8::1|2888|3888|PARTICIPANT|",
      "[::1]:2888:3888:observer;[::1]:2181|::1|2888|3888|OBSERVER|[::1]:2181",
      "h:2888:3888;2181|h|2888|3888|PARTICIPANT|0.0.0.0:2181",
      "h:2888:3888;10.0.0.1:2181|h|2888|3888|PARTICIPANT|10.0.0.1:2181",
      "h:2888:3888:participant;0.0.0.0:0|h|2888|3888|PARTICIPANT|0.0.0.0:0",
      "` h : 2888 : 3888 : observer ; 2181 `|h|2888|3888|OBSERVER|0.0.0.0:2181"})
  void serverLineForms(String value, String host, int quorumPort, int electionPort,
      ServerRole role, String client) {
    ServerSpec s = line(value);

    assertThat(s.id()).isEqualTo(7);
    assertThat(s.host()).isEqualTo(host);
    assertThat(s.quorumPort()).isEqualTo(quorumPort);
    assertThat(s.electionPort()).isEqualTo(electionPort);
    assertThat(s.role()).isEqualTo(role);
    assertThat(s.clientAddress().map(HostPort::toString)).isEqualTo(Optional.ofNullable(client));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1:2888:3888:participant",
      "[2001:db8::1]:2888:3888:observer;[::1]:2181", "h:2888:3888:participant;0.0.0.0:2181",
      "h:1:2:participant;h:3"})
  void aLineRendersBackToItself(String value) {
    assertThat(line(value).toConfigValue()).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
      "h:2888 => not of the form",
      "h:2888:3888:observer:x => not of the form",
      "`` => not of the form",
      "h:x:3888 => ports must be numbers 0-65535",
      "h:2888:70000 => ports must be numbers 0-65535",
      "h:-1:3888 => ports must be numbers 0-65535",
      "h:2888:2888 => the quorum and election ports must be different",
      "h:2888:3888:leader => the role \"leader\" is neither participant nor observer",
      "h:2888:3888;2181;2182 => at most one client address",
      "h:2888:3888; => the client address \"\" is not a port or host:port",
      "h:2888:3888;host: => the client address \"host:\" is not",
      "h:2888:3888;[::1] => the client address \"[::1]\" is not",
      "h:2888:3888;::1:2181 => the client address \"::1:2181\" is not",
      "[::1:2888:3888 => not of the form",
      "::1:2888:3888 => not of the form",
      "bad host:2888:3888 => \"bad host\" is not a host name or IP address",
      "h1:2888:3888|h2:2889:3889 => several addresses per member"})
  void eachMalformedLineIsRefusedNamingItsKey(String value, String detail) {
    assertThat(problems(dir, "server.7=" + value)).singleElement(STRING)
        .startsWith("invalid value for 'server.7': \"" + value + "\" (")
        .contains(detail)
        .contains("expected " + ServerLines.FORMAT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"server.0", "server.256", "server.x", "server.", "server.-1",
      "server.1.5", "server.1234567890"})
  void serverIdsMustBeOneTo255(String key) {
    assertThat(problems(dir, key + "=h:2888:3888")).singleElement(STRING)
        .isEqualTo("invalid key '" + key + "': N in server.N must be an integer 1-255 (the "
            + "member's myid)");
  }

  @Test
  void anIdWrittenTwiceIsRefused() throws Exception {
    myid("1");

    assertThat(problems(dir,
        LIMITS + "server.1=a:2888:3888\nserver.01=b:2888:3888\nserver.2=c:2888:3888"))
        .singleElement(STRING).isEqualTo("server id 1 is defined more than once");
  }

  @Test
  void twoMembersOnTheSameHostAndPortAreRefused() throws Exception {
    myid("1");

    assertThat(problems(dir,
        LIMITS + "server.1=h:2888:3888\nserver.2=h:2888:3889\nserver.3=k:2888:3888"))
        .singleElement(STRING).isEqualTo("h:2888 is used twice: by 'server.1' and by 'server.2'");
  }

  @Test
  void membersOnOneHostWithDistinctPortsAreFine() throws Exception {
    myid("3");

    WardenConfig c = parse(dir, LIMITS + """
        server.1=127.0.0.1:2888:3888;2181
        server.2=127.0.0.1:2889:3889;2182
        server.3=127.0.0.1:2890:3890;2183
        """).config();

    assertThat(c.clientPort()).isEqualTo(2183);
  }

  @Test
  void anObserverIsALearnerBesideTheParticipants() throws Exception {
    myid("4");

    WardenConfig c = parse(dir, THREE + "server.4=10.0.0.4:2888:3888:observer").config();

    assertThat(c.self()).map(ServerSpec::role).contains(ServerRole.OBSERVER);
    assertThat(c.participants()).hasSize(3);
    assertThat(c.observers()).extracting(ServerSpec::id).containsExactly(4);
  }

  @Test
  void observersWithoutParticipantsAreRefused() throws Exception {
    myid("1");

    assertThat(problems(dir, "server.1=10.0.0.1:2888:3888:observer")).singleElement(STRING)
        .startsWith("observers without participants");
  }

  @Test
  void anObserverBesideALoneStandaloneParticipantIsRefused() throws Exception {
    assertThat(problems(dir, "server.1=a:2888:3888\nserver.2=b:2888:3888:observer"))
        .singleElement(STRING).startsWith("observers need a replicated ensemble");
  }

  @Test
  void noServerLinesMeansStandaloneWithServerIdOne() {
    WardenConfig c = parse(dir, "").config();

    assertThat(c.isStandalone()).isTrue();
    assertThat(c.serverId()).isEqualTo(1);
    assertThat(c.self()).isEmpty();
  }

  @Test
  void aSingleServerLineMeansStandaloneAsInZooKeeperWithAWarning() {
    ParsedConfig p = parse(dir, "server.5=10.0.0.5:2888:3888");

    assertThat(p.config().isStandalone()).isTrue();
    assertThat(p.config().serverId()).isEqualTo(1);
    assertThat(p.warnings()).singleElement(STRING)
        .contains("a single server.N line means standalone", "'server.5'");
  }

  @Test
  void standaloneReadsMyidWhenPresentAsZooKeeperDoes() throws Exception {
    myid("7");
    assertThat(parse(dir, "").config().serverId()).isEqualTo(7);

    myid("x");
    assertThat(problems(dir, "")).singleElement(STRING).startsWith("invalid myid file");
  }

  @Test
  void standaloneDisabledMakesOneParticipantAnEnsembleOfOne() throws Exception {
    myid("1");

    WardenConfig c = parse(dir, LIMITS + "standaloneEnabled=false\nserver.1=10.0.0.1:2888:3888")
        .config();

    assertThat(c.isStandalone()).isFalse();
    assertThat(c.self()).isPresent();
  }

  @Test
  void standaloneDisabledWithoutParticipantsIsRefused() {
    assertThat(problems(dir, "standaloneEnabled=false")).singleElement(STRING)
        .startsWith("standaloneEnabled=false needs at least one participant");
  }

  @Test
  void anEnsembleNeedsInitLimitAndSyncLimitAsInZooKeeper() throws Exception {
    myid("1");

    assertThat(problems(dir, "server.1=a:2888:3888\nserver.2=b:2888:3888\nserver.3=c:2888:3888"))
        .containsExactly(
            "missing key 'initLimit' (expected a positive integer, ticks; required when server.N "
                + "lines define a replicated ensemble, as in ZooKeeper)",
            "missing key 'syncLimit' (expected a positive integer, ticks; required when server.N "
                + "lines define a replicated ensemble, as in ZooKeeper)");
  }

  @Test
  void anEnsembleWithoutMyidIsRefusedNamingTheFile() {
    assertThat(problems(dir, THREE)).singleElement(STRING)
        .isEqualTo("missing myid file " + dir.resolve("myid") + ": with server.N lines (ids 1, 2, "
            + "3) each member needs its own id there, as in ZooKeeper");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "256", "-1", "1\n2", "", "1.0", "0x1"})
  void anInvalidMyidIsRefusedWithItsContent(String content) throws Exception {
    myid(content);

    assertThat(problems(dir, THREE)).singleElement(STRING)
        .startsWith("invalid myid file " + dir.resolve("myid") + ": \"" + content.strip() + "\"")
        .contains("expected a single integer 1-255");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "2\n", " 2 \n", "2\r\n", "002"})
  void myidMayCarryWhitespace(String content) throws Exception {
    myid(content);

    assertThat(parse(dir, THREE).config().serverId()).isEqualTo(2);
  }

  @Test
  void aMyidNotListedIsRefusedWithTheListedIds() throws Exception {
    myid("4");

    assertThat(problems(dir, THREE)).containsExactly("myid 4 is not listed in the server.N lines "
        + "(ids: 1, 2, 3); each member's myid file must hold its own N");
  }

  @Test
  void theNodesOwnClientAddressSetsItsClientPort() throws Exception {
    myid("1");

    WardenConfig c = parse(dir, LIMITS + """
        server.1=10.0.0.1:2888:3888;10.0.0.1:2281
        server.2=10.0.0.2:2888:3888;2281
        server.3=10.0.0.3:2888:3888;2281
        """).config();

    assertThat(c.clientPortAddress()).isEqualTo("10.0.0.1");
    assertThat(c.clientPort()).isEqualTo(2281);
  }

  @Test
  void aClientAddressAgreeingWithClientPortIsFine() throws Exception {
    myid("1");

    WardenConfig c = parse(dir, THREE.replace("server.1=10.0.0.1:2888:3888",
        "server.1=10.0.0.1:2888:3888;127.0.0.1:2281")
        + "clientPort=2281\nclientPortAddress=0.0.0.0").config();

    assertThat(c.clientPortAddress()).isEqualTo("127.0.0.1");
    assertThat(c.clientPort()).isEqualTo(2281);
  }

  @ParameterizedTest
  @ValueSource(strings = {"clientPort=2181", "clientPort=2281\nclientPortAddress=10.9.9.9"})
  void aClientAddressContradictingClientPortIsRefused(String extra) throws Exception {
    myid("1");

    assertThat(problems(dir, THREE.replace("server.1=10.0.0.1:2888:3888",
        "server.1=10.0.0.1:2888:3888;127.0.0.1:2281") + extra))
        .singleElement(STRING)
        .startsWith("this node's line 'server.1' gives client address 127.0.0.1:2281, which "
            + "contradicts clientPort/clientPortAddress");
  }

  @Test
  void anUnreadableClientPortIsReportedOnceEvenWithAClientAddressOnTheLine() throws Exception {
    myid("1");

    assertThat(problems(dir, THREE.replace("server.1=10.0.0.1:2888:3888",
        "server.1=10.0.0.1:2888:3888;2281") + "clientPort=x"))
        .singleElement(STRING).startsWith("invalid value for 'clientPort': \"x\"");
  }

  @Test
  void aPeerTypeDisagreeingWithTheServerLinesIsOverruledWithAWarning() throws Exception {
    myid("1");

    ParsedConfig p = parse(dir, THREE + "peerType=observer");

    assertThat(p.config().self()).map(ServerSpec::role).contains(ServerRole.PARTICIPANT);
    assertThat(p.warnings()).singleElement(STRING).contains("'peerType' is observer");
  }

  @Test
  void ensemblesThatCannotTolerateAFailureAreWarnedAbout() throws Exception {
    myid("1");
    String two = LIMITS + "server.1=a:2888:3888\nserver.2=b:2888:3888\n";

    assertThat(parse(dir, two).warnings()).singleElement(STRING)
        .contains("no member failure will be tolerated");
    assertThat(parse(dir, two + "server.3=c:2888:3888\nserver.4=d:2888:3888").warnings())
        .singleElement(STRING).contains("consider an odd number");
    assertThat(parse(dir, two + "server.3=c:2888:3888").warnings()).isEmpty();
  }

  @Test
  void theBuilderChecksEnsemblesToo() {
    ServerSpec one = new ServerSpec(1, "a", 1, 2, ServerRole.PARTICIPANT, Optional.empty());
    ServerSpec two = new ServerSpec(2, "b", 1, 2, ServerRole.PARTICIPANT, Optional.empty());
    WardenConfig.Builder b = WardenConfig.builder().servers(List.of(two, one)).serverId(2);

    assertThat(org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, b::build)
        .problems()).containsExactly(
            "missing key 'initLimit' (expected a positive integer, ticks; required when server.N "
                + "lines define a replicated ensemble, as in ZooKeeper)",
            "missing key 'syncLimit' (expected a positive integer, ticks; required when server.N "
                + "lines define a replicated ensemble, as in ZooKeeper)");
    WardenConfig c = b.initLimitTicks(10).syncLimitTicks(5).build();
    assertThat(c.servers()).extracting(ServerSpec::id).containsExactly(1, 2);
    assertThat(c.self()).contains(two);
  }
}
