package io.warden.coordinator.config;

import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Every key Warden reads (ZooKeeper's names, or {@code warden.*}), with what it accepts. The one
 * place an "expected ..." text is written, so that the parser (for text) and the builder (for
 * values set in code) report a bad value the same way. {@code server.N} lines are not listed:
 * their key is a pattern.
 */
enum Setting {
  TICK_TIME("tickTime", "a positive integer, milliseconds, at most " + Limits.MAX_TICK_TIME_MS,
      v -> v >= 1 && v <= Limits.MAX_TICK_TIME_MS),
  INIT_LIMIT("initLimit", "a positive integer, ticks", Limits::positiveInt),
  SYNC_LIMIT("syncLimit", "a positive integer, ticks", Limits::positiveInt),
  DATA_DIR("dataDir", "a directory path"),
  DATA_LOG_DIR("dataLogDir", "a directory path"),
  CLIENT_PORT("clientPort", Limits.PORT_EXPECTED, Limits::port),
  CLIENT_PORT_ADDRESS("clientPortAddress", Limits.HOST_EXPECTED),
  CLIENT_PORT_LISTEN_BACKLOG("clientPortListenBacklog",
      "a positive integer, or -1 for the operating system's default", Limits::positiveOrMinusOne),
  MAX_CLIENT_CNXNS("maxClientCnxns",
      "a non-negative integer, connections per client IP (0 = unlimited)", Limits::nonNegativeInt),
  MAX_CNXNS("maxCnxns",
      "a non-negative integer, connections in total (0 = unlimited)", Limits::nonNegativeInt),
  MIN_SESSION_TIMEOUT("minSessionTimeout",
      "a positive integer, milliseconds, or -1 for 2 × tickTime", Limits::positiveOrMinusOne),
  MAX_SESSION_TIMEOUT("maxSessionTimeout",
      "a positive integer, milliseconds, or -1 for 20 × tickTime", Limits::positiveOrMinusOne),
  FOUR_LETTER_WORDS("4lw.commands.whitelist",
      "a comma-separated list of four-letter words from " + Limits.FOUR_LETTER_WORDS + ", or *"),
  JUTE_MAX_BUFFER("jute.maxbuffer",
      "a size in bytes from " + Limits.MIN_JUTE_MAX_BUFFER_BYTES + " to "
          + Limits.MAX_JUTE_MAX_BUFFER_BYTES + ", decimal or 0x hexadecimal",
      v -> v >= Limits.MIN_JUTE_MAX_BUFFER_BYTES && v <= Limits.MAX_JUTE_MAX_BUFFER_BYTES),
  GLOBAL_OUTSTANDING_LIMIT("globalOutstandingLimit", "a positive integer, requests",
      Limits::positiveInt),
  SNAP_COUNT("snapCount", "an integer of at least 2, log entries between snapshots",
      v -> v >= 2 && v <= Integer.MAX_VALUE),
  SNAP_SIZE_LIMIT_KB("snapSizeLimitInKb",
      "an integer, kilobytes of log between snapshots (0 or less disables the size trigger)",
      v -> true),
  SNAP_RETAIN_COUNT("autopurge.snapRetainCount", "a positive integer, snapshots",
      Limits::positiveInt),
  PURGE_INTERVAL("autopurge.purgeInterval", "a non-negative integer, hours",
      Limits::nonNegativeInt),
  EXTENDED_TYPES_ENABLED("extendedTypesEnabled", Limits.BOOLEAN_EXPECTED),
  SUPER_DIGEST("DigestAuthenticationProvider.superDigest", SuperDigest.EXPECTED),
  ADMIN_ENABLE_SERVER("admin.enableServer", Limits.BOOLEAN_EXPECTED),
  ADMIN_SERVER_ADDRESS("admin.serverAddress", Limits.HOST_EXPECTED),
  ADMIN_SERVER_PORT("admin.serverPort", Limits.PORT_EXPECTED, Limits::port),
  ADMIN_COMMAND_URL("admin.commandURL", "a URL path starting with '/', without spaces"),
  STANDALONE_ENABLED("standaloneEnabled", Limits.BOOLEAN_EXPECTED),
  QUORUM_LISTEN_ON_ALL_IPS("quorumListenOnAllIPs", Limits.BOOLEAN_EXPECTED),
  ELECTION_ALG("electionAlg", "3 (the only value ZooKeeper 3.6+ accepts)"),
  SYNC_ENABLED("syncEnabled", Limits.BOOLEAN_EXPECTED),
  PEER_TYPE("peerType", "participant or observer"),
  MAX_INFLIGHT_PER_CONNECTION("warden.maxInflightPerConnection",
      "a positive integer, requests", Limits::positiveInt),
  MAX_WATCHES_PER_CONNECTION("warden.maxWatchesPerConnection",
      "a positive integer, watches", Limits::positiveInt),
  SESSIONLESS_CONNECTION_TIMEOUT("warden.sessionlessConnectionTimeoutMs",
      "a positive integer, milliseconds", Limits::positiveInt),
  REAPER_INTERVAL("warden.reaper.intervalMs", "a positive integer, milliseconds",
      Limits::positiveInt),
  REAPER_MAX_PER_INTERVAL("warden.reaper.maxPerInterval", "a positive integer, nodes",
      Limits::positiveInt),
  ELECTION_TIMEOUT("warden.electionTimeoutMs", "a positive integer, milliseconds",
      Limits::positiveInt),
  HEARTBEAT_INTERVAL("warden.heartbeatIntervalMs", "a positive integer, milliseconds",
      Limits::positiveInt);

  private final String key;
  private final String expected;
  private final LongPredicate accepts;

  Setting(String key, String expected) {
    this(key, expected, null);
  }

  Setting(String key, String expected, LongPredicate accepts) {
    this.key = key;
    this.expected = expected;
    this.accepts = accepts;
  }

  String key() {
    return key;
  }

  String expected() {
    return expected;
  }

  boolean isNumeric() {
    return accepts != null;
  }

  /** For numeric settings: whether the value is in range. */
  boolean accepts(long value) {
    if (accepts == null) {
      throw new IllegalStateException(key + " is not a numeric setting");
    }
    return accepts.test(value);
  }

  /** A problem if {@code value} is out of range. */
  Optional<Problem> check(long value) {
    return accepts(value) ? Optional.empty() : Optional.of(Problem.invalid(this, value));
  }

  static Optional<Setting> forKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Shared ranges and texts (an enum cannot refer to its own static fields in constants). */
  static final class Limits {
    /** 20 × tickTime (the default maxSessionTimeout) must fit an int. */
    static final int MAX_TICK_TIME_MS = Integer.MAX_VALUE / 20;
    /** Below this not even a ConnectRequest with a password and a path fits. */
    static final int MIN_JUTE_MAX_BUFFER_BYTES = 1024;
    /** Catches typos (an extra digit); ZooKeeper's own guide warns against going past 1 MiB. */
    static final int MAX_JUTE_MAX_BUFFER_BYTES = 1 << 30;
    static final String PORT_EXPECTED = "a port number 0-65535 (0 picks a free port)";
    static final String HOST_EXPECTED = "a host name or an IP address";
    static final String BOOLEAN_EXPECTED = "true or false";
    static final String FOUR_LETTER_WORDS =
        "ruok, isro, srvr, stat, mntr, conf, cons, wchs, envi";

    private Limits() {
    }

    static boolean positiveInt(long v) {
      return v >= 1 && v <= Integer.MAX_VALUE;
    }

    static boolean nonNegativeInt(long v) {
      return v >= 0 && v <= Integer.MAX_VALUE;
    }

    static boolean positiveOrMinusOne(long v) {
      return v == -1 || positiveInt(v);
    }

    static boolean port(long v) {
      return v >= 0 && v <= 65535;
    }
  }
}
