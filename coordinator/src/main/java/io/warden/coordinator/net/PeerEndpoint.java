package io.warden.coordinator.net;

/**
 * One member of the ensemble as the peer transport sees it: its id, where its peer (quorum) port
 * is, and whether it only observes (a Raft learner).
 */
public record PeerEndpoint(int id, String host, int port, boolean observer) {
  public PeerEndpoint {
    if (id < 1 || id > 255) {
      throw new IllegalArgumentException("server id out of range 1..255: " + id);
    }
    if (host == null || host.isBlank() || port < 0 || port > 65535) {
      throw new IllegalArgumentException("bad peer address " + host + ":" + port);
    }
  }

  /** {@code host:port}, an IPv6 literal in brackets. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
