package io.warden.coordinator.config;

/**
 * A host (name or IP literal, IPv6 without brackets) and a port. Port 0 means "any free port"
 * wherever Warden binds.
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range 0-65535: " + port);
    }
  }

  /** {@code host:port}, with an IPv6 literal in brackets as in zoo.cfg. */
  @Override
  public String toString() {
    return Hosts.bracketed(host) + ":" + port;
  }
}
