package io.warden.coordinator.config;

import java.util.List;
import java.util.Optional;

/**
 * Parses
 * {@code server.N=host:quorumPort:electionPort[:participant|observer][;[clientAddress:]clientPort]}
 * as ZooKeeper 3.9 does ({@code QuorumPeer.QuorumServer}), IPv6 literals in brackets. Stricter
 * in one way: ZooKeeper resolves host names while parsing; Warden checks their syntax only (see
 * {@link Hosts}). Not supported: several addresses joined with '|' (ZooKeeper's multiAddress).
 */
final class ServerLines {
  static final String PREFIX = "server.";
  static final String FORMAT = "host:quorumPort:electionPort[:participant|observer]"
      + "[;[clientAddress:]clientPort], an IPv6 host in brackets";
  private static final int MAX_ID_DIGITS = 9;

  private ServerLines() {
  }

  static boolean isServerKey(String key) {
    return key.startsWith(PREFIX);
  }

  /** The id in {@code server.N}, or a problem naming the key. */
  static Optional<Integer> id(String key, List<Problem> problems) {
    String n = key.substring(PREFIX.length());
    boolean digits = !n.isEmpty() && n.length() <= MAX_ID_DIGITS
        && n.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    int id = digits ? Integer.parseInt(n) : -1;
    if (id < ServerSpec.MIN_ID || id > ServerSpec.MAX_ID) {
      problems.add(Problem.of(key, "invalid key '" + key + "': N in server.N must be an integer "
          + ServerSpec.MIN_ID + "-" + ServerSpec.MAX_ID + " (the member's myid)"));
      return Optional.empty();
    }
    return Optional.of(id);
  }

  /** Parses the value of {@code key} (already known to carry {@code id}). */
  static Optional<ServerSpec> parse(String key, int id, String value, List<Problem> problems) {
    String[] serverAndClient = value.split(";", -1);
    if (serverAndClient.length > 2) {
      return fail(key, value, "at most one client address may follow ';'", problems);
    }
    String server = serverAndClient[0].trim();
    if (server.indexOf('|') >= 0) {
      return fail(key, value, "several addresses per member ('|', ZooKeeper's multiAddress) "
          + "are not supported", problems);
    }
    String[] parts = splitHost(server);
    if (parts == null || parts.length < 3 || parts.length > 4) {
      return fail(key, value, "not of the form " + FORMAT, problems);
    }
    String host = parts[0].trim();
    if (!Hosts.isValid(host)) {
      return fail(key, value, "\"" + host + "\" is not a host name or IP address", problems);
    }
    Optional<Integer> quorumPort = port(parts[1]);
    Optional<Integer> electionPort = port(parts[2]);
    if (quorumPort.isEmpty() || electionPort.isEmpty()) {
      return fail(key, value, "ports must be numbers 0-65535", problems);
    }
    if (quorumPort.get().equals(electionPort.get()) && quorumPort.get() != 0) {
      return fail(key, value, "the quorum and election ports must be different", problems);
    }
    Optional<ServerRole> role = parts.length == 4
        ? ServerRole.fromWord(parts[3]) : Optional.of(ServerRole.PARTICIPANT);
    if (role.isEmpty()) {
      return fail(key, value, "the role \"" + parts[3].trim() + "\" is neither participant nor "
          + "observer", problems);
    }
    Optional<HostPort> client = Optional.empty();
    if (serverAndClient.length == 2) {
      client = clientAddress(serverAndClient[1].trim());
      if (client.isEmpty()) {
        return fail(key, value, "the client address \"" + serverAndClient[1].trim() + "\" is not "
            + "a port or host:port", problems);
      }
    }
    return Optional.of(new ServerSpec(id, host, quorumPort.get(), electionPort.get(), role.get(),
        client));
  }

  /** ZooKeeper: a bare port means every interface (0.0.0.0). */
  private static Optional<HostPort> clientAddress(String s) {
    if (s.indexOf(':') < 0) {
      return Hosts.parsePort(s).map(p -> new HostPort(WardenConfig.WILDCARD_ADDRESS, p));
    }
    return Hosts.parseHostPort(s);
  }

  /** {@code host:a:b[:c]} or {@code [v6]:a:b[:c]} into host and the rest; null if malformed. */
  private static String[] splitHost(String s) {
    if (!s.startsWith("[")) {
      return s.split(":", -1);
    }
    int close = s.indexOf("]:");
    if (close < 0) {
      return null;
    }
    String[] rest = s.substring(close + 2).split(":", -1);
    String[] all = new String[rest.length + 1];
    all[0] = s.substring(1, close);
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static Optional<Integer> port(String s) {
    return Hosts.parsePort(s.trim());
  }

  private static Optional<ServerSpec> fail(String key, String value, String detail,
      List<Problem> problems) {
    problems.add(Problem.of(key, "invalid value for '" + key + "': \"" + value + "\" (" + detail
        + "; expected " + FORMAT + ")"));
    return Optional.empty();
  }
}
