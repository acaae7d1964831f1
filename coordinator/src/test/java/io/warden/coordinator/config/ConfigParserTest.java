package io.warden.coordinator.config;

import static io.warden.coordinator.config.Cfg.parse;
import static io.warden.coordinator.config.Cfg.problems;
import static io.warden.coordinator.config.Cfg.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {
  /** conf/zoo_sample.cfg exactly as ZooKeeper 3.9 ships it. */
  static final String ZOO_SAMPLE_CFG = """
      # The number of milliseconds of each tick
      tickTime=2000
      # The number of ticks that the initial\s
      # synchronization phase can take
      initLimit=10
      # The number of ticks that can pass between\s
      # sending a request and getting an acknowledgement
      syncLimit=5
      # the directory where the snapshot is stored.
      # do not use /tmp for storage, /tmp here is just\s
      # example sakes.
      dataDir=/tmp/zookeeper
      # the port at which the clients will connect
      clientPort=2181
      # the maximum number of client connections.
      # increase this if you need to handle more clients
      #maxClientCnxns=60
      #
      # Be sure to read the maintenance section of the\s
      # administrator guide before turning on autopurge.
      #
      # https://zookeeper.apache.org/doc/current/zookeeperAdmin.html#sc_maintenance
      #
      # The number of snapshots to retain in dataDir
      #autopurge.snapRetainCount=3
      # Purge task interval in hours
      # Set to "0" to disable auto purge feature
      #autopurge.purgeInterval=1

      ## Metrics Providers
      #
      # https://prometheus.io Metrics Exporter
      #metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider
      #metricsProvider.httpHost=0.0.0.0
      #metricsProvider.httpPort=7000
      #metricsProvider.exportJvmInfo=true
      """;

  private static final String SUPER_DIGEST = "DigestAuthenticationProvider.superDigest=";
  /** DigestAuthenticationProvider.generateDigest("super:admin") */
  private static final String ADMIN_DIGEST = "super:xQJmxLMiHGwaqBvst5y6rkB6HQs=";

  @TempDir
  Path dir;

  @Test
  void zooKeepersSampleFileParsesWithZooKeepersMeanings() throws Exception {
    Path file = dir.resolve("zoo.cfg");
    Files.writeString(file, ZOO_SAMPLE_CFG, StandardCharsets.ISO_8859_1);

    ParsedConfig parsed = ConfigParser.parseWithWarnings(file);
    WardenConfig c = parsed.config();

    assertThat(parsed.warnings()).isEmpty();
    assertThat(c.tickTimeMs()).isEqualTo(2000);
    assertThat(c.initLimitTicks()).isEqualTo(10);
    assertThat(c.syncLimitTicks()).isEqualTo(5);
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/zookeeper"));
    assertThat(c.clientPort()).isEqualTo(2181);
    assertThat(c.clientPortAddress()).isEqualTo("0.0.0.0");
    assertThat(c.minSessionTimeoutMs()).isEqualTo(4000);
    assertThat(c.maxSessionTimeoutMs()).isEqualTo(40000);
    assertThat(c.maxClientCnxns()).isEqualTo(60);
    assertThat(c.isStandalone()).isTrue();
    assertThat(c.fourLetterWords()).containsExactly(FourLetterWord.SRVR);
  }

  @Test
  void parseOfAFileLogsWarningsAndReturnsTheSameConfig() throws Exception {
    Path file = dir.resolve("zoo.cfg");
    Files.writeString(file, "dataDir=" + dir + "\npreAllocSize=65536\n");

    assertThat(ConfigParser.parse(file)).isEqualTo(ConfigParser.parseWithWarnings(file).config());
  }

  @Test
  void defaultsAreASingleLoopbackNodeWithZooKeepersLimits() {
    WardenConfig d = WardenConfig.defaults();

    assertThat(d.isStandalone()).isTrue();
    assertThat(d.servers()).isEmpty();
    assertThat(d.serverId()).isEqualTo(1);
    assertThat(d.clientPortAddress()).isEqualTo("127.0.0.1");
    assertThat(d.clientPort()).isEqualTo(2181);
    assertThat(d.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    assertThat(d.adminEnabled()).isTrue();
    assertThat(d.adminServerAddress()).isEqualTo("127.0.0.1");
    assertThat(d.adminServerPort()).isEqualTo(8080);
    assertThat(d.adminCommandUrl()).isEqualTo("/commands");
    assertThat(d.tickTimeMs()).isEqualTo(3000);
    assertThat(d.minSessionTimeoutMs()).isEqualTo(6000);
    assertThat(d.maxSessionTimeoutMs()).isEqualTo(60000);
    assertThat(d.maxClientCnxns()).isEqualTo(60);
    assertThat(d.maxCnxns()).isZero();
    assertThat(d.clientPortListenBacklog()).isEqualTo(-1);
    assertThat(d.globalOutstandingLimit()).isEqualTo(1000);
    assertThat(d.juteMaxBufferBytes()).isEqualTo(0xFFFFF);
    assertThat(d.fourLetterWords()).containsExactly(FourLetterWord.SRVR);
    assertThat(d.snapCount()).isEqualTo(100_000);
    assertThat(d.snapSizeLimitKb()).isEqualTo(4_194_304L);
    assertThat(d.snapRetainCount()).isEqualTo(3);
    assertThat(d.extendedTypesEnabled()).isTrue();
    assertThat(d.superDigest()).isEmpty();
    assertThat(d.maxInflightPerConnection()).isEqualTo(1000);
    assertThat(d.maxWatchesPerConnection()).isEqualTo(100_000);
    assertThat(d.sessionlessConnectionTimeoutMs()).isEqualTo(10_000);
    assertThat(d.reaperIntervalMs()).isEqualTo(5000);
    assertThat(d.reaperMaxPerInterval()).isEqualTo(1000);
    assertThat(d.electionTimeoutMs()).isEqualTo(1000);
    assertThat(d.heartbeatIntervalMs()).isEqualTo(50);
  }

  @Test
  void aFileWithOnlyDataDirGetsZooKeepersDefaultsButBindsEveryInterface() {
    WardenConfig c = parse(dir, "").config();

    assertThat(c.clientPortAddress()).isEqualTo("0.0.0.0");
    assertThat(c.adminServerAddress()).isEqualTo("127.0.0.1");
    assertThat(c.toBuilder().clientPortAddress("127.0.0.1")
        .dataDir(Path.of("data").toAbsolutePath()).build()).isEqualTo(WardenConfig.defaults());
  }

  @Test
  void everyWardenKeyIsRead() {
    WardenConfig c = parse(dir, """
        warden.maxInflightPerConnection=7
        warden.maxWatchesPerConnection=8
        warden.sessionlessConnectionTimeoutMs=9
        warden.reaper.intervalMs=10
        warden.reaper.maxPerInterval=11
        warden.electionTimeoutMs=600
        warden.heartbeatIntervalMs=120
        """).config();

    assertThat(c.maxInflightPerConnection()).isEqualTo(7);
    assertThat(c.maxWatchesPerConnection()).isEqualTo(8);
    assertThat(c.sessionlessConnectionTimeoutMs()).isEqualTo(9);
    assertThat(c.reaperIntervalMs()).isEqualTo(10);
    assertThat(c.reaperMaxPerInterval()).isEqualTo(11);
    assertThat(c.electionTimeoutMs()).isEqualTo(600);
    assertThat(c.heartbeatIntervalMs()).isEqualTo(120);
  }

  @Test
  void zooKeeperKeysAreReadWithTheirMeanings() {
    WardenConfig c = parse(dir, """
        clientPort=0
        clientPortAddress=[::1]
        clientPortListenBacklog=128
        maxClientCnxns=0
        maxCnxns=500
        jute.maxbuffer=0x400000
        globalOutstandingLimit=50
        snapCount=2
        snapSizeLimitInKb=-1
        autopurge.snapRetainCount=1
        extendedTypesEnabled=FALSE
        admin.enableServer=false
        admin.serverAddress=0.0.0.0
        admin.serverPort=0
        admin.commandURL=/cmd
        quorumListenOnAllIPs=true
        """).config();

    assertThat(c.clientPort()).isZero();
    assertThat(c.clientPortAddress()).isEqualTo("::1");
    assertThat(c.clientPortListenBacklog()).isEqualTo(128);
    assertThat(c.maxClientCnxns()).isZero();
    assertThat(c.maxCnxns()).isEqualTo(500);
    assertThat(c.juteMaxBufferBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(c.globalOutstandingLimit()).isEqualTo(50);
    assertThat(c.snapCount()).isEqualTo(2);
    assertThat(c.snapSizeLimitKb()).isZero();
    assertThat(c.snapRetainCount()).isEqualTo(1);
    assertThat(c.extendedTypesEnabled()).isFalse();
    assertThat(c.adminEnabled()).isFalse();
    assertThat(c.adminServerAddress()).isEqualTo("0.0.0.0");
    assertThat(c.adminServerPort()).isZero();
    assertThat(c.adminCommandUrl()).isEqualTo("/cmd");
    assertThat(c.quorumListenOnAllIPs()).isTrue();
  }

  @Test
  void anInvalidValueIsReportedWithKeyValueAndWhatIsAllowed() {
    assertThat(problems(dir, "tickTime=abc")).containsExactly("invalid value for 'tickTime': "
        + "\"abc\" (expected a positive integer, milliseconds, at most 107374182)");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "tickTime|0", "tickTime|-1", "tickTime|2.5", "tickTime|``", "tickTime|107374183",
      "tickTime|99999999999999999999", "initLimit|0", "initLimit|x", "syncLimit|-3",
      "clientPort|65536", "clientPort|-1", "clientPort|http", "clientPortAddress|bad host",
      "clientPortAddress|host:2181", "clientPortAddress|[127.0.0.1]", "clientPortAddress|300.1.1.1",
      "clientPortListenBacklog|0", "clientPortListenBacklog|-2", "maxClientCnxns|-1",
      "maxCnxns|x", "minSessionTimeout|0", "minSessionTimeout|-2", "maxSessionTimeout|abc",
      "4lw.commands.whitelist|stat, bogus", "jute.maxbuffer|100", "jute.maxbuffer|0x",
      "jute.maxbuffer|0xZZ", "jute.maxbuffer|2000000000", "globalOutstandingLimit|0",
      "snapCount|1", "snapSizeLimitInKb|ten", "autopurge.snapRetainCount|0",
      "autopurge.purgeInterval|-1", "extendedTypesEnabled|yes",
      "DigestAuthenticationProvider.superDigest|super",
      "admin.enableServer|1", "admin.serverAddress|not a host", "admin.serverPort|70000",
      "admin.commandURL|commands", "admin.commandURL|/a b", "standaloneEnabled|TRUEish",
      "quorumListenOnAllIPs|on", "electionAlg|1", "syncEnabled|maybe", "peerType|leader",
      "reconfigEnabled|maybe", "sslQuorum|1", "dataDir|``", "dataLogDir|``",
      "warden.maxInflightPerConnection|0", "warden.maxWatchesPerConnection|-5",
      "warden.sessionlessConnectionTimeoutMs|x", "warden.reaper.intervalMs|0",
      "warden.reaper.maxPerInterval|0", "warden.electionTimeoutMs|0",
      "warden.heartbeatIntervalMs|0"})
  void eachInvalidValueNamesItsKeyAndValue(String key, String value) {
    List<String> problems = problems(dir, key + "=" + value);

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0))
        .startsWith("invalid value for '" + key + "': \"" + value + "\" (")
        .contains("expected");
  }

  @ParameterizedTest
  @EnumSource(Setting.class)
  void everySettingRejectsGarbage(Setting setting) {
    Properties p = props("dataDir=" + dir);
    // a NUL inside: trim() would strip one at either end
    p.setProperty(setting.key(), "not\0valid");

    assertThatThrownBy(() -> ConfigParser.parseWithWarnings(p, dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anySatisfy(m -> assertThat(m).contains("'" + setting.key() + "'")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "tickTme|did you mean 'tickTime'?",
      "ticktime|did you mean 'tickTime'?",
      "maxClientCnxn|did you mean 'maxClientCnxns'?",
      "zookeeper.snapCount|did you mean 'snapCount'? In zoo.cfg",
      "zookeeper.4lw.commands.whitelist|did you mean '4lw.commands.whitelist'?",
      "warden.maxInflight|warden.maxInflightPerConnection, warden.maxWatchesPerConnection",
      "colour|neither a ZooKeeper key Warden knows nor a warden.* key"})
  void unknownKeysAreRefusedByName(String key, String hint) {
    assertThat(problems(dir, key + "=1"))
        .singleElement(STRING)
        .startsWith("unknown key '" + key + "' (")
        .contains(hint);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "secureClientPort=2281|unsupported key 'secureClientPort': TLS is not supported",
      "secureClientPortAddress=0.0.0.0|unsupported key 'secureClientPortAddress'",
      "ssl.keyStore.location=/k.jks|unsupported key 'ssl.keyStore.location': TLS",
      "reconfigEnabled=true|unsupported value for 'reconfigEnabled': \"true\" (dynamic",
      "dynamicConfigFile=/z.dyn|unsupported key 'dynamicConfigFile'",
      "group.1=1:2:3|unsupported key 'group.1': hierarchical quorums",
      "weight.1=2|unsupported key 'weight.1'",
      "authProvider.1=org.example.SASLAuthenticationProvider|unsupported key 'authProvider.1'",
      "requireClientAuthScheme=sasl|unsupported key 'requireClientAuthScheme': SASL",
      "quorum.auth.enableSasl=true|unsupported key 'quorum.auth.enableSasl'",
      "sslQuorum=TRUE|unsupported value for 'sslQuorum'",
      "portUnification=true|unsupported value for 'portUnification'",
      "skipACL=yes|unsupported value for 'skipACL': \"yes\" (Warden always checks ACLs)",
      "forceSync=no|unsupported value for 'forceSync'",
      "localSessionsEnabled=true|unsupported value for 'localSessionsEnabled'",
      "multiAddress.enabled=true|unsupported value for 'multiAddress.enabled'",
      "emulate353TTLNodes=true|unsupported value for 'emulate353TTLNodes'",
      "DigestAuthenticationProvider.digestAlg=SHA3-256|unsupported value for "
          + "'DigestAuthenticationProvider.digestAlg'",
      "znode.container.checkIntervalMs=1000|warden.reaper.intervalMs",
      "oraclePath=/o|unsupported key 'oraclePath'"})
  void zooKeeperFeaturesWardenLacksAreRefusedWithAReason(String line, String message) {
    assertThat(problems(dir, line)).singleElement(STRING)
        .contains(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"reconfigEnabled=false", "skipACL=no", "forceSync=yes", "sslQuorum=false",
      "DigestAuthenticationProvider.digestAlg=SHA1", "localSessionsEnabled=False",
      "syncEnabled=true", "standaloneEnabled=true"})
  void switchesSetToWhatWardenDoesAnywayAreAcceptedSilently(String line) {
    assertThat(parse(dir, line).warnings()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "preAllocSize=65536|preAllocSize",
      "metricsProvider.className=org.example.PrometheusMetricsProvider|metricsProvider.className",
      "metricsProvider.httpPort=7000|metricsProvider.httpPort",
      "electionAlg=3|electionAlg",
      "autopurge.purgeInterval=1|autopurge.purgeInterval",
      "syncEnabled=false|syncEnabled",
      "admin.idleTimeout=30000|admin.idleTimeout",
      "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory|serverCnxnFactory",
      "fastleader.minNotificationInterval=200|fastleader.minNotificationInterval",
      "jvm.pause.monitor=true|jvm.pause.monitor"})
  void compatibleKeysWithoutEffectAreAcceptedWithOneWarningNamingThem(String line, String key) {
    assertThat(parse(dir, line).warnings())
        .singleElement(STRING)
        .startsWith("ignoring '" + key + "': ");
  }

  @Test
  void allProblemsAreReportedAtOnceInKeyOrder() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(dir, "tickTime=abc\nclientPort=x\nbogus=1\nsecureClientPort=1"));

    assertThat(e.problems()).hasSize(4);
    assertThat(e.problems().get(0)).contains("'bogus'");
    assertThat(e.problems().get(1)).contains("'clientPort'");
    assertThat(e.problems().get(2)).contains("'secureClientPort'");
    assertThat(e.problems().get(3)).contains("'tickTime'");
    assertThat(e.getMessage()).startsWith("configuration: 4 problems\n  - ");
  }

  @Test
  void aProblemCausedByAnUnreadableValueIsNotReportedTwice() {
    // with tickTime unreadable, "min (2 × tickTime) > max" would only confuse
    assertThat(problems(dir, "tickTime=abc\nmaxSessionTimeout=3000"))
        .singleElement(STRING).contains("'tickTime'");
  }

  @Test
  void sessionTimeoutsDefaultToTwoAndTwentyTicks() {
    WardenConfig c = parse(dir, "tickTime=2000\nminSessionTimeout=-1").config();

    assertThat(c.minSessionTimeoutMs()).isEqualTo(4000);
    assertThat(c.maxSessionTimeoutMs()).isEqualTo(40000);
  }

  @Test
  void sessionTimeoutsMayBeSetBelowTwoTicksAndEqual() {
    WardenConfig c = parse(dir, "tickTime=2000\nminSessionTimeout=100\nmaxSessionTimeout=100")
        .config();

    assertThat(c.minSessionTimeoutMs()).isEqualTo(100);
    assertThat(c.maxSessionTimeoutMs()).isEqualTo(100);
  }

  @Test
  void minSessionTimeoutAboveMaxIsRefusedNamingBoth() {
    assertThat(problems(dir, "minSessionTimeout=10000\nmaxSessionTimeout=5000"))
        .containsExactly("'minSessionTimeout' (10000 ms) must not be larger than "
            + "'maxSessionTimeout' (5000 ms); when not set they are 2 × and 20 × tickTime "
            + "(3000 ms)");
  }

  @Test
  void aMaxSessionTimeoutBelowTheDerivedMinimumIsRefused() {
    assertThat(problems(dir, "tickTime=2000\nmaxSessionTimeout=3000"))
        .singleElement(STRING)
        .contains("'minSessionTimeout' (4000 ms)", "'maxSessionTimeout' (3000 ms)");
  }

  @Test
  void theElectionTimeoutMustCoverFiveHeartbeats() {
    assertThat(parse(dir, "warden.electionTimeoutMs=500\nwarden.heartbeatIntervalMs=100").config()
        .electionTimeoutMs()).isEqualTo(500);
    assertThat(problems(dir, "warden.electionTimeoutMs=499\nwarden.heartbeatIntervalMs=100"))
        .singleElement(STRING)
        .contains("'warden.electionTimeoutMs' (499 ms) must be at least 5 × "
            + "'warden.heartbeatIntervalMs' (100 ms)");
  }

  @Test
  void theWhitelistDefaultsToSrvr() {
    assertThat(parse(dir, "").config().fourLetterWords()).containsExactly(FourLetterWord.SRVR);
    assertThat(parse(dir, "4lw.commands.whitelist=").config().fourLetterWords())
        .containsExactly(FourLetterWord.SRVR);
  }

  @Test
  void theWhitelistIsACommaListWithSpacesAndAnyCase() {
    WardenConfig c = parse(dir, "4lw.commands.whitelist=stat, ruok ,CONF,isro").config();

    assertThat(c.fourLetterWords()).containsExactlyInAnyOrder(FourLetterWord.STAT,
        FourLetterWord.RUOK, FourLetterWord.CONF, FourLetterWord.ISRO, FourLetterWord.SRVR);
    assertThat(c.isWhitelisted(FourLetterWord.MNTR)).isFalse();
  }

  @Test
  void aStarEnablesEveryWordWardenAnswers() {
    assertThat(parse(dir, "4lw.commands.whitelist=*").config().fourLetterWords())
        .isEqualTo(EnumSet.allOf(FourLetterWord.class));
    assertThat(parse(dir, "4lw.commands.whitelist=ruok, *").config().fourLetterWords())
        .isEqualTo(EnumSet.allOf(FourLetterWord.class));
  }

  @Test
  void zooKeeperOnlyWordsAreAcceptedDisabledAndNamedInAWarning() {
    ParsedConfig p = parse(dir, "4lw.commands.whitelist=stat, dump, wchc");

    assertThat(p.config().fourLetterWords())
        .containsExactlyInAnyOrder(FourLetterWord.STAT, FourLetterWord.SRVR);
    assertThat(p.warnings()).singleElement(STRING)
        .contains("'4lw.commands.whitelist'", "dump, wchc");
  }

  @Test
  void anUnknownWordIsNamed() {
    assertThat(problems(dir, "4lw.commands.whitelist=stat, bogus, ruok"))
        .singleElement(STRING)
        .startsWith("invalid value for '4lw.commands.whitelist': \"stat, bogus, ruok\" "
            + "(unknown: bogus;");
  }

  @Test
  void aRelativeDataDirIsResolvedAgainstTheBaseDirectoryWithAWarning() {
    ParsedConfig p = ConfigParser.parseWithWarnings(props("dataDir=zk/../data"), dir);

    assertThat(p.config().dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(p.warnings()).singleElement(STRING)
        .contains("'dataDir'", "relative", dir.resolve("data").toString());
  }

  @Test
  void aFilesRelativeDataDirIsResolvedAgainstTheWorkingDirectoryAsInZooKeeper() throws Exception {
    Path confDir = Files.createDirectories(dir.resolve("conf"));
    Path file = confDir.resolve("zoo.cfg");
    Files.writeString(file, "dataDir=warden-test-relative-data\n");

    WardenConfig c = ConfigParser.parseWithWarnings(file).config();

    assertThat(c.dataDir())
        .isEqualTo(Path.of("").toAbsolutePath().resolve("warden-test-relative-data"))
        .isNotEqualTo(confDir.resolve("warden-test-relative-data"));
  }

  @Test
  void dataDirIsRequiredAsInZooKeeper() {
    assertThatThrownBy(() -> ConfigParser.parseWithWarnings(props("tickTime=2000"), dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .singleElement(STRING)
            .startsWith("missing key 'dataDir'"));
  }

  @Test
  void aSeparateDataLogDirIsAcceptedButWarnedAbout() {
    assertThat(parse(dir, "dataLogDir=" + dir).warnings()).isEmpty();
    assertThat(parse(dir, "dataLogDir=" + dir.resolve("log")).warnings())
        .singleElement(STRING)
        .startsWith("ignoring 'dataLogDir': Warden keeps its log in dataDir");
  }

  @Test
  void propertiesSyntaxIsZooKeepers() {
    WardenConfig c = parse(dir, """
        ! a comment in the other style
        tickTime = 1000
        tickTime: 2500   \s
        initLimit 7
        4lw.commands.whitelist=stat,\\
            ruok
        admin.commandURL=/com\\u006dands
        """).config();

    assertThat(c.tickTimeMs()).as("the last of a duplicate key wins, trailing blanks trimmed")
        .isEqualTo(2500);
    assertThat(c.initLimitTicks()).isEqualTo(7);
    assertThat(c.fourLetterWords()).contains(FourLetterWord.STAT, FourLetterWord.RUOK);
    assertThat(c.adminCommandUrl()).isEqualTo("/commands");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.cfg");

    assertThatThrownBy(() -> ConfigParser.parse(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": config file not found");
  }

  @Test
  void aMalformedEscapeIsReportedWithTheFile() throws Exception {
    Path file = dir.resolve("zoo.cfg");
    Files.writeString(file, "dataDir=/x\\uZZZZ\n");

    assertThatThrownBy(() -> ConfigParser.parse(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void superDigestIsValidatedAndAcceptedInBothSpellings() {
    WardenConfig plain = parse(dir, SUPER_DIGEST + ADMIN_DIGEST).config();
    WardenConfig sysprop = parse(dir, "zookeeper." + SUPER_DIGEST + ADMIN_DIGEST).config();
    WardenConfig both = parse(dir, SUPER_DIGEST + ADMIN_DIGEST + "\nzookeeper." + SUPER_DIGEST
        + ADMIN_DIGEST).config();

    assertThat(plain.superDigest()).map(SuperDigest::value).contains(ADMIN_DIGEST);
    assertThat(sysprop.superDigest()).isEqualTo(plain.superDigest());
    assertThat(both.superDigest()).isEqualTo(plain.superDigest());
  }

  @Test
  void twoDifferentSuperDigestsAreRefused() {
    assertThat(problems(dir, SUPER_DIGEST + ADMIN_DIGEST
        + "\nzookeeper." + SUPER_DIGEST + "super:lK75jTNcA+U9vtVEw5vB51mj/w4="))
        .singleElement(STRING)
        .contains("both given, with different values");
  }

  @ParameterizedTest
  @ValueSource(strings = {"super", "super:", ":xQJmxLMiHGwaqBvst5y6rkB6HQs=",
      "super:not-base64!", "super:xQJmxLMiHGwaqBvst5y6rkB6HQ=", "super:xQJmxLMiHGwaqBvst5y6rkB6HQs",
      "super:xQJmxLMiHGwaqBvst5y6rkB6HQt=", "a:b:xQJmxLMiHGwaqBvst5y6rkB6HQs=",
      "super:xQJmxLMiHGwaqBvst5y6rkB6HQs=xQJmxLMiHGwaqBvst5y6rkB6HQs="})
  void aMalformedSuperDigestIsRefusedNamingTheSyspropSpellingToo(String value) {
    assertThat(problems(dir, "zookeeper." + SUPER_DIGEST + value)).singleElement(STRING)
        .startsWith("invalid value for 'DigestAuthenticationProvider.superDigest': \"" + value
            + "\"")
        .contains("user:base64(sha1(user:password))");
  }

  @Test
  void anyUserNameWorksForTheSuperDigestAsInZooKeeper() {
    assertThat(parse(dir, SUPER_DIGEST + "admin:xQJmxLMiHGwaqBvst5y6rkB6HQs=").config()
        .superDigest()).map(SuperDigest::user).contains("admin");
  }

  @Test
  void theSuperDigestIsHiddenFromToString() {
    WardenConfig c = parse(dir, SUPER_DIGEST + ADMIN_DIGEST).config();

    assertThat(c.toString()).contains("user=super").doesNotContain("xQJmxLMiHGwaqBvst5y6rkB6HQs");
  }
}
