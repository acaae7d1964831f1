package io.warden.coordinator.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;

/**
 * A 64-bit digest of the ensemble definition — every member's id, role and peer address — that
 * two nodes compare in their handshake. A node configured for another ensemble (or with other
 * server.N lines) is refused before it can vote or replicate: every member must list the same
 * lines. Host names are compared as written, not resolved.
 */
public final class EnsembleFingerprint {
  private EnsembleFingerprint() {
  }

  public static long of(List<PeerEndpoint> members) {
    return digest(canonical(members));
  }

  /** One line per member, sorted by id: {@code id=host:port:participant|observer}. */
  public static String canonical(List<PeerEndpoint> members) {
    StringBuilder sb = new StringBuilder();
    members.stream().sorted(Comparator.comparingInt(PeerEndpoint::id)).forEach(m -> sb.append(m.id()).append('=')
        .append(m.address()).append(':').append(m.observer() ? "observer" : "participant").append('\n'));
    return sb.toString();
  }

  private static long digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xFF);
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
