package io.warden.coordinator.tree;

import static io.warden.coordinator.tree.Fixtures.ANON;
import static io.warden.coordinator.tree.Fixtures.SUPER;
import static io.warden.coordinator.tree.Fixtures.digest;
import static io.warden.coordinator.tree.Fixtures.mk;
import static io.warden.coordinator.tree.Fixtures.onlyFor;
import static io.warden.coordinator.tree.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Id;
import io.warden.protocol.Perms;
import io.warden.protocol.Stat;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.zookeeper.server.auth.IPAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ACL validation/expansion, permission checks, setACL (§7.7) and getACL masking (§7.6). */
class AclTest {
  private final DataTree tree = DataTree.initial();
  private final Caller alice = user(0x10, "alice:secret");
  private final Caller bob = user(0x20, "bob:pw");

  // ------------------------------------------------------------------------------ validation

  private static ErrorCode validate(List<Acl> acl, Caller caller) {
    return AclPolicy.validate(acl, caller.ids()).code();
  }

  @Test
  void invalidAclLists() {
    List<Acl> withNull = new ArrayList<>();
    withNull.add(null);
    assertThat(validate(null, ANON)).isEqualTo(ErrorCode.INVALID_ACL);
    assertThat(validate(List.of(), ANON)).isEqualTo(ErrorCode.INVALID_ACL);
    assertThat(validate(withNull, ANON)).isEqualTo(ErrorCode.INVALID_ACL);
    for (Id bad : List.of(new Id(null, "x"), new Id("world", null), new Id("world", "someone"),
        new Id("nosuch", "x"), new Id("super", ""), new Id("sasl", "bob"),
        new Id("digest", "nocolon"), new Id("digest", "a:b:c"), new Id("digest", "a:"),
        new Id("ip", "10.0.0.256"), new Id("ip", "10.0.0.1/33"), new Id("ip", "host"),
        new Id("ip", "::1/129"), new Id("ip", "1::2::3"))) {
      assertThat(validate(List.of(new Acl(Perms.ALL, bad)), SUPER)).as("%s", bad)
          .isEqualTo(ErrorCode.INVALID_ACL);
    }
  }

  @Test
  void validIds() {
    for (Id ok : List.of(Id.ANYONE, new Id("digest", "u:hash"), new Id("digest", ":x"),
        new Id("digest", "a:b:"), new Id("ip", "10.1.2.3"), new Id("ip", "10.0.0.0/8"),
        new Id("ip", "::1"), new Id("ip", "fe80::/10"), new Id("ip", "1:2:3:4:5:6:7:8/128"))) {
      assertThat(validate(List.of(new Acl(Perms.ALL, ok)), ANON)).as("%s", ok)
          .isEqualTo(ErrorCode.OK);
    }
  }

  @Test
  void authExpandsToTheCallersDigestIdsOnly() {
    Caller both = new Caller(1, List.of(new Id("ip", "10.0.0.1"), digest("a:1"), digest("b:2"),
        new Id("super", "")));
    assertThat(AclPolicy.validate(List.of(new Acl(Perms.READ, Id.AUTH)), both.ids()).value())
        .containsExactly(new Acl(Perms.READ, digest("a:1")), new Acl(Perms.READ, digest("b:2")));
    assertThat(validate(Acl.CREATOR_ALL_ACL, SUPER)).as("super and ip are not authenticated")
        .isEqualTo(ErrorCode.INVALID_ACL);
  }

  @Test
  void duplicatesOfTheRequestAreRemovedKeepingOrder() {
    Acl a = new Acl(Perms.READ, Id.ANYONE);
    Acl b = new Acl(Perms.ALL, digest("x:y"));
    assertThat(AclPolicy.validate(List.of(a, b, a, b), List.of()).value()).containsExactly(a, b);
  }

  // ------------------------------------------------------------------------------- checking

  @Test
  void emptyAclAllowsEveryone() {
    assertThat(AclPolicy.allows(List.of(), Perms.ADMIN, ANON)).isTrue();
  }

  @Test
  void digestIpWorldAndSuperMatching() {
    List<Acl> acl = List.of(new Acl(Perms.READ, digest("alice:secret")),
        new Acl(Perms.WRITE, new Id("ip", "10.1.0.0/16")));
    Caller fromNet = new Caller(1, List.of(new Id("ip", "10.1.200.3")));
    Caller elsewhere = new Caller(1, List.of(new Id("ip", "10.2.0.1")));
    assertThat(AclPolicy.allows(acl, Perms.READ, alice)).isTrue();
    assertThat(AclPolicy.allows(acl, Perms.READ, bob)).isFalse();
    assertThat(AclPolicy.allows(acl, Perms.WRITE, alice)).isFalse();
    assertThat(AclPolicy.allows(acl, Perms.WRITE, fromNet)).isTrue();
    assertThat(AclPolicy.allows(acl, Perms.WRITE, elsewhere)).isFalse();
    assertThat(AclPolicy.allows(acl, Perms.ADMIN, SUPER)).isTrue();
    assertThat(AclPolicy.allows(Acl.READ_ACL_UNSAFE, Perms.READ, ANON)).isTrue();
    assertThat(AclPolicy.allows(Acl.READ_ACL_UNSAFE, Perms.WRITE, ANON)).isFalse();
  }

  @Provide
  Arbitrary<String> addressLike() {
    Arbitrary<String> token = Arbitraries.of("10", "0", "255", "256", "1", "-0", "+7", "ff",
        "FFFF", "fffff", "g", "", "::", ":", ".", "/", "/8", "/0", "/32", "/33", "/128", "/-1",
        "1.2.3.4", "::1", "fe80::", "a", "00", "-1");
    return token.list().ofMinSize(1).ofMaxSize(9).map(l -> String.join("", l));
  }

  @Property(tries = 3000)
  void ipValidityAndMatchingAgreeWithZooKeeper(@ForAll("addressLike") String aclId,
      @ForAll("addressLike") String callerAddress) {
    IPAuthenticationProvider zk = new IPAuthenticationProvider();
    assertThat(IpAddress.isValidAclId(aclId)).as("isValid(%s)", aclId)
        .isEqualTo(zk.isValid(aclId));
    assertThat(IpAddress.matches(callerAddress, aclId)).as("matches(%s, %s)", callerAddress, aclId)
        .isEqualTo(zk.matches(callerAddress, aclId));
  }

  @Test
  void ipMatchingExamples() {
    assertThat(IpAddress.matches("192.168.1.77", "192.168.1.0/24")).isTrue();
    assertThat(IpAddress.matches("192.168.2.77", "192.168.1.0/24")).isFalse();
    assertThat(IpAddress.matches("192.168.2.77", "0.0.0.0/0")).isTrue();
    assertThat(IpAddress.matches("0:0:0:0:0:0:0:1", "::1")).isTrue();
    assertThat(IpAddress.matches("127.0.0.1", "::1/0")).as("v4 never matches v6").isFalse();
  }

  // ---------------------------------------------------------------------------------- setACL

  @Test
  void setAclValidatesTheAclBeforeTheNodesExistence() {
    assertThat(tree.setAcl("/missing", List.of(), -1, ANON, 2).code())
        .isEqualTo(ErrorCode.INVALID_ACL);
    assertThat(tree.setAcl("/missing/", List.of(), -1, ANON, 2).code())
        .as("path rules first").isEqualTo(ErrorCode.BAD_ARGUMENTS);
    assertThat(tree.setAcl("/missing", Acl.OPEN_ACL_UNSAFE, -1, ANON, 2).code())
        .isEqualTo(ErrorCode.NO_NODE);
  }

  @Test
  void setAclNeedsAdminThenMatchesAversion() {
    tree.create("/a", null, onlyFor(digest("alice:secret"), Perms.ALL & ~Perms.ADMIN),
        CreateMode.PERSISTENT, -1, alice, 2, 0);
    assertThat(tree.setAcl("/a", Acl.OPEN_ACL_UNSAFE, -1, alice, 3).code())
        .isEqualTo(ErrorCode.NO_AUTH);
    assertThat(tree.setAcl("/a", Acl.OPEN_ACL_UNSAFE, 1, SUPER, 3).code())
        .isEqualTo(ErrorCode.BAD_VERSION);
    Stat before = tree.statOrNull("/a");
    Result<Stat> r = tree.setAcl("/a", Acl.OPEN_ACL_UNSAFE, 0, SUPER, 3);
    assertThat(r.value()).isEqualTo(new Stat(before.czxid(), before.mzxid(), before.ctime(),
        before.mtime(), before.version(), before.cversion(), 1, 0, 0, 0, before.pzxid()));
    assertThat(tree.aclOrNull("/a")).isSameAs(Acl.OPEN_ACL_UNSAFE);
    tree.drainChanges();
    tree.setAcl("/a", Acl.READ_ACL_UNSAFE, -1, SUPER, 4);
    assertThat(tree.drainChanges()).as("setACL fires no watch").isEmpty();
    assertThat(tree.statOrNull("/a").aversion()).isEqualTo(2);
  }

  @Test
  void configNodeAversionStartsAtMinusOne() {
    assertThat(tree.setAcl("/zookeeper/config", Acl.READ_ACL_UNSAFE, 0, SUPER, 2).code())
        .isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(tree.setAcl("/zookeeper/config", Acl.READ_ACL_UNSAFE, -1, ANON, 2).code())
        .isEqualTo(ErrorCode.NO_AUTH);
    assertThat(tree.setAcl("/zookeeper/config", Acl.READ_ACL_UNSAFE, -1, SUPER, 2).value()
        .aversion()).isZero();
  }

  @Test
  void creatorAllAclStoresTheCreatorsDigest() {
    Result<Created> r = tree.create("/mine", null, Acl.CREATOR_ALL_ACL, CreateMode.PERSISTENT, -1,
        alice, 2, 0);
    assertThat(r.isOk()).isTrue();
    assertThat(tree.aclOrNull("/mine")).containsExactly(new Acl(Perms.ALL, digest("alice:secret")));
    assertThat(tree.getData("/mine", bob).code()).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(tree.getData("/mine", alice).isOk()).isTrue();
  }

  // ---------------------------------------------------------------------------------- getACL

  @Test
  void getAclNeedsReadOrAdminAndMasksDigestsWithoutAdmin() {
    List<Acl> acl = List.of(new Acl(Perms.READ, Id.ANYONE),
        new Acl(Perms.ALL, digest("alice:secret")));
    tree.create("/a", null, acl, CreateMode.PERSISTENT, -1, alice, 2, 0);
    assertThat(tree.getAcl("/a", alice).value().acl()).isEqualTo(acl);
    assertThat(tree.getAcl("/a", bob).value().acl()).containsExactly(
        new Acl(Perms.READ, Id.ANYONE), new Acl(Perms.ALL, new Id("digest", "alice:x")));

    tree.create("/adminonly", null, onlyFor(digest("bob:pw"), Perms.ADMIN), CreateMode.PERSISTENT,
        -1, alice, 3, 0);
    assertThat(tree.getAcl("/adminonly", bob).isOk()).isTrue();
    assertThat(tree.getAcl("/adminonly", alice).code()).isEqualTo(ErrorCode.NO_AUTH);
    assertThat(tree.getAcl("/missing", alice).code()).isEqualTo(ErrorCode.NO_NODE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a", "/b"})
  void readsCheckReadAfterExistence(String path) {
    tree.create("/a", null, onlyFor(digest("alice:secret"), Perms.ALL), CreateMode.PERSISTENT, -1,
        alice, 2, 0);
    ErrorCode expected = path.equals("/a") ? ErrorCode.NO_AUTH : ErrorCode.NO_NODE;
    assertThat(tree.getData(path, bob).code()).isEqualTo(expected);
    assertThat(tree.getChildren(path, bob).code()).isEqualTo(expected);
    assertThat(tree.exists(path, bob).code()).isEqualTo(expected);
    assertThat(tree.getAllChildrenNumber(path, bob).code()).isEqualTo(expected);
    assertThat(tree.canRead(tree.aclOrNull("/a"), bob)).isFalse();
    assertThat(tree.canRead(tree.aclOrNull("/a"), alice)).isTrue();
    mk(tree, "/open", 3);
  }
}
