package io.warden.coordinator.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax of host names, IP literals and ports as written in zoo.cfg. Nothing here resolves a
 * name: configuration is checked before the network may be ready (peers' DNS names in
 * Kubernetes appear only once their pods exist), so resolution belongs to whoever binds or
 * connects.
 */
final class Hosts {
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?");
  private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9]+(\\.[0-9]+)*");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
  private static final int MAX_NAME_CHARS = 253;

  private Hosts() {
  }

  /** {@code [host]} for an IPv6 literal, the host itself otherwise. */
  static String bracketed(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  /** A host name, an IPv4 literal, or an IPv6 literal without brackets. */
  static boolean isValid(String host) {
    if (host.indexOf(':') >= 0) {
      return isIpv6Literal(host);
    }
    if (host.isEmpty() || host.length() > MAX_NAME_CHARS) {
      return false;
    }
    if (DOTTED_NUMBERS.matcher(host).matches()) {
      return isIpv4Literal(host);
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** A bare address such as clientPortAddress: a host, or an IPv6 literal, brackets optional. */
  static Optional<String> parseAddress(String value) {
    String host = value;
    if (value.startsWith("[") && value.endsWith("]")) {
      host = value.substring(1, value.length() - 1);
      if (host.indexOf(':') < 0) {
        return Optional.empty();
      }
    }
    return isValid(host) ? Optional.of(host) : Optional.empty();
  }

  /** {@code host:port} or {@code [ipv6]:port}. */
  static Optional<HostPort> parseHostPort(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String hostPart = value.substring(0, colon);
    if (hostPart.indexOf(':') >= 0 && !(hostPart.startsWith("[") && hostPart.endsWith("]"))) {
      return Optional.empty(); // an IPv6 literal must be bracketed when a port follows
    }
    Optional<String> host = parseAddress(hostPart);
    Optional<Integer> port = parsePort(value.substring(colon + 1));
    if (host.isEmpty() || port.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HostPort(host.get(), port.get()));
  }

  /** Decimal digits only (no sign, no spaces), 0..65535. */
  static Optional<Integer> parsePort(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    int port = Integer.parseInt(s);
    return port <= 65535 ? Optional.of(port) : Optional.empty();
  }

  private static boolean isIpv4Literal(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.length() > 3 || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6Literal(String host) {
    if (!IPV6_CHARS.matcher(host).matches()) {
      return false;
    }
    try {
      // a string containing ':' is parsed as an IPv6 literal, never looked up in DNS
      InetAddress.getByName("[" + host + "]");
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
