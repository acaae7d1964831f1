package io.warden.client.internal;

import io.warden.protocol.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed connect string {@code host[:port][,host[:port]...][/chroot]} (ZooKeeper's format).
 * IPv6 addresses go in brackets ({@code [::1]:2181}); a missing port means 2181. Names are not
 * resolved here: the I/O thread resolves them at each connection attempt, so DNS changes are
 * picked up as ZooKeeper's StaticHostProvider does. {@code chroot} is null when absent or "/".
 */
public record ConnectString(List<HostPort> hosts, String chroot) {
  public static final int DEFAULT_PORT = 2181;

  public ConnectString {
    hosts = List.copyOf(hosts);
  }

  public static ConnectString parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("connect string is empty");
    }
    String s = text.trim();
    int slash = s.indexOf('/');
    String chroot = slash < 0 ? null : parseChroot(s.substring(slash), text);
    String hostPart = slash < 0 ? s : s.substring(0, slash);
    List<HostPort> hosts = new ArrayList<>();
    for (String entry : hostPart.split(",", -1)) {
      hosts.add(parseHost(entry.trim(), text));
    }
    return new ConnectString(hosts, chroot);
  }

  private static String parseChroot(String chroot, String text) {
    if (chroot.equals("/")) {
      return null;
    }
    String reason = Paths.validate(chroot);
    if (reason != null) {
      throw new IllegalArgumentException("invalid chroot \"" + chroot + "\" in connect string \""
          + text + "\": " + reason);
    }
    return chroot;
  }

  private static HostPort parseHost(String entry, String text) {
    if (entry.isEmpty()) {
      throw bad(text, "empty server address");
    }
    String host;
    String portText;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw bad(text, "unclosed '[' in \"" + entry + "\"");
      }
      host = entry.substring(1, close);
      String rest = entry.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw bad(text, "unexpected \"" + rest + "\" after \"" + entry.substring(0, close + 1)
            + "\"");
      }
      portText = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = entry.indexOf(':');
      if (colon >= 0 && entry.indexOf(':', colon + 1) >= 0) {
        throw bad(text, "IPv6 address \"" + entry
            + "\" must be written in brackets, e.g. [::1]:2181");
      }
      host = colon < 0 ? entry : entry.substring(0, colon);
      portText = colon < 0 ? null : entry.substring(colon + 1);
    }
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      throw bad(text, "invalid host in \"" + entry + "\"");
    }
    return new HostPort(host, portText == null ? DEFAULT_PORT : parsePort(portText, entry, text));
  }

  private static int parsePort(String portText, String entry, String text) {
    try {
      int port = Integer.parseInt(portText);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the whole entry, which says more than the parser's message
    }
    throw bad(text, "invalid port in \"" + entry + "\" (must be 1..65535)");
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("malformed connect string \"" + text + "\": " + why);
  }
}
