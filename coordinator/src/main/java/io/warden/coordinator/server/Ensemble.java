package io.warden.coordinator.server;

import io.warden.coordinator.config.ServerRole;
import io.warden.coordinator.config.ServerSpec;
import io.warden.coordinator.config.WardenConfig;
import io.warden.coordinator.net.PeerEndpoint;
import io.warden.coordinator.raft.Membership;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ensemble a configuration describes, in the terms the node and the peer transport use:
 * the Raft membership (participants vote, observers are learners) and every member's peer
 * endpoint (its quorum port — Raft needs one peer port; the election port stays unused).
 *
 * @param replicated false for a standalone server (no peers, no peer port)
 * @param self this server's line; null when standalone without one
 */
record Ensemble(boolean replicated, ServerSpec self, Membership membership, List<PeerEndpoint> endpoints) {

  static Ensemble of(WardenConfig config) {
    if (config.isStandalone()) {
      return new Ensemble(false, config.self().orElse(null), Membership.single(config.serverId()), List.of());
    }
    ServerSpec self = config.self().orElseThrow(() -> new IllegalArgumentException("this server's id "
        + config.serverId() + " (from the myid file) has no server." + config.serverId() + " line among "
        + config.servers().stream().map(s -> "server." + s.id()).collect(Collectors.joining(", "))));
    Set<Integer> voters = ids(config.participants());
    Set<Integer> learners = ids(config.observers());
    List<PeerEndpoint> endpoints = config.servers().stream()
        .map(s -> new PeerEndpoint(s.id(), s.host(), s.quorumPort(), s.role() == ServerRole.OBSERVER))
        .toList();
    return new Ensemble(true, self, new Membership(voters, learners), endpoints);
  }

  /** Where the peer port binds: this server's own address, or every interface if asked. */
  String listenHost(WardenConfig config) {
    return config.quorumListenOnAllIPs() ? WardenConfig.WILDCARD_ADDRESS : self.host();
  }

  List<Integer> peerIds() {
    return endpoints.stream().map(PeerEndpoint::id).filter(id -> id != self.id()).toList();
  }

  /** e.g. "3 voters [1, 2, 3] and 1 observer [4]" */
  String describe() {
    String s = membership.voters().size() + " voters " + new java.util.TreeSet<>(membership.voters());
    return membership.learners().isEmpty() ? s
        : s + " and " + membership.learners().size() + " observers " + new java.util.TreeSet<>(membership.learners());
  }

  private static Set<Integer> ids(List<ServerSpec> specs) {
    return specs.stream().map(ServerSpec::id).collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
