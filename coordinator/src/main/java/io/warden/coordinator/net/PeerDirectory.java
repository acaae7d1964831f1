package io.warden.coordinator.net;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where to dial a peer, asked before every connection attempt. In production it is the
 * server.N lines; tests that bind every peer port to 0 publish the ports they got in a directory
 * of their own, so no port is ever guessed.
 */
@FunctionalInterface
public interface PeerDirectory {
  /** The peer's endpoint now, or null when it is not known yet (the attempt then fails and is retried). */
  PeerEndpoint lookup(int id);

  /** The configured addresses. */
  static PeerDirectory of(List<PeerEndpoint> members) {
    Map<Integer, PeerEndpoint> byId = members.stream().collect(Collectors.toMap(PeerEndpoint::id, Function.identity()));
    return byId::get;
  }
}
