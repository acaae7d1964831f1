package io.warden.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.apache.zookeeper.server.quorum.QuorumPeer.QuorumServer;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same input through Apache ZooKeeper 3.9's own parser and ours. Only IP literals are used:
 * ZooKeeper resolves host names while parsing.
 */
class ZooKeeperOracleTest {
  @TempDir
  Path dir;

  private QuorumPeerConfig zooKeeper(Path file) throws Exception {
    QuorumPeerConfig zk = new QuorumPeerConfig();
    zk.parse(file.toString());
    return zk;
  }

  @Test
  void zooSampleCfgMeansTheSame() throws Exception {
    Path file = dir.resolve("zoo.cfg");
    Files.writeString(file,
        ConfigParserTest.ZOO_SAMPLE_CFG.replace("/tmp/zookeeper", dir.toString()));

    QuorumPeerConfig zk = zooKeeper(file);
    WardenConfig ours = ConfigParser.parse(file);

    assertThat(ours.tickTimeMs()).isEqualTo(zk.getTickTime());
    assertThat(ours.initLimitTicks()).isEqualTo(zk.getInitLimit());
    assertThat(ours.syncLimitTicks()).isEqualTo(zk.getSyncLimit());
    assertThat(ours.minSessionTimeoutMs()).isEqualTo(zk.getMinSessionTimeout());
    assertThat(ours.maxSessionTimeoutMs()).isEqualTo(zk.getMaxSessionTimeout());
    assertThat(ours.maxClientCnxns()).isEqualTo(zk.getMaxClientCnxns());
    assertThat(ours.clientPort()).isEqualTo(zk.getClientPortAddress().getPort());
    assertThat(ours.clientPortAddress()).isEqualTo(zk.getClientPortAddress().getHostString());
    assertThat(ours.clientPortListenBacklog()).isEqualTo(zk.getClientPortListenBacklog());
    assertThat(ours.snapRetainCount()).isEqualTo(zk.getSnapRetainCount());
    assertThat(ours.dataDir().toFile()).isEqualTo(zk.getDataDir());
  }

  @Test
  void anEnsembleMeansTheSame() throws Exception {
    Files.writeString(dir.resolve("myid"), "2\n");
    Path file = dir.resolve("zoo.cfg");
    Files.writeString(file, """
        tickTime=1500
        initLimit=10
        syncLimit=5
        minSessionTimeout=2000
        maxSessionTimeout=90000
        maxClientCnxns=0
        dataDir=%s
        server.1=127.0.0.1:2888:3888
        server.2=127.0.0.1:2889:3889:participant;127.0.0.1:2182
        server.3=[::1]:2890:3890;2183
        server.4=127.0.0.1:2891:3891:observer
        """.formatted(dir));

    QuorumPeerConfig zk = zooKeeper(file);
    WardenConfig ours = ConfigParser.parse(file);

    assertThat(ours.serverId()).isEqualTo((int) zk.getServerId());
    assertThat(ours.isStandalone()).isEqualTo(!zk.isDistributed());
    assertThat(ours.minSessionTimeoutMs()).isEqualTo(zk.getMinSessionTimeout());
    assertThat(ours.maxSessionTimeoutMs()).isEqualTo(zk.getMaxSessionTimeout());
    assertThat(ours.maxClientCnxns()).isEqualTo(zk.getMaxClientCnxns());
    assertThat(ours.clientPort()).isEqualTo(zk.getClientPortAddress().getPort());
    assertThat(ours.clientPortAddress()).isEqualTo(zk.getClientPortAddress().getHostString());
    Map<Long, QuorumServer> zkServers = zk.getServers();
    assertThat(ours.servers()).hasSize(zkServers.size());
    for (ServerSpec s : ours.servers()) {
      assertSame(s, zkServers.get((long) s.id()));
    }
  }

  @Property(tries = 300)
  void serverLinesParseAsInZooKeeper(@ForAll("serverLines") String line,
      @ForAll("ids") int id) throws Exception {
    QuorumServer zk = new QuorumServer(id, line);
    List<Problem> problems = new ArrayList<>();

    Optional<ServerSpec> ours = ServerLines.parse("server." + id, id, line, problems);

    assertThat(problems).isEmpty();
    assertThat(ours).isPresent();
    assertSame(ours.get(), zk);
  }

  /** Malformed forms both parsers refuse (ZooKeeper sometimes with an unchecked exception). */
  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:2888", "127.0.0.1:2888:3888:observer:x", "127.0.0.1:x:3888",
      "127.0.0.1:2888:70000", "127.0.0.1:2888:2888", "127.0.0.1:2888:3888:leader",
      "127.0.0.1:2888:3888;2181;2182", "[::1:2888:3888",
      "127.0.0.1:2888:3888|127.0.0.2:2889:3889", "127.0.0.1:2888:3888;127.0.0.1:x"})
  void malformedLinesAreRefusedByBoth(String line) {
    List<Problem> problems = new ArrayList<>();

    assertThatThrownBy(() -> new QuorumServer(1, line)).isInstanceOf(Exception.class);
    assertThat(ServerLines.parse("server.1", 1, line, problems)).isEmpty();
    assertThat(problems).hasSize(1);
  }

  // Deliberate differences, for the record: "h:1:2;" (ZooKeeper drops the empty client part,
  // we refuse it); "h: 1:2" (ZooKeeper refuses the space, we trim); "bad host:1:2" (ZooKeeper
  // keeps an unresolvable name, we refuse a name that cannot be one).

  @Test
  void superDigestsZooKeeperGeneratesAreAccepted() throws Exception {
    String digest = DigestAuthenticationProvider.generateDigest("super:admin");

    assertThat(SuperDigest.parse(digest)).map(SuperDigest::value).contains(digest);
    assertThat(digest).isEqualTo("super:xQJmxLMiHGwaqBvst5y6rkB6HQs=");
  }

  private static void assertSame(ServerSpec ours, QuorumServer zk) throws Exception {
    InetSocketAddress quorum = zk.addr.getOne();
    InetSocketAddress election = zk.electionAddr.getOne();
    assertThat(ours.host()).isEqualTo(zk.hostname);
    assertThat(ours.quorumPort()).isEqualTo(quorum.getPort());
    assertThat(ours.electionPort()).isEqualTo(election.getPort());
    assertThat(ours.role().name()).isEqualTo(zk.type.name());
    if (zk.clientAddr == null) {
      assertThat(ours.clientAddress()).isEmpty();
    } else {
      // ZooKeeper resolves the literal (printing ::1 as 0:0:0:0:0:0:0:1); compare addresses
      HostPort client = ours.clientAddress().orElseThrow();
      assertThat(InetAddress.getByName(client.host())).isEqualTo(zk.clientAddr.getAddress());
      assertThat(client.port()).isEqualTo(zk.clientAddr.getPort());
    }
  }

  @Provide
  Arbitrary<Integer> ids() {
    return Arbitraries.integers().between(ServerSpec.MIN_ID, ServerSpec.MAX_ID);
  }

  @Provide
  Arbitrary<String> serverLines() {
    Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
    Arbitrary<String> role = Arbitraries.of("", ":participant", ":observer", ":OBSERVER",
        ":Participant");
    Arbitrary<String> client = Arbitraries.oneOf(
        Arbitraries.just(""),
        port.map(p -> ";" + p),
        Combinators.combine(ipv4(), port).as((h, p) -> ";" + h + ":" + p),
        Combinators.combine(ipv6(), port).as((h, p) -> ";[" + h + "]:" + p));
    Arbitrary<String> host = Arbitraries.oneOf(ipv4(), ipv6().map(h -> "[" + h + "]"));
    // both parsers refuse equal quorum and election ports; shift one when they collide
    return Combinators.combine(host, port, port, role, client)
        .as((h, q, e, r, c) -> h + ":" + q + ":" + (q.equals(e) ? q % 65535 + 1 : e) + r + c);
  }

  private static Arbitrary<String> ipv4() {
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
    return Combinators.combine(octet, octet, octet, octet)
        .as((a, b, c, d) -> a + "." + b + "." + c + "." + d);
  }

  private static Arbitrary<String> ipv6() {
    return Arbitraries.oneOf(Arbitraries.just("::1"),
        Arbitraries.integers().between(1, 0xFFFF).map(n -> "2001:db8::" + Integer.toHexString(n)),
        Arbitraries.integers().between(0, 0xFFFF)
            .map(n -> "fd00:1:2:3:4:5:6:" + Integer.toHexString(n)));
  }
}
