package io.warden.coordinator.session;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A replicated session (DESIGN.md D7): created, closed and expired only through the log, so
 * every replica knows every session and a client can resume on any server.
 *
 * @param timeoutMs the negotiated timeout
 * @param password 16 bytes from SecureRandom, chosen by the server that proposed the session
 */
public record Session(long sessionId, int timeoutMs, byte[] password) {
  public static final int PASSWORD_BYTES = 16;

  public Session {
    if (password.length != PASSWORD_BYTES) {
      throw new IllegalArgumentException("session password must be 16 bytes, got " + password.length);
    }
    password = password.clone();
  }

  /** Constant-time comparison: a resume attempt must not learn the password byte by byte. */
  public boolean passwordMatches(byte[] candidate) {
    return candidate != null && MessageDigest.isEqual(password, candidate);
  }

  @Override
  public byte[] password() {
    return password.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Session s && s.sessionId == sessionId && s.timeoutMs == timeoutMs
        && Arrays.equals(s.password, password);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sessionId) * 31 + timeoutMs;
  }

  @Override
  public String toString() {
    return "Session[0x" + Long.toHexString(sessionId) + ", timeoutMs=" + timeoutMs + "]";
  }

  /**
   * Session ids are derived from the log index of the entry that created the session, so they
   * are unique forever and identical on every replica. Like ZooKeeper's, the top byte is the
   * id of the server that proposed it (informational; clients treat ids as opaque).
   */
  public static long idFor(int proposerServerId, long logIndex) {
    return ((long) proposerServerId << 56) | (logIndex & 0x00FF_FFFF_FFFF_FFFFL);
  }
}
