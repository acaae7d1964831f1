package io.warden.coordinator.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * ZooKeeper keys Warden knows but does not read: each is either ignored (an existing zoo.cfg
 * keeps working, with one warning naming the key) or refused (starting anyway would surprise the
 * operator: a missing TLS port, unenforced authentication, a different quorum rule). Keys that
 * Warden reads are listed in {@link Setting}; anything in neither place is unknown and refused.
 */
final class KeyCatalog {

  /** What happens to a key. */
  sealed interface Rule permits Ignore, Refuse, RefuseIfTrue, RefuseWhen {
  }

  /** Accepted, has no effect, one warning. */
  record Ignore(String reason) implements Rule {
  }

  /** Stops the start. */
  record Refuse(String reason) implements Rule {
  }

  /**
   * A boolean switch for something Warden lacks: {@code true} is refused, {@code false} is what
   * Warden does anyway and is accepted silently, anything else is an invalid value.
   */
  record RefuseIfTrue(String reason) implements Rule {
  }

  /** A value asking for something Warden lacks is refused; any other is what Warden does. */
  record RefuseWhen(Predicate<String> asksForIt, String reason) implements Rule {
  }

  private static final String ZAB = "ZooKeeper leader-election / Zab tuning; Warden replicates "
      + "with Raft";
  private static final String THROTTLING = "Warden throttles with globalOutstandingLimit and "
      + "warden.maxInflightPerConnection (backpressure pauses the socket)";
  private static final String TLS = "TLS is not supported yet; Warden refuses TLS settings "
      + "rather than serve in plaintext while the operator expects encryption";
  private static final String SASL = "SASL/Kerberos authentication is not supported yet "
      + "(built-in schemes: digest, ip)";
  private static final String REAPER = "ZooKeeper reads this only as a Java system property, "
      + "not from zoo.cfg; Warden's reaper is set with warden.reaper.intervalMs and "
      + "warden.reaper.maxPerInterval";

  private static final Map<String, Rule> EXACT = new LinkedHashMap<>();
  private static final Map<String, Rule> PREFIXES = new LinkedHashMap<>();

  static {
    ignore("preAllocSize", "Warden's log segments are a fixed 64 MiB, allocated (sparsely) in one"
        + " step when a segment starts");
    ignore("txnLogSizeLimitInKb", "Warden's log segments are a fixed 64 MiB; snapCount and "
        + "snapSizeLimitInKb bound the log");
    ignore("commitLogCount", "followers catch up from the Raft log, not an in-memory commit list");
    ignore("fsync.warningthresholdms", "not implemented");
    ignore("maxResponseCacheSize", "Warden has no serialized-response cache");
    ignore("maxGetChildrenResponseCacheSize", "Warden has no serialized-response cache");
    ignore("serverCnxnFactory", "Warden serves the client port with Vert.x");
    for (String k : new String[] {"cnxTimeout", "quorumCnxnTimeoutMs", "electionPortBindRetry",
        "maxTimeToWaitForEpoch", "observer.reconnectDelayMs", "observer.election.DelayMs",
        "connectToLearnerMasterLimit", "leaderServes", "observerMasterPort"}) {
      ignore(k, ZAB);
    }
    ignorePrefix("fastleader.", ZAB);
    ignorePrefix("learner.", ZAB);
    ignore("tcpKeepAlive", "not implemented");
    ignore("clientTcpKeepAlive", "not implemented");
    for (String k : new String[] {"flushDelay", "maxWriteQueuePollTime", "maxBatchSize"}) {
      ignore(k, "Warden fsyncs each Raft step's entries as one batch (group commit)");
    }
    for (String k : new String[] {"requestThrottleLimit", "requestThrottleStallTime",
        "requestThrottleDropStale", "requestStaleLatencyCheck", "requestStaleConnectionCheck",
        "throttledOpWaitTime", "connectionMaxTokens", "connectionTokenFillTime",
        "connectionTokenFillCount", "connectionFreezeTime", "connectionDropIncrease",
        "connectionDropDecrease", "connectionDecreaseRatio", "largeRequestMaxBytes",
        "largeRequestThreshold", "outstandingHandshake.limit"}) {
      ignore(k, THROTTLING);
    }
    ignore("digest.enabled", "Warden always keeps a tree digest (DESIGN.md D5)");
    ignore("snapshot.trust.empty", "applies to ZooKeeper's snapshot files; Warden's live in "
        + "RocksDB");
    ignore("snapshot.compression.method", "applies to ZooKeeper's snapshot files");
    ignorePrefix("jvm.pause.", "the JVM pause monitor is not implemented");
    ignore("quorum.cnxn.threads.size", ZAB);
    ignorePrefix("metricsProvider.", "Warden always exports Prometheus metrics at the admin "
        + "server's /metrics");
    ignore("admin.idleTimeout", "not configurable yet");
    ignore("multiAddress.reachabilityCheckEnabled", "multiple addresses are not supported");
    ignore("multiAddress.reachabilityCheckTimeoutMs", "multiple addresses are not supported");
    ignore("localSessionsUpgradingEnabled", "local sessions are not supported");
    ignore("DigestAuthenticationProvider.enabled", "the digest scheme is always available");
    ignore("audit.impl.class", "audit logging is not implemented");
    ignore("watchManagerName", "Warden has one watch registry");

    refuseIfTrue("multiAddress.enabled", "multiple addresses per member are "
        + "not supported");
    refuseIfTrue("localSessionsEnabled", "local sessions are not supported: "
        + "every session is replicated (DESIGN.md D7)");
    refuseIfTrue("reconfigEnabled", "dynamic reconfiguration is not "
        + "supported yet");
    refuseIfTrue("sslQuorum", TLS);
    refuseIfTrue("sslQuorumReloadCertFiles", TLS);
    refuseIfTrue("portUnification", TLS);
    refuseIfTrue("client.portUnification", TLS);
    refuseIfTrue("admin.portUnification", TLS);
    refuseIfTrue("emulate353TTLNodes", "ZooKeeper 3.5.3's TTL encoding is not "
        + "supported");
    refuseIfTrue("audit.enable", "audit logging is not implemented");
    refuseIfTrue("enforceQuota", "quotas are not enforced");
    // ZooKeeper reads these as "yes" switches (zookeeper.skipACL, zookeeper.forceSync)
    refuseWhen("skipACL", v -> v.equalsIgnoreCase("yes"), "Warden always checks ACLs");
    refuseWhen("forceSync", v -> v.equalsIgnoreCase("no"), "Warden always fsyncs a write "
        + "before acknowledging it (DESIGN.md D3)");
    refuseWhen("DigestAuthenticationProvider.digestAlg",
        v -> !v.equalsIgnoreCase("SHA1") && !v.equalsIgnoreCase("SHA-1"),
        "the digest scheme uses SHA-1, as ZooKeeper clients compute it");

    refuse("secureClientPort", TLS + " (clients connect in plaintext on clientPort)");
    refuse("secureClientPortAddress", TLS);
    refusePrefix("ssl.", TLS);
    refusePrefix("authProvider.", "custom authentication providers are not supported (built-in "
        + "schemes: digest, ip)");
    refusePrefix("quorum.auth.", SASL);
    refusePrefix("kerberos.", SASL);
    refuse("requireClientAuthScheme", SASL);
    refuse("sessionRequireClientSASLAuth", SASL);
    refuse("enforce.auth.enabled", "enforced authentication is not supported yet");
    refuse("enforce.auth.schemes", "enforced authentication is not supported yet");
    refuse("superUser", SASL + "; use DigestAuthenticationProvider.superDigest");
    refuse("X509AuthenticationProvider.superUser", TLS);
    refuse("dynamicConfigFile", "dynamic reconfiguration is not supported yet: put the server.N "
        + "lines in this file");
    refusePrefix("group.", "hierarchical quorums are not supported: Raft counts a majority of "
        + "participants");
    refusePrefix("weight.", "hierarchical quorums are not supported: Raft counts a majority of "
        + "participants");
    refuse("oraclePath", "the quorum oracle for two-member ensembles is not supported");
    refuse("znode.container.checkIntervalMs", REAPER);
    refuse("znode.container.maxPerMinute", REAPER);
    refuse("znode.container.maxNeverUsedIntervalMs", REAPER);
  }

  private KeyCatalog() {
  }

  static Optional<Rule> lookup(String key) {
    Rule exact = EXACT.get(key);
    if (exact != null) {
      return Optional.of(exact);
    }
    return PREFIXES.entrySet().stream()
        .filter(e -> key.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** Every exact key name, for "did you mean" suggestions. */
  static Set<String> exactKeys() {
    return new TreeSet<>(EXACT.keySet());
  }

  private static void ignore(String key, String reason) {
    EXACT.put(key, new Ignore(reason));
  }

  private static void ignorePrefix(String prefix, String reason) {
    PREFIXES.put(prefix, new Ignore(reason));
  }

  private static void refuse(String key, String reason) {
    EXACT.put(key, new Refuse(reason));
  }

  private static void refusePrefix(String prefix, String reason) {
    PREFIXES.put(prefix, new Refuse(reason));
  }

  private static void refuseIfTrue(String key, String reason) {
    EXACT.put(key, new RefuseIfTrue(reason));
  }

  private static void refuseWhen(String key, Predicate<String> asksForIt, String reason) {
    EXACT.put(key, new RefuseWhen(asksForIt, reason));
  }
}
