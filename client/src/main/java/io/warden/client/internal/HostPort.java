package io.warden.client.internal;

/** One server of a connect string; {@code host} is a name or an address (IPv6 without brackets). */
public record HostPort(String host, int port) {
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
