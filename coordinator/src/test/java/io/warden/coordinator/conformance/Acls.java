package io.warden.coordinator.conformance;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/** ACL lists as the official client needs them, and digest ids computed by ZooKeeper's code. */
final class Acls {
  private Acls() {}

  /** A mutable list: the client calls contains(null) on ACL lists, which List.of refuses. */
  static List<ACL> of(ACL... entries) {
    return new ArrayList<>(Arrays.asList(entries));
  }

  static ACL acl(int perms, String scheme, String id) {
    return new ACL(perms, new Id(scheme, id));
  }

  /** The digest ACL id ({@code user:base64(sha1(user:password))}) for {@code user:password}. */
  static Id digestId(String credentials) {
    try {
      return new Id("digest", DigestAuthenticationProvider.generateDigest(credentials));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
