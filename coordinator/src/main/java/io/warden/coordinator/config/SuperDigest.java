package io.warden.coordinator.config;

import java.util.Base64;
import java.util.Optional;

/**
 * ZooKeeper's {@code DigestAuthenticationProvider.superDigest}:
 * {@code user:base64(sha1(user:password))}.
 * A client that authenticates with scheme {@code digest} and those credentials bypasses ACLs.
 *
 * <p>ZooKeeper's documentation uses the user name {@code super}; ZooKeeper itself compares the
 * whole {@code user:digest} string, so any user name works there and is accepted here too.
 * {@link #toString()} hides the digest: an unsalted SHA-1 of a password is easy to brute-force,
 * and configurations end up in logs.
 */
public record SuperDigest(String user, String digestBase64) {
  static final String EXPECTED =
      "user:base64(sha1(user:password)), e.g. super:D/InIHSb7yEEbrWz8b9l71RjZJU=";
  private static final int SHA1_BYTES = 20;

  public SuperDigest {
    if (!isValid(user, digestBase64)) {
      throw new IllegalArgumentException("not a super digest, expected " + EXPECTED);
    }
  }

  /** The value ZooKeeper compares against: {@code user:digest}. */
  public String value() {
    return user + ":" + digestBase64;
  }

  /** Parses {@code user:digest}; empty when the user is empty or the digest is not a SHA-1. */
  static Optional<SuperDigest> parse(String value) {
    int colon = value.indexOf(':');
    if (colon <= 0 || colon != value.lastIndexOf(':')) {
      return Optional.empty();
    }
    String user = value.substring(0, colon);
    String digest = value.substring(colon + 1);
    return isValid(user, digest) ? Optional.of(new SuperDigest(user, digest)) : Optional.empty();
  }

  private static boolean isValid(String user, String digest) {
    return user != null && digest != null && !user.isBlank() && !user.contains(":")
        && isSha1Base64(digest);
  }

  private static boolean isSha1Base64(String s) {
    try {
      byte[] bytes = Base64.getDecoder().decode(s);
      // re-encoding rejects non-canonical forms (missing padding, stray bits) ZooKeeper's
      // generated digests never have: such a value could never match a login
      return bytes.length == SHA1_BYTES && Base64.getEncoder().encodeToString(bytes).equals(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "SuperDigest[user=" + user + ", digest=(hidden)]";
  }
}
