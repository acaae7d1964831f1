package io.warden.coordinator.config;

import static io.warden.coordinator.config.Setting.ADMIN_COMMAND_URL;
import static io.warden.coordinator.config.Setting.ADMIN_SERVER_ADDRESS;
import static io.warden.coordinator.config.Setting.CLIENT_PORT_ADDRESS;
import static io.warden.coordinator.config.Setting.ELECTION_TIMEOUT;
import static io.warden.coordinator.config.Setting.HEARTBEAT_INTERVAL;
import static io.warden.coordinator.config.Setting.INIT_LIMIT;
import static io.warden.coordinator.config.Setting.MAX_SESSION_TIMEOUT;
import static io.warden.coordinator.config.Setting.MIN_SESSION_TIMEOUT;
import static io.warden.coordinator.config.Setting.STANDALONE_ENABLED;
import static io.warden.coordinator.config.Setting.SYNC_LIMIT;
import static io.warden.coordinator.config.Setting.TICK_TIME;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a resolved {@link WardenConfig}: every value in range and every combination that must
 * hold. Shared by the builder (values set in code) and the parser (values read from a file), so
 * both report the same problem with the same words.
 */
final class ConfigChecks {
  /**
   * etcd refuses an election timeout below 5 heartbeats: closer than that, one delayed
   * heartbeat starts an election against a healthy leader.
   */
  static final int MIN_ELECTION_TIMEOUT_HEARTBEATS = 5;
  static final String MYID = "myid";

  private ConfigChecks() {
  }

  static List<Problem> problems(WardenConfig c) {
    List<Problem> out = new ArrayList<>();
    ranges(c, out);
    addresses(c, out);
    sessionTimeouts(c, out);
    raftTimeouts(c, out);
    ensemble(c, out);
    return out;
  }

  private static void ranges(WardenConfig c, List<Problem> out) {
    Map<Setting, Long> values = new LinkedHashMap<>();
    values.put(TICK_TIME, (long) c.tickTimeMs());
    if (c.initLimitTicks() != 0) { // 0 = unset, allowed standalone (checked in ensemble)
      values.put(INIT_LIMIT, (long) c.initLimitTicks());
    }
    if (c.syncLimitTicks() != 0) {
      values.put(SYNC_LIMIT, (long) c.syncLimitTicks());
    }
    values.put(Setting.CLIENT_PORT, (long) c.clientPort());
    values.put(Setting.CLIENT_PORT_LISTEN_BACKLOG, (long) c.clientPortListenBacklog());
    values.put(Setting.MAX_CLIENT_CNXNS, (long) c.maxClientCnxns());
    values.put(Setting.MAX_CNXNS, (long) c.maxCnxns());
    if (TICK_TIME.accepts(c.tickTimeMs())) { // else they may be 2× / 20× a bad tickTime
      values.put(MIN_SESSION_TIMEOUT, (long) c.minSessionTimeoutMs());
      values.put(MAX_SESSION_TIMEOUT, (long) c.maxSessionTimeoutMs());
    }
    values.put(Setting.JUTE_MAX_BUFFER, (long) c.juteMaxBufferBytes());
    values.put(Setting.GLOBAL_OUTSTANDING_LIMIT, (long) c.globalOutstandingLimit());
    values.put(Setting.SNAP_COUNT, (long) c.snapCount());
    values.put(Setting.SNAP_RETAIN_COUNT, (long) c.snapRetainCount());
    values.put(Setting.ADMIN_SERVER_PORT, (long) c.adminServerPort());
    values.put(Setting.MAX_INFLIGHT_PER_CONNECTION, (long) c.maxInflightPerConnection());
    values.put(Setting.MAX_WATCHES_PER_CONNECTION, (long) c.maxWatchesPerConnection());
    values.put(Setting.SESSIONLESS_CONNECTION_TIMEOUT, (long) c.sessionlessConnectionTimeoutMs());
    values.put(Setting.REAPER_INTERVAL, (long) c.reaperIntervalMs());
    values.put(Setting.REAPER_MAX_PER_INTERVAL, (long) c.reaperMaxPerInterval());
    values.put(ELECTION_TIMEOUT, (long) c.electionTimeoutMs());
    values.put(HEARTBEAT_INTERVAL, (long) c.heartbeatIntervalMs());
    values.forEach((setting, value) -> setting.check(value).ifPresent(out::add));
  }

  private static void addresses(WardenConfig c, List<Problem> out) {
    if (!Hosts.isValid(c.clientPortAddress())) {
      out.add(Problem.invalid(CLIENT_PORT_ADDRESS, c.clientPortAddress()));
    }
    if (!Hosts.isValid(c.adminServerAddress())) {
      out.add(Problem.invalid(ADMIN_SERVER_ADDRESS, c.adminServerAddress()));
    }
    if (!isUrlPath(c.adminCommandUrl())) {
      out.add(Problem.invalid(ADMIN_COMMAND_URL, c.adminCommandUrl()));
    }
  }

  static boolean isUrlPath(String s) {
    return s.startsWith("/") && s.chars().noneMatch(ch -> Character.isWhitespace(ch) || ch < 0x20);
  }

  private static void sessionTimeouts(WardenConfig c, List<Problem> out) {
    if (TICK_TIME.accepts(c.tickTimeMs()) && c.minSessionTimeoutMs() > c.maxSessionTimeoutMs()) {
      List<String> keys =
          List.of(MIN_SESSION_TIMEOUT.key(), MAX_SESSION_TIMEOUT.key(), TICK_TIME.key());
      out.add(new Problem(keys,
          "'minSessionTimeout' (" + c.minSessionTimeoutMs() + " ms) must not be larger than "
              + "'maxSessionTimeout' (" + c.maxSessionTimeoutMs() + " ms); when not set they are "
              + "2 × and 20 × tickTime (" + c.tickTimeMs() + " ms)"));
    }
  }

  private static void raftTimeouts(WardenConfig c, List<Problem> out) {
    long minElection = (long) c.heartbeatIntervalMs() * MIN_ELECTION_TIMEOUT_HEARTBEATS;
    if (c.electionTimeoutMs() < minElection) {
      out.add(new Problem(List.of(ELECTION_TIMEOUT.key(), HEARTBEAT_INTERVAL.key()),
          "'" + ELECTION_TIMEOUT.key() + "' (" + c.electionTimeoutMs() + " ms) must be at least "
              + MIN_ELECTION_TIMEOUT_HEARTBEATS + " × '" + HEARTBEAT_INTERVAL.key() + "' ("
              + c.heartbeatIntervalMs() + " ms): closer than that, one late heartbeat starts an "
              + "election against a healthy leader"));
    }
  }

  private static void ensemble(WardenConfig c, List<Problem> out) {
    uniqueIds(c, out);
    uniqueEndpoints(c, out);
    roles(c, out);
    if (c.isStandalone()) {
      if (c.serverId() < ServerSpec.MIN_ID || c.serverId() > ServerSpec.MAX_ID) {
        out.add(Problem.invalid(MYID, c.serverId(), "an integer 1-255"));
      }
      return;
    }
    if (c.participants().isEmpty()) {
      return; // reported by roles(); myid and limits would only add noise
    }
    if (c.self().isEmpty()) {
      out.add(Problem.of(MYID, "myid " + c.serverId() + " is not listed in the server.N lines "
          + "(ids: " + ids(c.servers()) + "); each member's myid file must hold its own N"));
    }
    requiredForEnsemble(INIT_LIMIT, c.initLimitTicks(), out);
    requiredForEnsemble(SYNC_LIMIT, c.syncLimitTicks(), out);
  }

  private static void requiredForEnsemble(Setting s, int value, List<Problem> out) {
    if (value == 0) {
      out.add(Problem.of(s.key(), "missing key '" + s.key() + "' (expected " + s.expected()
          + "; required when server.N lines define a replicated ensemble, as in ZooKeeper)"));
    }
  }

  private static void uniqueIds(WardenConfig c, List<Problem> out) {
    Set<Integer> seen = new HashSet<>();
    for (ServerSpec s : c.servers()) {
      if (!seen.add(s.id())) {
        out.add(Problem.of(serverKey(s), "server id " + s.id() + " is defined more than once"));
      }
    }
  }

  /** Two members cannot both listen on one host and port (ZooKeeper checks it too). */
  private static void uniqueEndpoints(WardenConfig c, List<Problem> out) {
    Map<HostPort, String> owners = new HashMap<>();
    for (ServerSpec s : c.servers()) {
      List<HostPort> mine = new ArrayList<>(List.of(s.quorumAddress(), s.electionAddress()));
      s.clientAddress().ifPresent(mine::add);
      for (HostPort hp : mine) {
        if (hp.port() == 0 || hp.host().equals(WardenConfig.WILDCARD_ADDRESS)) {
          continue; // port 0 binds a free port; 0.0.0.0 in a client spec names no single host
        }
        String other = owners.putIfAbsent(hp, serverKey(s));
        if (serverKey(s).equals(other)) {
          out.add(Problem.of(other, "'" + other + "' uses " + hp + " for both its quorum and "
              + "its election port; they must be different"));
        } else if (other != null) {
          out.add(new Problem(List.of(other, serverKey(s)),
              hp + " is used twice: by '" + other + "' and by '" + serverKey(s) + "'"));
        }
      }
    }
  }

  private static void roles(WardenConfig c, List<Problem> out) {
    int participants = c.participants().size();
    int observers = c.observers().size();
    List<String> serverKeys = c.servers().stream().map(ConfigChecks::serverKey).toList();
    if (participants == 0 && observers > 0) {
      out.add(new Problem(serverKeys, "observers without participants: at least one server.N "
          + "line must be a participant"));
    } else if (participants == 1 && observers > 0 && c.standaloneEnabled()) {
      out.add(new Problem(concat(serverKeys, STANDALONE_ENABLED.key()), "observers need a "
          + "replicated ensemble, but one participant with standaloneEnabled=true runs standalone "
          + "(set standaloneEnabled=false, or add participants)"));
    }
    if (participants == 0 && !c.standaloneEnabled()) {
      out.add(new Problem(concat(serverKeys, STANDALONE_ENABLED.key()), "standaloneEnabled=false "
          + "needs at least one participant server.N line"));
    }
  }

  private static List<String> concat(List<String> keys, String key) {
    List<String> all = new ArrayList<>(keys);
    all.add(key);
    return all;
  }

  static String serverKey(ServerSpec s) {
    return "server." + s.id();
  }

  static String ids(List<ServerSpec> servers) {
    return servers.stream().map(s -> String.valueOf(s.id())).collect(Collectors.joining(", "));
  }
}
