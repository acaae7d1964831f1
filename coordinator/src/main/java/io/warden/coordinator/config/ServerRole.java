package io.warden.coordinator.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The role a {@code server.N} line gives a member, with ZooKeeper's names. An observer is a
 * Raft learner: it replicates and serves clients but does not vote.
 */
public enum ServerRole {
  PARTICIPANT,
  OBSERVER;

  /** The word used in {@code server.N} lines. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** ZooKeeper lower-cases and trims the type before comparing; so do we. */
  static Optional<ServerRole> fromWord(String s) {
    String w = s.trim().toLowerCase(Locale.ROOT);
    for (ServerRole r : values()) {
      if (r.word().equals(w)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
