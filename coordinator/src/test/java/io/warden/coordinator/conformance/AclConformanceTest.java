package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ACLs and authentication through the official client (wire reference §9.5, §7.16): the world,
 * auth, digest and ip schemes, CREATOR_ALL_ACL, the super user, the order of NoAuth checks, invalid
 * ACLs, and an auth failure that closes the connection.
 */
class AclConformanceTest extends ConformanceTest {
  private static final String ALICE = "alice:secret";
  private static final String BOB = "bob:pw";


  private ZooKeeper anonymous;
  private ZooKeeper alice;

  @BeforeEach
  void connectAlice() throws Exception {
    anonymous = zk;
    alice = clients.connectAs(ALICE);
  }

  private static ACL digest(int perms, String credentials) {
    return new ACL(perms, Acls.digestId(credentials));
  }

  @Test
  void worldReadOnlyAllowsReadsOnly() throws Exception {
    String p = root + "/ro";
    anonymous.create(p, bytes("x"), Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertThat(anonymous.getData(p, false, null)).asString().isEqualTo("x");
    assertThat(anonymous.getChildren(p, false)).isEmpty();
    assertThat(anonymous.getAllChildrenNumber(p)).isZero();
    assertThatThrownBy(() -> anonymous.setData(p, null, -1))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(
            () -> anonymous.create(p + "/c", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.setACL(p, Ids.OPEN_ACL_UNSAFE, -1))
        .isInstanceOf(KeeperException.NoAuthException.class);
    // deleting the node itself needs DELETE on its parent, which is open
    anonymous.delete(p, -1);
  }

  @Test
  void creatorAllAclExpandsToTheCallersAuthenticatedIdentities() throws Exception {
    assertThatThrownBy(
            () -> anonymous.create(root + "/x", null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT))
        .as("no authenticated identity to expand 'auth' to")
        .isInstanceOf(KeeperException.InvalidACLException.class);

    String p = root + "/mine";
    alice.create(p, bytes("a"), Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
    assertThat(alice.getACL(p, null)).containsExactly(digest(Perms.ALL, ALICE));
    assertThat(alice.getData(p, false, null)).asString().isEqualTo("a");
    ZooKeeper bob = clients.connectAs(BOB);
    assertThatThrownBy(() -> bob.getData(p, false, null))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.getData(p, false, null))
        .isInstanceOf(KeeperException.NoAuthException.class);

    // two identities: one entry each, with the same permissions (ADMIN, so getACL is unmasked)
    Clients.authenticate(bob, ALICE);
    String both = root + "/both";
    bob.create(
        both,
        null,
        Acls.of(new ACL(Perms.READ | Perms.ADMIN, Ids.AUTH_IDS)),
        CreateMode.PERSISTENT);
    assertThat(bob.getACL(both, null))
        .containsExactlyInAnyOrder(
            digest(Perms.READ | Perms.ADMIN, ALICE), digest(Perms.READ | Perms.ADMIN, BOB));
  }

  @Test
  void digestAclGrantsExactlyTheListedPermissions() throws Exception {
    String p = root + "/d";
    anonymous.create(
        p,
        bytes("d"),
        Acls.of(digest(Perms.READ, ALICE), digest(Perms.ALL, BOB)),
        CreateMode.PERSISTENT);
    assertThat(alice.getData(p, false, null)).asString().isEqualTo("d");
    assertThatThrownBy(() -> alice.setData(p, null, -1))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.getData(p, false, null))
        .isInstanceOf(KeeperException.NoAuthException.class);
    ZooKeeper bob = clients.connectAs(BOB);
    bob.setData(p, bytes("by bob"), -1);
    // a wrong password is just another identity
    ZooKeeper mallory = clients.connectAs("alice:wrong");
    assertThatThrownBy(() -> mallory.getData(p, false, null))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void ipAclMatchesTheConnectionsAddress() throws Exception {
    anonymous.create(
        root + "/lo", null, Acls.of(Acls.acl(Perms.ALL, "ip", "127.0.0.1")), CreateMode.PERSISTENT);
    anonymous.create(
        root + "/net",
        null,
        Acls.of(Acls.acl(Perms.ALL, "ip", "127.0.0.0/8")),
        CreateMode.PERSISTENT);
    anonymous.create(
        root + "/other",
        null,
        Acls.of(Acls.acl(Perms.ALL, "ip", "10.1.2.3")),
        CreateMode.PERSISTENT);
    anonymous.create(
        root + "/othernet",
        null,
        Acls.of(Acls.acl(Perms.ALL, "ip", "10.0.0.0/8")),
        CreateMode.PERSISTENT);
    anonymous.setData(root + "/lo", bytes("ok"), -1);
    anonymous.setData(root + "/net", bytes("ok"), -1);
    assertThatThrownBy(() -> anonymous.getData(root + "/other", false, null))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.getData(root + "/othernet", false, null))
        .isInstanceOf(KeeperException.NoAuthException.class);
    // the ip scheme is accepted for addAuthInfo and adds nothing new
    anonymous.addAuthInfo("ip", new byte[0]);
    assertThat(anonymous.whoAmI()).containsExactly(new ClientInfo("ip", "127.0.0.1"));
  }

  @Test
  void superUserPassesEveryCheck() throws Exception {
    String p = root + "/locked";
    alice.create(p, bytes("a"), Acls.of(digest(Perms.ALL, ALICE)), CreateMode.PERSISTENT);
    alice.create(p + "/child", null, Acls.of(digest(Perms.ALL, ALICE)), CreateMode.PERSISTENT);
    assertThatThrownBy(() -> anonymous.getData(p, false, null))
        .isInstanceOf(KeeperException.NoAuthException.class);
    ZooKeeper root = clients.connectAs(Target.SUPER_CREDENTIALS);
    assertThat(root.getData(p, false, null)).asString().isEqualTo("a");
    assertThat(root.getACL(p, null))
        .containsExactly(digest(Perms.ALL, ALICE)); // unmasked: super is admin
    root.setData(p, bytes("super"), -1);
    root.create(p + "/new", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    root.delete(p + "/child", -1);
    root.setACL(p, Ids.READ_ACL_UNSAFE, -1);
    assertThat(anonymous.getData(p, false, null)).asString().isEqualTo("super");
    // a wrong super password is an ordinary digest identity
    ZooKeeper notRoot = clients.connectAs("super:guess");
    assertThatThrownBy(() -> notRoot.setData(p, null, -1))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void noAuthChecksComeBeforeExistenceChecks() throws Exception {
    String p = root + "/closed";
    // everything but CREATE and DELETE
    anonymous.create(
        p,
        null,
        Acls.of(Acls.acl(Perms.READ | Perms.WRITE | Perms.ADMIN, "world", "anyone")),
        CreateMode.PERSISTENT);
    ZooKeeper su = clients.connectAs(Target.SUPER_CREDENTIALS);
    su.create(p + "/there", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    // delete checks DELETE on the parent before the node exists (reference §7.2)
    assertThatThrownBy(() -> anonymous.delete(p + "/missing", -1))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.delete(p + "/there", 5))
        .isInstanceOf(KeeperException.NoAuthException.class);
    // create checks CREATE on the parent before the node exists (§7.1)
    assertThatThrownBy(
            () -> anonymous.create(p + "/there", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(KeeperException.NoAuthException.class);
    // but a missing parent is NoNode, whatever the ACLs above it
    assertThatThrownBy(
            () -> anonymous.create(p + "/nope/x", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
        .isInstanceOf(KeeperException.NoNodeException.class);

    String hidden = root + "/hidden";
    alice.create(hidden, bytes("h"), Acls.of(digest(Perms.ALL, ALICE)), CreateMode.PERSISTENT);
    assertThatThrownBy(() -> anonymous.exists(hidden, false))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.getChildren(hidden, false))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> anonymous.getAllChildrenNumber(hidden))
        .isInstanceOf(KeeperException.NoAuthException.class);
    // setData checks WRITE before the version
    assertThatThrownBy(() -> anonymous.setData(hidden, null, 42))
        .isInstanceOf(KeeperException.NoAuthException.class);
    // setACL checks ADMIN before the version
    assertThatThrownBy(() -> anonymous.setACL(hidden, Ids.OPEN_ACL_UNSAFE, 42))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  @Test
  void invalidAclsAreRefused() throws Exception {
    List<List<ACL>> invalid =
        List.of(
            Acls.of(Acls.acl(Perms.ALL, "world", "someone")),
            Acls.of(Acls.acl(Perms.ALL, "digest", "no-colon")),
            Acls.of(Acls.acl(Perms.ALL, "nosuchscheme", "x")),
            Acls.of(Acls.acl(Perms.ALL, "ip", "300.1.2.3")),
            Acls.of(Acls.acl(Perms.ALL, "ip", "127.0.0.1/33")),
            Acls.of(Acls.acl(Perms.ALL, "auth", "")));
    for (List<ACL> acl : invalid) {
      assertThatThrownBy(() -> anonymous.create(root + "/bad", null, acl, CreateMode.PERSISTENT))
          .as("create with %s", acl)
          .isInstanceOf(KeeperException.InvalidACLException.class);
      assertThatThrownBy(() -> anonymous.setACL(root, acl, -1))
          .as("setACL with %s", acl)
          .isInstanceOf(KeeperException.InvalidACLException.class);
    }
    assertThat(anonymous.exists(root + "/bad", false)).isNull();
  }

  @Test
  void duplicateEntriesAreStoredOnce() throws Exception {
    String p = root + "/dup";
    anonymous.create(
        p,
        null,
        Acls.of(
            Acls.acl(Perms.ALL, "world", "anyone"),
            Acls.acl(Perms.ALL, "world", "anyone"),
            Acls.acl(Perms.READ, "ip", "127.0.0.1")),
        CreateMode.PERSISTENT);
    assertThat(anonymous.getACL(p, null))
        .containsExactly(
            Acls.acl(Perms.ALL, "world", "anyone"), Acls.acl(Perms.READ, "ip", "127.0.0.1"));
  }

  @Test
  void authWithAnUnknownSchemeFailsAndClosesTheConnection() throws Exception {
    try (TcpProxy proxy = new TcpProxy(target.connectString())) {
      proxy.holdServerSide(true); // the client closes too; only the server's own close counts
      Events events = new Events();
      ZooKeeper zk = clients.connect(proxy.connectString(), Clients.SESSION_TIMEOUT_MS, events);
      zk.addAuthInfo("nosuchscheme", bytes("whatever"));
      events.awaitState(KeeperState.AuthFailed);
      assertThat(zk.getState()).isEqualTo(ZooKeeper.States.AUTH_FAILED);
      assertThatThrownBy(() -> zk.exists(root, false))
          .isInstanceOf(KeeperException.AuthFailedException.class);
      // the server hung up, and the client did not come back
      await().atMost(Duration.ofSeconds(Events.WAIT_S)).until(() -> proxy.closedByServer() == 1);
      assertThat(proxy.accepted()).isEqualTo(1);
      // the server and everybody else carry on
      assertThat(anonymous.exists(root, false)).isNotNull();
    }
  }

  @Test
  void superUserIdentityIsReportedByWhoAmI() throws Exception {
    ZooKeeper su = clients.connectAs(Target.SUPER_CREDENTIALS);
    assertThat(su.whoAmI())
        .containsExactlyInAnyOrder(
            new ClientInfo("ip", "127.0.0.1"),
            new ClientInfo("digest", "super"),
            new ClientInfo("super", ""));
  }

  /**
   * ZooKeeper's DigestAuthenticationProvider never rejects digest credentials: without a colon the
   * whole text is the user name and the hash covers it (generateDigest splits on the first ':' only
   * to find the user). Checked against the embedded ZooKeeper 3.9.4.
   */
  @Test
  void digestCredentialsWithoutAColonAreHashedAsTheyAre() throws Exception {
    Events events = new Events();
    ZooKeeper zk = clients.connect(events);
    zk.addAuthInfo("digest", bytes("nocolon"));
    assertThat(zk.whoAmI()).contains(new ClientInfo("digest", "nocolon"));
    assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
    assertThat(events.statesSeen()).doesNotContain(KeeperState.AuthFailed);
    String p = root + "/nocolon";
    zk.create(p, null, Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
    assertThat(zk.getACL(p, null)).containsExactly(new ACL(Perms.ALL, Acls.digestId("nocolon")));
  }
}
