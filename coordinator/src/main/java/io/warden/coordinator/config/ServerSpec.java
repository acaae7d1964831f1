package io.warden.coordinator.config;

import java.util.Optional;

/**
 * One {@code server.N=host:quorumPort:electionPort[:role][;[clientAddress:]clientPort]} line.
 *
 * <p>Warden's Raft transport needs one peer port: {@code quorumPort}. {@code electionPort} is
 * kept and validated so that a ZooKeeper ensemble definition parses unchanged and renders back
 * the same (in {@code conf}); the replication issue decides whether it gets a use.
 *
 * @param id the member id, 1..255 as in ZooKeeper's admin guide (and the {@code myid} file)
 * @param clientAddress where this member serves clients, if the line says so; a bare port means
 *     host 0.0.0.0, as in ZooKeeper
 */
public record ServerSpec(
    int id,
    String host,
    int quorumPort,
    int electionPort,
    ServerRole role,
    Optional<HostPort> clientAddress) {

  public static final int MIN_ID = 1;
  public static final int MAX_ID = 255;

  public ServerSpec {
    if (id < MIN_ID || id > MAX_ID) {
      throw new IllegalArgumentException("server id out of range 1-255: " + id);
    }
    new HostPort(host, quorumPort); // validates host and port
    new HostPort(host, electionPort);
    if (role == null || clientAddress == null) {
      throw new IllegalArgumentException("role and clientAddress must not be null");
    }
  }

  public HostPort quorumAddress() {
    return new HostPort(host, quorumPort);
  }

  public HostPort electionAddress() {
    return new HostPort(host, electionPort);
  }

  /** The value of the line, in ZooKeeper's canonical form (role always written). */
  public String toConfigValue() {
    StringBuilder sb = new StringBuilder()
        .append(Hosts.bracketed(host)).append(':').append(quorumPort).append(':')
        .append(electionPort).append(':').append(role.word());
    clientAddress.ifPresent(c -> sb.append(';').append(c));
    return sb.toString();
  }
}
