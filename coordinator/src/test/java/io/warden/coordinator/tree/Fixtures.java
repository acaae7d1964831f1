package io.warden.coordinator.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.DigestAuth;
import io.warden.protocol.Id;
import io.warden.protocol.Perms;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Callers, ACLs and short-hands shared by the tree tests. */
final class Fixtures {
  static final Id LOCALHOST = new Id("ip", "127.0.0.1");
  static final Caller ANON = new Caller(0x100, List.of(LOCALHOST));
  static final Caller SUPER = new Caller(0x200, List.of(LOCALHOST, new Id("super", "")));

  private Fixtures() {
  }

  static Id digest(String userColonPassword) {
    return new Id(DigestAuth.SCHEME, DigestAuth.digestId(userColonPassword));
  }

  /** A session whose connection authenticated with digest {@code user:password}. */
  static Caller user(long sessionId, String userColonPassword) {
    return new Caller(sessionId, List.of(LOCALHOST, digest(userColonPassword)));
  }

  static Caller session(long sessionId) {
    return new Caller(sessionId, List.of(LOCALHOST));
  }

  static List<Acl> onlyFor(Id id, int perms) {
    return List.of(new Acl(perms, id));
  }

  /** world:anyone gets everything but {@code missing}. */
  static List<Acl> worldWithout(int missing) {
    return List.of(new Acl(Perms.ALL & ~missing, Id.ANYONE));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Creates a node that must succeed, with open ACL, and returns its actual path. */
  static String mk(DataTree tree, String path, CreateMode mode, Caller caller, long zxid) {
    Result<Created> r = tree.create(path, bytes("d"), Acl.OPEN_ACL_UNSAFE, mode,
        mode.isTtl() ? 1000 : -1, caller, zxid, 1000 * zxid);
    assertThat(r.code()).as("create %s", path).isEqualTo(io.warden.protocol.ErrorCode.OK);
    return r.value().path();
  }

  static String mk(DataTree tree, String path, long zxid) {
    return mk(tree, path, CreateMode.PERSISTENT, ANON, zxid);
  }
}
