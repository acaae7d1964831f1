package io.warden.coordinator.config;

import static io.warden.coordinator.config.Setting.CLIENT_PORT;
import static io.warden.coordinator.config.Setting.CLIENT_PORT_ADDRESS;
import static io.warden.coordinator.config.Setting.DATA_DIR;
import static io.warden.coordinator.config.Setting.DATA_LOG_DIR;
import static io.warden.coordinator.config.Setting.FOUR_LETTER_WORDS;
import static io.warden.coordinator.config.Setting.JUTE_MAX_BUFFER;
import static io.warden.coordinator.config.Setting.SUPER_DIGEST;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a zoo.cfg into a {@link WardenConfig}: ZooKeeper's keys with ZooKeeper's meanings, plus
 * Warden's own {@code warden.*} keys. Every problem is collected and reported at once in a
 * {@link ConfigException} naming the key, the value and what is allowed; nothing starts on a
 * configuration with a problem.
 *
 * <h2>File format</h2>
 * Loaded with {@link Properties#load(InputStream)}, as ZooKeeper does: ISO-8859-1, {@code #} and
 * {@code !} comments, {@code key=value} / {@code key: value} / {@code key value}, backslash
 * escapes and continuation lines. Keys and values are trimmed (ZooKeeper trims too). A key given
 * twice keeps its last value, in Properties and so in both ZooKeeper and Warden.
 *
 * <h2>Keys Warden reads</h2>
 * <table>
 * <caption>ZooKeeper keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning and differences from ZooKeeper</th></tr>
 * <tr><td>tickTime</td><td>3000</td><td>ms; the session timeout unit. ZooKeeper's code default
 *     (its zoo_sample.cfg says 2000).</td></tr>
 * <tr><td>initLimit, syncLimit</td><td>unset</td><td>ticks; required with a replicated ensemble,
 *     as in ZooKeeper. Reserved for replication (catch-up and follower-lag bounds).</td></tr>
 * <tr><td>dataDir</td><td>required</td><td>RocksDB (log, hard state, snapshots) and
 *     {@code myid}. A relative path is resolved against the working directory, as ZooKeeper
 *     does ({@code new File(dataDir)}), not against the config file's directory: the same file
 *     started from the same place must find the same data, or a member would start empty.</td></tr>
 * <tr><td>dataLogDir</td><td>dataDir</td><td>accepted; Warden keeps its log in dataDir (one
 *     RocksDB), so a different directory gets a warning and is not used.</td></tr>
 * <tr><td>clientPort</td><td>2181</td><td>0 picks a free port (in ZooKeeper 0 means "no client
 *     port").</td></tr>
 * <tr><td>clientPortAddress</td><td>0.0.0.0</td><td>bind address; {@link WardenConfig#defaults()}
 *     (no file) uses 127.0.0.1.</td></tr>
 * <tr><td>clientPortListenBacklog</td><td>-1</td><td>accept backlog, -1 = OS default.</td></tr>
 * <tr><td>maxClientCnxns</td><td>60</td><td>connections per client IP, 0 = unlimited.</td></tr>
 * <tr><td>maxCnxns</td><td>0</td><td>connections in total, 0 = unlimited.</td></tr>
 * <tr><td>minSessionTimeout, maxSessionTimeout</td><td>2×, 20× tickTime</td><td>ms, -1 = the
 *     default; min ≤ max is required.</td></tr>
 * <tr><td>4lw.commands.whitelist</td><td>srvr</td><td>comma list or {@code *} (all words Warden
 *     answers: ruok isro srvr stat mntr conf cons wchs envi). srvr is always enabled, as in
 *     ZooKeeper (zkServer.sh status needs it). ZooKeeper-only words (crst dirs dump gtmk hash
 *     srst stmk wchc wchp) are accepted with a warning and stay off; others are refused.</td></tr>
 * <tr><td>jute.maxbuffer</td><td>0xFFFFF</td><td>bytes, decimal or 0x hex, 1 KiB..1 GiB.</td></tr>
 * <tr><td>globalOutstandingLimit</td><td>1000</td><td>requests in flight on this server.</td></tr>
 * <tr><td>snapCount</td><td>100000</td><td>log entries between snapshots, at least 2.</td></tr>
 * <tr><td>snapSizeLimitInKb</td><td>4194304</td><td>log KiB between snapshots, ≤ 0
 *     disables.</td></tr>
 * <tr><td>autopurge.snapRetainCount</td><td>3</td><td>snapshots kept in RocksDB; Warden deletes
 *     older ones whenever it takes a snapshot. ZooKeeper raises values below 3 to 3; Warden keeps
 *     any value ≥ 1 (its log is compacted by Raft, not by purging).</td></tr>
 * <tr><td>autopurge.purgeInterval</td><td>-</td><td>validated, ignored with a warning: purging
 *     happens at every snapshot, not on a timer.</td></tr>
 * <tr><td>extendedTypesEnabled</td><td>true</td><td>TTL nodes. Off by default in ZooKeeper (and
 *     set there through this same zoo.cfg key); on here, since TTL is part of Warden.</td></tr>
 * <tr><td>DigestAuthenticationProvider.superDigest</td><td>none</td><td>{@code
 *     user:base64(sha1(user:password))}. Also accepted as
 *     {@code zookeeper.DigestAuthenticationProvider.superDigest} (its system property
 *     name).</td></tr>
 * <tr><td>admin.enableServer</td><td>true</td><td>the HTTP admin server.</td></tr>
 * <tr><td>admin.serverAddress</td><td>127.0.0.1</td><td>ZooKeeper binds 0.0.0.0; Warden binds
 *     loopback unless told otherwise: the admin server answers unauthenticated requests about
 *     every session and connection, which should not be exposed by default.</td></tr>
 * <tr><td>admin.serverPort</td><td>8080</td><td>0 picks a free port.</td></tr>
 * <tr><td>admin.commandURL</td><td>/commands</td><td>path of the JSON commands.</td></tr>
 * <tr><td>standaloneEnabled</td><td>true</td><td>with false, even one participant line forms a
 *     (one-member) replicated ensemble.</td></tr>
 * <tr><td>reconfigEnabled</td><td>false</td><td>true is refused until dynamic membership
 *     exists.</td></tr>
 * <tr><td>quorumListenOnAllIPs</td><td>false</td><td>bind the peer (quorum) port on every
 *     interface instead of the host in this member's own server line.</td></tr>
 * <tr><td>electionAlg</td><td>3</td><td>3 is accepted and ignored (Raft elects); other values
 *     are refused, as in ZooKeeper 3.6+.</td></tr>
 * <tr><td>syncEnabled</td><td>true</td><td>false is ignored with a warning: observers (Raft
 *     learners) always persist.</td></tr>
 * <tr><td>peerType</td><td>-</td><td>checked against the server.N lines, which win (warning),
 *     as in ZooKeeper.</td></tr>
 * <tr><td>server.N</td><td>none</td><td>{@code host:quorumPort:electionPort[:participant|observer]
 *     [;[clientAddress:]clientPort]}, IPv6 in brackets, N in 1..255. None or a single
 *     participant: standalone (as ZooKeeper, which ignores a lone line). Otherwise the node's id
 *     comes from {@code dataDir/myid}, which must exist and be listed; a client address on the
 *     node's own line sets its client port (it must agree with clientPort/clientPortAddress
 *     when those are given). Host names are not resolved here.</td></tr>
 * </table>
 *
 * <table>
 * <caption>Warden's keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>warden.maxInflightPerConnection</td><td>1000</td><td>requests read from one
 *     connection and not yet answered; beyond it the socket is paused (D10).</td></tr>
 * <tr><td>warden.maxWatchesPerConnection</td><td>100000</td><td>watches one connection may
 *     hold.</td></tr>
 * <tr><td>warden.sessionlessConnectionTimeoutMs</td><td>10000</td><td>a connection that has not
 *     sent its ConnectRequest by then is closed.</td></tr>
 * <tr><td>warden.reaper.intervalMs</td><td>5000</td><td>how often expired TTL nodes and empty
 *     containers are deleted. ZooKeeper checks every 60 s (system property only) and needs a
 *     flag for TTL; here both are on and faster.</td></tr>
 * <tr><td>warden.reaper.maxPerInterval</td><td>1000</td><td>most nodes reaped per interval
 *     (ZooKeeper: 10000 per minute).</td></tr>
 * <tr><td>warden.electionTimeoutMs</td><td>300</td><td>Raft election timeout (each term draws
 *     one in [base, 2 × base)); at least 5 × the heartbeat interval (etcd's rule). Used in whole
 *     10 ms ticks of the node loop.</td></tr>
 * <tr><td>warden.heartbeatIntervalMs</td><td>50</td><td>Raft leader heartbeat (whole 10 ms
 *     ticks).</td></tr>
 * </table>
 *
 * <h2>Other ZooKeeper keys</h2>
 * Accepted and ignored with one warning each, or refused with a reason: see {@link KeyCatalog}.
 * Values are strict where ZooKeeper's system-property-backed keys are lenient (ZooKeeper reads
 * {@code admin.enableServer=yes} as false): booleans are {@code true}/{@code false} in any case,
 * as in ZooKeeper's own {@code parseBoolean}; integers are decimal. Any other key is refused as
 * unknown (ZooKeeper would silently turn it into a system property), with a suggestion when it
 * looks like a typo.
 */
public final class ConfigParser {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigParser.class);
  /** ZooKeeper reads the super digest from this system property; zoo.cfg drops the prefix. */
  static final String SUPER_DIGEST_PROPERTY_SPELLING = "zookeeper." + SUPER_DIGEST.key();
  private static final String ZOOKEEPER_PREFIX = "zookeeper.";
  private static final String WARDEN_PREFIX = "warden.";
  private static final int MAX_SUGGESTION_DISTANCE = 2;

  private ConfigParser() {
  }

  /** Parses a zoo.cfg file; warnings are logged. */
  public static WardenConfig parse(Path file) {
    return logged(parseWithWarnings(file));
  }

  /**
   * Parses properties as if read from a file; a relative dataDir is resolved against
   * {@code baseDir} (pass the working directory for ZooKeeper's behaviour). Warnings are logged.
   */
  public static WardenConfig parse(Properties props, Path baseDir) {
    return logged(parseWithWarnings(props, baseDir));
  }

  /** As {@link #parse(Path)}, returning the warnings instead of logging them. */
  public static ParsedConfig parseWithWarnings(Path file) {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("config file not found"));
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: a malformed \\uXXXX escape
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return new Run(props, Path.of("").toAbsolutePath(), file.toString()).parse();
  }

  /** As {@link #parse(Properties, Path)}, returning the warnings instead of logging them. */
  public static ParsedConfig parseWithWarnings(Properties props, Path baseDir) {
    return new Run(props, baseDir.toAbsolutePath(), "configuration").parse();
  }

  private static WardenConfig logged(ParsedConfig parsed) {
    parsed.warnings().forEach(LOG::warn);
    return parsed.config();
  }

  /** One parse: the state is confined to it. */
  private static final class Run {
    private final Map<String, String> entries = new TreeMap<>();
    private final Path baseDir;
    private final String source;
    private final WardenConfig.Builder builder = WardenConfig.builder()
        .clientPortAddress(WardenConfig.WILDCARD_ADDRESS);
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> failedKeys = new HashSet<>();
    private final List<ServerSpec> servers = new ArrayList<>();
    private Path dataDir;
    private Path dataLogDir;
    private boolean standaloneEnabled = true;
    private ServerRole peerType;

    Run(Properties props, Path baseDir, String source) {
      this.baseDir = baseDir;
      this.source = source;
      for (String rawKey : props.stringPropertyNames()) {
        entries.put(rawKey.trim(), props.getProperty(rawKey).trim());
      }
      mergeSuperDigestSpellings();
    }

    ParsedConfig parse() {
      entries.forEach(this::entry);
      finishDirectories();
      finishEnsemble();
      WardenConfig config = builder.buildUnchecked();
      for (Problem p : ConfigChecks.problems(config)) {
        if (p.keys().stream().noneMatch(failedKeys::contains)) {
          problems.add(p);
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(source, problems.stream().map(Problem::message).toList());
      }
      return new ParsedConfig(config, warnings);
    }

    private void mergeSuperDigestSpellings() {
      String sysprop = entries.remove(SUPER_DIGEST_PROPERTY_SPELLING);
      if (sysprop == null) {
        return;
      }
      String plain = entries.putIfAbsent(SUPER_DIGEST.key(), sysprop);
      if (plain != null && !plain.equals(sysprop)) {
        fail(new Problem(List.of(SUPER_DIGEST.key(), SUPER_DIGEST_PROPERTY_SPELLING),
            "'" + SUPER_DIGEST.key() + "' and '" + SUPER_DIGEST_PROPERTY_SPELLING + "' are both "
                + "given, with different values; keep one"));
      }
    }

    private void entry(String key, String value) {
      if (ServerLines.isServerKey(key)) {
        ServerLines.id(key, problems)
            .flatMap(id -> ServerLines.parse(key, id, value, problems))
            .ifPresentOrElse(servers::add, () -> failedKeys.add(key));
        return;
      }
      Optional<Setting> setting = Setting.forKey(key);
      if (setting.isPresent()) {
        setting(setting.get(), value);
        return;
      }
      Optional<KeyCatalog.Rule> rule = KeyCatalog.lookup(key);
      if (rule.isPresent()) {
        rule(key, value, rule.get());
        return;
      }
      fail(Problem.of(key, "unknown key '" + key + "' (" + unknownHint(key) + ")"));
    }

    private void rule(String key, String value, KeyCatalog.Rule rule) {
      if (rule instanceof KeyCatalog.Ignore ignore) {
        warn(key, ignore.reason());
      } else if (rule instanceof KeyCatalog.Refuse refuse) {
        fail(Problem.of(key, "unsupported key '" + key + "': " + refuse.reason()));
      } else if (rule instanceof KeyCatalog.RefuseIfTrue refuse) {
        Optional<Boolean> on = bool(value);
        if (on.isEmpty()) {
          fail(Problem.invalid(key, value, Setting.Limits.BOOLEAN_EXPECTED));
        } else if (on.get()) {
          refuseValue(key, value, refuse.reason());
        }
      } else if (rule instanceof KeyCatalog.RefuseWhen refuse) {
        if (refuse.asksForIt().test(value)) {
          refuseValue(key, value, refuse.reason());
        }
      } else {
        throw new IllegalStateException("unhandled rule " + rule);
      }
    }

    private void refuseValue(String key, String value, String reason) {
      fail(Problem.of(key, "unsupported value for '" + key + "': \"" + value + "\" (" + reason
          + ")"));
    }

    private void setting(Setting s, String v) {
      switch (s) {
        case TICK_TIME -> integer(s, v, x -> builder.tickTimeMs((int) x));
        case INIT_LIMIT -> integer(s, v, x -> builder.initLimitTicks((int) x));
        case SYNC_LIMIT -> integer(s, v, x -> builder.syncLimitTicks((int) x));
        case CLIENT_PORT -> integer(s, v, x -> builder.clientPort((int) x));
        case CLIENT_PORT_LISTEN_BACKLOG ->
            integer(s, v, x -> builder.clientPortListenBacklog((int) x));
        case MAX_CLIENT_CNXNS -> integer(s, v, x -> builder.maxClientCnxns((int) x));
        case MAX_CNXNS -> integer(s, v, x -> builder.maxCnxns((int) x));
        case MIN_SESSION_TIMEOUT -> integer(s, v, x -> builder.minSessionTimeoutMs((int) x));
        case MAX_SESSION_TIMEOUT -> integer(s, v, x -> builder.maxSessionTimeoutMs((int) x));
        case JUTE_MAX_BUFFER -> integer(s, v, x -> builder.juteMaxBufferBytes((int) x));
        case GLOBAL_OUTSTANDING_LIMIT ->
            integer(s, v, x -> builder.globalOutstandingLimit((int) x));
        case SNAP_COUNT -> integer(s, v, x -> builder.snapCount((int) x));
        case SNAP_SIZE_LIMIT_KB -> integer(s, v, x -> builder.snapSizeLimitKb(Math.max(0, x)));
        case SNAP_RETAIN_COUNT -> integer(s, v, x -> builder.snapRetainCount((int) x));
        case PURGE_INTERVAL -> integer(s, v, x -> warn(s.key(), "Warden deletes snapshots beyond "
            + "autopurge.snapRetainCount whenever it takes one, not on a timer"));
        case ADMIN_SERVER_PORT -> integer(s, v, x -> builder.adminServerPort((int) x));
        case MAX_INFLIGHT_PER_CONNECTION ->
            integer(s, v, x -> builder.maxInflightPerConnection((int) x));
        case MAX_WATCHES_PER_CONNECTION ->
            integer(s, v, x -> builder.maxWatchesPerConnection((int) x));
        case SESSIONLESS_CONNECTION_TIMEOUT ->
            integer(s, v, x -> builder.sessionlessConnectionTimeoutMs((int) x));
        case REAPER_INTERVAL -> integer(s, v, x -> builder.reaperIntervalMs((int) x));
        case REAPER_MAX_PER_INTERVAL -> integer(s, v, x -> builder.reaperMaxPerInterval((int) x));
        case ELECTION_TIMEOUT -> integer(s, v, x -> builder.electionTimeoutMs((int) x));
        case HEARTBEAT_INTERVAL -> integer(s, v, x -> builder.heartbeatIntervalMs((int) x));
        case EXTENDED_TYPES_ENABLED -> bool(s, v).ifPresent(builder::extendedTypesEnabled);
        case ADMIN_ENABLE_SERVER -> bool(s, v).ifPresent(builder::adminEnabled);
        case STANDALONE_ENABLED -> bool(s, v).ifPresent(b -> {
          standaloneEnabled = b;
          builder.standaloneEnabled(b);
        });
        case QUORUM_LISTEN_ON_ALL_IPS -> bool(s, v).ifPresent(builder::quorumListenOnAllIPs);
        case SYNC_ENABLED -> bool(s, v).filter(on -> !on).ifPresent(off -> warn(s.key(),
            "observers (Raft learners) always persist their log"));
        case DATA_DIR -> path(s, v).ifPresent(p -> dataDir = p);
        case DATA_LOG_DIR -> path(s, v).ifPresent(p -> dataLogDir = p);
        case CLIENT_PORT_ADDRESS -> address(s, v).ifPresent(builder::clientPortAddress);
        case ADMIN_SERVER_ADDRESS -> address(s, v).ifPresent(builder::adminServerAddress);
        case ADMIN_COMMAND_URL -> check(s, v, ConfigChecks.isUrlPath(v), builder::adminCommandUrl);
        case SUPER_DIGEST -> SuperDigest.parse(v).ifPresentOrElse(builder::superDigest,
            () -> fail(Problem.invalid(s, v)));
        case FOUR_LETTER_WORDS -> fourLetterWords(v);
        case ELECTION_ALG -> check(s, v, v.equals("3"), x -> warn(s.key(),
            "Warden elects leaders with Raft"));
        case PEER_TYPE -> ServerRole.fromWord(v).ifPresentOrElse(r -> peerType = r,
            () -> fail(Problem.invalid(s, v)));
      }
    }

    private void integer(Setting s, String value, LongConsumer set) {
      OptionalLong parsed = parseLong(value, s == JUTE_MAX_BUFFER);
      if (parsed.isEmpty() || !s.accepts(parsed.getAsLong())) {
        fail(Problem.invalid(s, value));
      } else {
        set.accept(parsed.getAsLong());
      }
    }

    /** Decimal with an optional sign; {@code 0x} hexadecimal where ZooKeeper decodes it. */
    private static OptionalLong parseLong(String s, boolean hexAllowed) {
      boolean hex = hexAllowed && (s.startsWith("0x") || s.startsWith("0X"));
      String digits = hex ? s.substring(2) : s;
      if (digits.isEmpty() || digits.length() > 18 || digits.equals("-") || digits.equals("+")) {
        return OptionalLong.empty();
      }
      try {
        return OptionalLong.of(hex ? Long.parseUnsignedLong(digits, 16) : Long.parseLong(digits));
      } catch (NumberFormatException e) {
        return OptionalLong.empty(); // reported by the caller with key, value and range
      }
    }

    private Optional<Boolean> bool(Setting s, String value) {
      Optional<Boolean> b = bool(value);
      if (b.isEmpty()) {
        fail(Problem.invalid(s, value));
      }
      return b;
    }

    /** ZooKeeper's own parseBoolean: "true" or "false" in any case, nothing else. */
    private static Optional<Boolean> bool(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true" -> Optional.of(true);
        case "false" -> Optional.of(false);
        default -> Optional.empty();
      };
    }

    private Optional<Path> path(Setting s, String value) {
      try {
        if (!value.isEmpty()) {
          Path p = Path.of(value);
          Path resolved = baseDir.resolve(p).normalize();
          if (!p.isAbsolute()) {
            warnings.add("'" + s.key() + "' \"" + value + "\" is a relative path, resolved to "
                + resolved + " (ZooKeeper resolves it against the working directory too; prefer "
                + "an absolute path)");
          }
          return Optional.of(resolved);
        }
      } catch (InvalidPathException e) {
        // reported below with key and value
      }
      fail(Problem.invalid(s, value));
      return Optional.empty();
    }

    private Optional<String> address(Setting s, String value) {
      Optional<String> host = Hosts.parseAddress(value);
      if (host.isEmpty()) {
        fail(Problem.invalid(s, value));
      }
      return host;
    }

    private void check(Setting s, String value, boolean ok, Consumer<String> then) {
      if (ok) {
        then.accept(value);
      } else {
        fail(Problem.invalid(s, value));
      }
    }

    private void fourLetterWords(String value) {
      EnumSet<FourLetterWord> words = EnumSet.noneOf(FourLetterWord.class);
      Set<String> zookeeperOnly = new TreeSet<>();
      Set<String> unknown = new TreeSet<>();
      for (String raw : value.split(",")) {
        String w = raw.trim();
        if (w.equals("*")) {
          words.addAll(EnumSet.allOf(FourLetterWord.class));
        } else if (!w.isEmpty()) {
          Optional<FourLetterWord> known = FourLetterWord.fromWord(w);
          known.ifPresent(words::add);
          if (known.isEmpty()) {
            boolean zk = FourLetterWord.ZOOKEEPER_ONLY.contains(w.toLowerCase(Locale.ROOT));
            (zk ? zookeeperOnly : unknown).add(w);
          }
        }
      }
      if (!unknown.isEmpty()) {
        fail(Problem.invalid(FOUR_LETTER_WORDS.key(), value,
            "unknown: " + String.join(", ", unknown), FOUR_LETTER_WORDS.expected()));
        return;
      }
      if (!zookeeperOnly.isEmpty()) {
        warnings.add("'" + FOUR_LETTER_WORDS.key() + "': Warden does not answer "
            + String.join(", ", zookeeperOnly) + " (ZooKeeper-only words); they stay disabled");
      }
      builder.fourLetterWords(words);
    }

    private void finishDirectories() {
      if (dataDir == null) {
        if (!failedKeys.contains(DATA_DIR.key())) {
          fail(Problem.of(DATA_DIR.key(), "missing key 'dataDir' (expected " + DATA_DIR.expected()
              + "; ZooKeeper requires it too)"));
        }
        return;
      }
      builder.dataDir(dataDir);
      if (dataLogDir != null && !dataLogDir.equals(dataDir)) {
        warn(DATA_LOG_DIR.key(), "Warden keeps its log in dataDir (one RocksDB instance); "
            + dataLogDir + " is not used");
      }
    }

    /** Mode, myid, the node's own client address; see the class comment on server.N. */
    private void finishEnsemble() {
      builder.servers(servers);
      long participants = servers.stream().filter(s -> s.role() == ServerRole.PARTICIPANT).count();
      // as WardenConfig.isStandalone(); no participants at all is reported by the checks
      boolean replicated = participants > 1 || (!standaloneEnabled && participants == 1);
      if (servers.size() == 1 && !replicated) {
        warnings.add("a single server.N line means standalone, as in ZooKeeper: '"
            + ConfigChecks.serverKey(servers.get(0)) + "' is not used for replication");
      }
      if (dataDir != null) {
        // read even when standalone, as ZooKeeper does: a broken myid is a mistake either way
        OptionalInt myId = MyIdFile.read(dataDir, replicated, ConfigChecks.ids(sorted()), problems);
        myId.ifPresent(builder::serverId);
        if (myId.isEmpty()) {
          failedKeys.add(MyIdFile.NAME);
        }
      } else if (replicated) {
        failedKeys.add(MyIdFile.NAME); // no dataDir: its absence is already reported
      }
      WardenConfig sofar = builder.buildUnchecked();
      sofar.self().ifPresent(this::ownLine);
      if (replicated) {
        faultToleranceWarnings(participants);
      }
    }

    private void ownLine(ServerSpec self) {
      if (peerType != null && peerType != self.role()) {
        warnings.add("'peerType' is " + peerType.word() + " but '" + ConfigChecks.serverKey(self)
            + "' says " + self.role().word() + "; the server.N line wins, as in ZooKeeper");
      }
      if (self.clientAddress().isEmpty() || failedKeys.contains(CLIENT_PORT.key())
          || failedKeys.contains(CLIENT_PORT_ADDRESS.key())) {
        return; // nothing to apply, or an unreadable clientPort already reported
      }
      HostPort client = self.clientAddress().get();
      String key = ConfigChecks.serverKey(self);
      String port = entries.get(CLIENT_PORT.key());
      String address = entries.get(CLIENT_PORT_ADDRESS.key());
      WardenConfig sofar = builder.buildUnchecked();
      boolean portDiffers = port != null && sofar.clientPort() != client.port();
      boolean addressDiffers = address != null
          && !sofar.clientPortAddress().equals(WardenConfig.WILDCARD_ADDRESS)
          && !sofar.clientPortAddress().equals(client.host());
      if (portDiffers || addressDiffers) {
        fail(new Problem(List.of(key, CLIENT_PORT.key(), CLIENT_PORT_ADDRESS.key()),
            "this node's line '" + key + "' gives client address " + client + ", which "
                + "contradicts clientPort/clientPortAddress ("
                + new HostPort(sofar.clientPortAddress(), sofar.clientPort())
                + "); give it in one place"));
        return;
      }
      builder.clientPort(client.port()).clientPortAddress(client.host());
    }

    private void faultToleranceWarnings(long participants) {
      if (participants <= 2) {
        warnings.add(participants + " participant(s): no member failure will be tolerated; "
            + "use at least 3");
      } else if (participants % 2 == 0) {
        warnings.add(participants + " participants tolerate no more failures than "
            + (participants - 1) + "; consider an odd number");
      }
    }

    private List<ServerSpec> sorted() {
      return servers.stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).toList();
    }

    private String unknownHint(String key) {
      if (key.startsWith(ZOOKEEPER_PREFIX) && isKnown(key.substring(ZOOKEEPER_PREFIX.length()))) {
        return "did you mean '" + key.substring(ZOOKEEPER_PREFIX.length()) + "'? In zoo.cfg "
            + "ZooKeeper's keys are written without the 'zookeeper.' of their system property";
      }
      Optional<String> near = nearest(key);
      if (near.isPresent()) {
        return "did you mean '" + near.get() + "'?";
      }
      if (key.startsWith(WARDEN_PREFIX)) {
        return "Warden's own keys are " + knownKeys().stream()
            .filter(k -> k.startsWith(WARDEN_PREFIX)).collect(Collectors.joining(", "));
      }
      return "neither a ZooKeeper key Warden knows nor a warden.* key";
    }

    private static boolean isKnown(String key) {
      return Setting.forKey(key).isPresent() || KeyCatalog.lookup(key).isPresent();
    }

    private static Optional<String> nearest(String key) {
      String best = null;
      int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
      for (String known : knownKeys()) {
        int d = known.equalsIgnoreCase(key) ? 0 : EditDistance.between(known, key);
        if (d < bestDistance) {
          best = known;
          bestDistance = d;
        }
      }
      return Optional.ofNullable(best);
    }

    private static Set<String> knownKeys() {
      Set<String> keys = new TreeSet<>(KeyCatalog.exactKeys());
      for (Setting s : Setting.values()) {
        keys.add(s.key());
      }
      return keys;
    }

    private void fail(Problem p) {
      problems.add(p);
      failedKeys.addAll(p.keys());
    }

    private void warn(String key, String reason) {
      warnings.add("ignoring '" + key + "': " + reason);
    }
  }
}
