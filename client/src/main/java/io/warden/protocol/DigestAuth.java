package io.warden.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code digest} authentication scheme (wire reference §9.5): a client authenticates with
 * the plain bytes {@code user:password}; the identity and ACL id it maps to are
 * {@code user:base64(SHA-1(utf8("user:password")))}, standard base64 with padding.
 */
public final class DigestAuth {
  public static final String SCHEME = "digest";

  private DigestAuth() {
  }

  /**
   * The digest id for {@code user:password}. The user is the text before the first colon (the
   * whole text if there is none); the hash covers the whole text, as ZooKeeper computes it.
   */
  public static String digestId(String userColonPassword) {
    byte[] hash = sha1().digest(userColonPassword.getBytes(StandardCharsets.UTF_8));
    return user(userColonPassword) + ":" + Base64.getEncoder().encodeToString(hash);
  }

  /** The user part of a digest id (or of {@code user:password}): the text before the first ':'. */
  public static String user(String digestId) {
    int colon = digestId.indexOf(':');
    return colon < 0 ? digestId : digestId.substring(0, colon);
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-1", e);
    }
  }
}
