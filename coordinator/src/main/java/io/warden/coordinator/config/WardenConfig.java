package io.warden.coordinator.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything a Warden server starts from, validated once. Build it from a zoo.cfg with
 * {@link ConfigParser}, from {@link #defaults()} when there is no file, or with
 * {@link #builder()} / {@link #toBuilder()} in tests. The keys, defaults and reasons are
 * documented on {@link ConfigParser}.
 *
 * <p>Values are resolved: session timeouts given as -1 are stored as 2× / 20× tickTime, paths
 * are absolute. Use the builder, which checks every value and combination and throws
 * {@link ConfigException}; the canonical constructor only copies (it cannot report problems by
 * key name), so a config made with it directly is unchecked.
 *
 * @param dataDir where the RocksDB instance (log, hard state, snapshots) and {@code myid} live
 * @param initLimitTicks 0 when unset (allowed only standalone); reserved for replication
 * @param syncLimitTicks 0 when unset (allowed only standalone); reserved for replication
 * @param clientPortAddress bind address for the client port (0.0.0.0 = every interface)
 * @param clientPortListenBacklog -1 for the operating system's default
 * @param maxClientCnxns per client IP, 0 = unlimited
 * @param maxCnxns on the client port in total, 0 = unlimited
 * @param globalOutstandingLimit requests in flight on this server across all connections
 * @param juteMaxBufferBytes largest znode data / request record ({@code jute.maxbuffer})
 * @param fourLetterWords always contains {@link FourLetterWord#SRVR}, as in ZooKeeper
 * @param snapCount log entries between snapshots
 * @param snapSizeLimitKb log kilobytes between snapshots; 0 = no size trigger
 * @param snapRetainCount snapshots kept; older ones are deleted when a new one is taken
 * @param extendedTypesEnabled TTL nodes (ZooKeeper's {@code extendedTypesEnabled}); on by default
 * @param reaperIntervalMs how often the leader looks for expired TTL and empty container nodes
 * @param reaperMaxPerInterval most nodes the reaper deletes per interval (avoids herds)
 * @param serverId this node's id: from {@code myid}; 1 when standalone without one
 * @param servers the {@code server.N} lines, sorted by id; empty when there are none
 * @param electionTimeoutMs Raft election timeout base (each term draws one in [base, 2 × base));
 *     the node loop ticks every 10 ms, so it is used in whole ticks
 * @param heartbeatIntervalMs Raft leader heartbeat, in whole 10 ms ticks as well
 */
public record WardenConfig(
    Path dataDir,
    int tickTimeMs,
    int initLimitTicks,
    int syncLimitTicks,
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    String clientPortAddress,
    int clientPort,
    int clientPortListenBacklog,
    int maxClientCnxns,
    int maxCnxns,
    int globalOutstandingLimit,
    int juteMaxBufferBytes,
    int maxInflightPerConnection,
    int maxWatchesPerConnection,
    int sessionlessConnectionTimeoutMs,
    Set<FourLetterWord> fourLetterWords,
    int snapCount,
    long snapSizeLimitKb,
    int snapRetainCount,
    boolean extendedTypesEnabled,
    Optional<SuperDigest> superDigest,
    int reaperIntervalMs,
    int reaperMaxPerInterval,
    boolean adminEnabled,
    String adminServerAddress,
    int adminServerPort,
    String adminCommandUrl,
    int serverId,
    List<ServerSpec> servers,
    boolean standaloneEnabled,
    boolean quorumListenOnAllIPs,
    int electionTimeoutMs,
    int heartbeatIntervalMs) {

  public static final int DEFAULT_TICK_TIME_MS = 3000;
  public static final int DEFAULT_CLIENT_PORT = 2181;
  public static final int DEFAULT_MAX_CLIENT_CNXNS = 60;
  public static final int DEFAULT_GLOBAL_OUTSTANDING_LIMIT = 1000;
  public static final int DEFAULT_JUTE_MAX_BUFFER_BYTES = 0xFFFFF;
  public static final int DEFAULT_MAX_INFLIGHT_PER_CONNECTION = 1000;
  public static final int DEFAULT_MAX_WATCHES_PER_CONNECTION = 100_000;
  public static final int DEFAULT_SESSIONLESS_CONNECTION_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_SNAP_COUNT = 100_000;
  public static final long DEFAULT_SNAP_SIZE_LIMIT_KB = 4_194_304L;
  public static final int DEFAULT_SNAP_RETAIN_COUNT = 3;
  public static final int DEFAULT_REAPER_INTERVAL_MS = 5000;
  public static final int DEFAULT_REAPER_MAX_PER_INTERVAL = 1000;
  public static final String DEFAULT_ADMIN_SERVER_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_ADMIN_SERVER_PORT = 8080;
  public static final String DEFAULT_ADMIN_COMMAND_URL = "/commands";
  public static final int DEFAULT_ELECTION_TIMEOUT_MS = 1000;
  public static final int DEFAULT_HEARTBEAT_INTERVAL_MS = 50;
  /** The standalone node's id when there is no myid file (Raft reserves 0 for "no vote"). */
  public static final int STANDALONE_SERVER_ID = 1;
  /** ZooKeeper binds every interface when clientPortAddress is not given. */
  public static final String WILDCARD_ADDRESS = "0.0.0.0";
  public static final String LOOPBACK_ADDRESS = "127.0.0.1";

  public WardenConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(clientPortAddress, "clientPortAddress");
    Objects.requireNonNull(adminServerAddress, "adminServerAddress");
    Objects.requireNonNull(adminCommandUrl, "adminCommandUrl");
    fourLetterWords = Set.copyOf(fourLetterWords);
    superDigest = Objects.requireNonNull(superDigest, "superDigest");
    servers = List.copyOf(servers);
  }

  /**
   * The configuration of {@code warden server} started without a file: one standalone node,
   * clients on 127.0.0.1:2181, data in {@code ./data}, admin HTTP on 127.0.0.1:8080. Loopback,
   * unlike a parsed zoo.cfg (which binds every interface as ZooKeeper does): a server started
   * with no configuration at all is a developer's, and should not be reachable from the network.
   */
  public static WardenConfig defaults() {
    return builder().build();
  }

  /** A builder holding {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's (resolved) values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** One node, or standaloneEnabled with at most one participant line: no replication. */
  public boolean isStandalone() {
    return standaloneEnabled && participants().size() <= 1;
  }

  /** This node's own line, if the configuration has one. */
  public Optional<ServerSpec> self() {
    return servers.stream().filter(s -> s.id() == serverId).findFirst();
  }

  public List<ServerSpec> participants() {
    return servers.stream().filter(s -> s.role() == ServerRole.PARTICIPANT).toList();
  }

  public List<ServerSpec> observers() {
    return servers.stream().filter(s -> s.role() == ServerRole.OBSERVER).toList();
  }

  /** Whether {@code word} may be answered on the client port. */
  public boolean isWhitelisted(FourLetterWord word) {
    return fourLetterWords.contains(word);
  }

  /**
   * {@code key=value} lines as ZooKeeper's {@code conf} four-letter word prints them, without the
   * directory sizes (which are not configuration; see {@link #toConfText(long)}).
   */
  public String toConfText() {
    return ConfText.render(this, OptionalLong.empty());
  }

  /**
   * As {@link #toConfText()}, with {@code dataDirSize} and {@code dataLogSize} lines. Warden's log
   * lives in dataDir, so both report the same directory, as ZooKeeper does when dataLogDir is
   * dataDir.
   */
  public String toConfText(long dataDirSizeBytes) {
    return ConfText.render(this, OptionalLong.of(dataDirSizeBytes));
  }

  /** Builds a checked {@link WardenConfig}; setters take the units in their names. */
  public static final class Builder {
    private Path dataDir = Path.of("data").toAbsolutePath();
    private int tickTimeMs = DEFAULT_TICK_TIME_MS;
    private int initLimitTicks;
    private int syncLimitTicks;
    private int minSessionTimeoutMs = -1;
    private int maxSessionTimeoutMs = -1;
    private String clientPortAddress = LOOPBACK_ADDRESS;
    private int clientPort = DEFAULT_CLIENT_PORT;
    private int clientPortListenBacklog = -1;
    private int maxClientCnxns = DEFAULT_MAX_CLIENT_CNXNS;
    private int maxCnxns;
    private int globalOutstandingLimit = DEFAULT_GLOBAL_OUTSTANDING_LIMIT;
    private int juteMaxBufferBytes = DEFAULT_JUTE_MAX_BUFFER_BYTES;
    private int maxInflightPerConnection = DEFAULT_MAX_INFLIGHT_PER_CONNECTION;
    private int maxWatchesPerConnection = DEFAULT_MAX_WATCHES_PER_CONNECTION;
    private int sessionlessConnectionTimeoutMs = DEFAULT_SESSIONLESS_CONNECTION_TIMEOUT_MS;
    private Set<FourLetterWord> fourLetterWords = EnumSet.of(FourLetterWord.SRVR);
    private int snapCount = DEFAULT_SNAP_COUNT;
    private long snapSizeLimitKb = DEFAULT_SNAP_SIZE_LIMIT_KB;
    private int snapRetainCount = DEFAULT_SNAP_RETAIN_COUNT;
    private boolean extendedTypesEnabled = true;
    private SuperDigest superDigest;
    private int reaperIntervalMs = DEFAULT_REAPER_INTERVAL_MS;
    private int reaperMaxPerInterval = DEFAULT_REAPER_MAX_PER_INTERVAL;
    private boolean adminEnabled = true;
    private String adminServerAddress = DEFAULT_ADMIN_SERVER_ADDRESS;
    private int adminServerPort = DEFAULT_ADMIN_SERVER_PORT;
    private String adminCommandUrl = DEFAULT_ADMIN_COMMAND_URL;
    private int serverId = STANDALONE_SERVER_ID;
    private List<ServerSpec> servers = List.of();
    private boolean standaloneEnabled = true;
    private boolean quorumListenOnAllIPs;
    private int electionTimeoutMs = DEFAULT_ELECTION_TIMEOUT_MS;
    private int heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;

    private Builder() {
    }

    private Builder(WardenConfig c) {
      dataDir = c.dataDir;
      tickTimeMs = c.tickTimeMs;
      initLimitTicks = c.initLimitTicks;
      syncLimitTicks = c.syncLimitTicks;
      minSessionTimeoutMs = c.minSessionTimeoutMs;
      maxSessionTimeoutMs = c.maxSessionTimeoutMs;
      clientPortAddress = c.clientPortAddress;
      clientPort = c.clientPort;
      clientPortListenBacklog = c.clientPortListenBacklog;
      maxClientCnxns = c.maxClientCnxns;
      maxCnxns = c.maxCnxns;
      globalOutstandingLimit = c.globalOutstandingLimit;
      juteMaxBufferBytes = c.juteMaxBufferBytes;
      maxInflightPerConnection = c.maxInflightPerConnection;
      maxWatchesPerConnection = c.maxWatchesPerConnection;
      sessionlessConnectionTimeoutMs = c.sessionlessConnectionTimeoutMs;
      fourLetterWords = EnumSet.copyOf(c.fourLetterWords);
      snapCount = c.snapCount;
      snapSizeLimitKb = c.snapSizeLimitKb;
      snapRetainCount = c.snapRetainCount;
      extendedTypesEnabled = c.extendedTypesEnabled;
      superDigest = c.superDigest.orElse(null);
      reaperIntervalMs = c.reaperIntervalMs;
      reaperMaxPerInterval = c.reaperMaxPerInterval;
      adminEnabled = c.adminEnabled;
      adminServerAddress = c.adminServerAddress;
      adminServerPort = c.adminServerPort;
      adminCommandUrl = c.adminCommandUrl;
      serverId = c.serverId;
      servers = c.servers;
      standaloneEnabled = c.standaloneEnabled;
      quorumListenOnAllIPs = c.quorumListenOnAllIPs;
      electionTimeoutMs = c.electionTimeoutMs;
      heartbeatIntervalMs = c.heartbeatIntervalMs;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder tickTimeMs(int v) {
      tickTimeMs = v;
      return this;
    }

    public Builder initLimitTicks(int v) {
      initLimitTicks = v;
      return this;
    }

    public Builder syncLimitTicks(int v) {
      syncLimitTicks = v;
      return this;
    }

    /** -1 means 2 × tickTime, resolved at {@link #build()}. */
    public Builder minSessionTimeoutMs(int v) {
      minSessionTimeoutMs = v;
      return this;
    }

    /** -1 means 20 × tickTime, resolved at {@link #build()}. */
    public Builder maxSessionTimeoutMs(int v) {
      maxSessionTimeoutMs = v;
      return this;
    }

    public Builder clientPortAddress(String v) {
      clientPortAddress = v;
      return this;
    }

    public Builder clientPort(int v) {
      clientPort = v;
      return this;
    }

    public Builder clientPortListenBacklog(int v) {
      clientPortListenBacklog = v;
      return this;
    }

    public Builder maxClientCnxns(int v) {
      maxClientCnxns = v;
      return this;
    }

    public Builder maxCnxns(int v) {
      maxCnxns = v;
      return this;
    }

    public Builder globalOutstandingLimit(int v) {
      globalOutstandingLimit = v;
      return this;
    }

    public Builder juteMaxBufferBytes(int v) {
      juteMaxBufferBytes = v;
      return this;
    }

    public Builder maxInflightPerConnection(int v) {
      maxInflightPerConnection = v;
      return this;
    }

    public Builder maxWatchesPerConnection(int v) {
      maxWatchesPerConnection = v;
      return this;
    }

    public Builder sessionlessConnectionTimeoutMs(int v) {
      sessionlessConnectionTimeoutMs = v;
      return this;
    }

    /** {@link FourLetterWord#SRVR} is added: ZooKeeper always enables it (zkServer.sh needs it). */
    public Builder fourLetterWords(Collection<FourLetterWord> v) {
      fourLetterWords = v.isEmpty() ? EnumSet.noneOf(FourLetterWord.class) : EnumSet.copyOf(v);
      return this;
    }

    public Builder snapCount(int v) {
      snapCount = v;
      return this;
    }

    public Builder snapSizeLimitKb(long v) {
      snapSizeLimitKb = v;
      return this;
    }

    public Builder snapRetainCount(int v) {
      snapRetainCount = v;
      return this;
    }

    public Builder extendedTypesEnabled(boolean v) {
      extendedTypesEnabled = v;
      return this;
    }

    /** {@code null} for none. */
    public Builder superDigest(SuperDigest v) {
      superDigest = v;
      return this;
    }

    public Builder reaperIntervalMs(int v) {
      reaperIntervalMs = v;
      return this;
    }

    public Builder reaperMaxPerInterval(int v) {
      reaperMaxPerInterval = v;
      return this;
    }

    public Builder adminEnabled(boolean v) {
      adminEnabled = v;
      return this;
    }

    public Builder adminServerAddress(String v) {
      adminServerAddress = v;
      return this;
    }

    public Builder adminServerPort(int v) {
      adminServerPort = v;
      return this;
    }

    public Builder adminCommandUrl(String v) {
      adminCommandUrl = v;
      return this;
    }

    public Builder serverId(int v) {
      serverId = v;
      return this;
    }

    /** Stored sorted by id. */
    public Builder servers(List<ServerSpec> v) {
      List<ServerSpec> sorted = new ArrayList<>(v);
      sorted.sort((a, b) -> Integer.compare(a.id(), b.id()));
      servers = sorted;
      return this;
    }

    public Builder standaloneEnabled(boolean v) {
      standaloneEnabled = v;
      return this;
    }

    public Builder quorumListenOnAllIPs(boolean v) {
      quorumListenOnAllIPs = v;
      return this;
    }

    public Builder electionTimeoutMs(int v) {
      electionTimeoutMs = v;
      return this;
    }

    public Builder heartbeatIntervalMs(int v) {
      heartbeatIntervalMs = v;
      return this;
    }

    /** Resolves defaults and checks everything. */
    public WardenConfig build() {
      WardenConfig c = buildUnchecked();
      List<Problem> problems = ConfigChecks.problems(c);
      if (!problems.isEmpty()) {
        throw new ConfigException("invalid configuration",
            problems.stream().map(Problem::message).toList());
      }
      return c;
    }

    /** Resolves defaults without checking; the parser checks and filters problems itself. */
    WardenConfig buildUnchecked() {
      EnumSet<FourLetterWord> words = fourLetterWords.isEmpty()
          ? EnumSet.noneOf(FourLetterWord.class) : EnumSet.copyOf(fourLetterWords);
      words.add(FourLetterWord.SRVR);
      // saturating: a tickTime too large for 20× to fit an int is reported by the checks,
      // which then skip the session timeouts derived from it
      int minSession =
          minSessionTimeoutMs == -1 ? saturatedTimes(tickTimeMs, 2) : minSessionTimeoutMs;
      int maxSession =
          maxSessionTimeoutMs == -1 ? saturatedTimes(tickTimeMs, 20) : maxSessionTimeoutMs;
      return new WardenConfig(dataDir, tickTimeMs, initLimitTicks, syncLimitTicks, minSession,
          maxSession, clientPortAddress, clientPort, clientPortListenBacklog, maxClientCnxns,
          maxCnxns, globalOutstandingLimit, juteMaxBufferBytes, maxInflightPerConnection,
          maxWatchesPerConnection, sessionlessConnectionTimeoutMs, words, snapCount,
          snapSizeLimitKb, snapRetainCount, extendedTypesEnabled, Optional.ofNullable(superDigest),
          reaperIntervalMs, reaperMaxPerInterval, adminEnabled, adminServerAddress, adminServerPort,
          adminCommandUrl, serverId, servers, standaloneEnabled, quorumListenOnAllIPs,
          electionTimeoutMs, heartbeatIntervalMs);
    }

    private static int saturatedTimes(int v, int factor) {
      return (int) Math.min(Integer.MAX_VALUE, (long) v * factor);
    }
  }
}
