package io.warden.coordinator.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.protocol.Acl;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Id;
import io.warden.protocol.Perms;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance against a real, embedded ZooKeeper 3.9 standalone server through the official
 * client: the same random writes, reads and multis, issued by differently authenticated
 * sessions (two digest users, an anonymous one, a super user), must give the same error codes,
 * the same results (sequential names, masked ACLs, multi results with rollback) and the same
 * tree (data, children, ACLs, and every Stat field except the zxids and times, which the server
 * assigns itself; those are covered by ZooKeeperDataTreeDifferentialTest). This is where the
 * request pipeline's check order (PrepRequestProcessor) and ACL handling are checked against the
 * original. Prints its seed ({@code -Dwarden.tree.seed=N} replays it). Needs metrics-core and
 * snappy-java on the test classpath (see ZkOracle); skipped otherwise.
 */
class ZooKeeperServerConformanceTest {
  private static final String SUPER_PASSWORD = "super:s3cret";
  private static final String[] NAMES = {"a", "b", "c"};
  private static final String[] PROPERTIES = {"zookeeper.extendedTypesEnabled",
      "zookeeper.DigestAuthenticationProvider.superDigest", "zookeeper.forceSync"};

  private static final java.util.Set<ErrorCode> INTERESTING = java.util.EnumSet.of(
      ErrorCode.OK, ErrorCode.NO_NODE, ErrorCode.NO_AUTH, ErrorCode.BAD_VERSION,
      ErrorCode.NODE_EXISTS, ErrorCode.NOT_EMPTY, ErrorCode.INVALID_ACL,
      ErrorCode.BAD_ARGUMENTS, ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
  private static final List<String> previous = new ArrayList<>();
  private static ServerCnxnFactory factory;
  private static ZooKeeperServer server;

  private final List<ZooKeeper> clients = new ArrayList<>();
  private final List<Caller> callers = new ArrayList<>();
  private DataTree ours;
  private Random random;
  private long zxid;

  @BeforeAll
  static void startServer(@TempDir Path dir) throws Exception {
    ZkOracle.requireEmbeddedServer();
    String[] values = {"true", DigestAuthHelper.superDigest(SUPER_PASSWORD), "no"};
    for (int i = 0; i < PROPERTIES.length; i++) {
      previous.add(System.setProperty(PROPERTIES[i], values[i]));
    }
    File data = dir.toFile();
    server = new ZooKeeperServer(data, data, 2000);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
    factory.startup(server);
  }

  @AfterAll
  static void stopServer() {
    if (factory != null) {
      factory.shutdown();
      server.shutdown();
    }
    for (int i = 0; i < previous.size(); i++) {
      if (previous.get(i) == null) {
        System.clearProperty(PROPERTIES[i]);
      } else {
        System.setProperty(PROPERTIES[i], previous.get(i));
      }
    }
  }

  /** Connects a session; {@code digest} (user:password) or null for an anonymous one. */
  private void connect(String digest) throws Exception {
    ZooKeeper zk = new ZooKeeper("127.0.0.1:" + factory.getLocalPort(), 30_000, e -> { });
    await().atMost(Duration.ofSeconds(30)).until(() -> zk.getState().isConnected());
    List<Id> ids = new ArrayList<>(List.of(new Id("ip", "127.0.0.1")));
    if (digest != null) {
      zk.addAuthInfo("digest", digest.getBytes(StandardCharsets.UTF_8));
      // addAuthInfo is asynchronous: wait until the server reports the identity, or the first
      // operations of this session could still run unauthenticated (a harness race, not a
      // difference between the trees).
      String user = digest.substring(0, digest.indexOf(':'));
      await().atMost(Duration.ofSeconds(30)).until(() -> zk.whoAmI().stream()
          .anyMatch(c -> c.getAuthScheme().equals("digest") && c.getUser().equals(user)));
      if (digest.equals(SUPER_PASSWORD)) {
        ids.add(new Id("super", ""));
      }
      ids.add(Fixtures.digest(digest));
    }
    clients.add(zk);
    callers.add(new Caller(zk.getSessionId(), ids));
  }

  @Test
  void randomOperationsMatchTheRealServer() throws Exception {
    long seed = RandomOps.seed("randomOperationsMatchTheRealServer");
    random = new Random(seed);
    connect("alice:secret");
    connect("bob:pw");
    connect(null);
    connect(SUPER_PASSWORD);
    ours = DataTree.initial();
    try {
      // At least 800 steps, and on until every interesting error has been produced (so no seed
      // can pass without exercising them), with a hard cap.
      for (int i = 0; i < 800 || (i < 6000 && !seen.keySet().containsAll(INTERESTING)); i++) {
        String what = step();
        if (i % 40 == 39) {
          assertThat(dump(ours)).as("after step %d %s (seed %d)", i, what, seed)
              .isEqualTo(serverDump());
        }
      }
      assertThat(dump(ours)).isEqualTo(serverDump());
      System.out.println("final tree: " + ours.nodeCount() + " nodes; server codes seen: " + seen);
      assertThat(seen.keySet()).as("the workload must reach the interesting errors").containsAll(INTERESTING);
    } finally {
      for (ZooKeeper zk : clients) {
        zk.close();
      }
    }
  }

  private String step() throws Exception {
    zxid++;
    int who = random.nextInt(clients.size());
    ZooKeeper zk = clients.get(who);
    Caller caller = callers.get(who);
    int kind = random.nextInt(100);
    String context;
    if (kind < 35) {
      context = create(zk, caller);
    } else if (kind < 50) {
      String path = random.nextInt(10) == 0 ? protectedPath() : path();
      int version = random.nextInt(3) - 1;
      ErrorCode expected = ours.delete(path, version, caller, zxid).code();
      context = "delete " + path;
      assertThat(code(() -> zk.delete(path, version))).as(context).isEqualTo(expected);
    } else if (kind < 62) {
      String path = path();
      int version = random.nextInt(3) - 1;
      byte[] data = data();
      Result<io.warden.protocol.Stat> mine = ours.setData(path, data, version, caller, zxid, 0);
      context = "setData " + path;
      assertThat(code(() -> zk.setData(path, data, version))).as(context).isEqualTo(mine.code());
    } else if (kind < 70) {
      String path = path();
      int version = random.nextInt(3) - 1;
      List<Acl> acl = acl();
      Result<io.warden.protocol.Stat> mine = ours.setAcl(path, acl, version, caller, zxid);
      context = "setACL " + path + " " + acl;
      assertThat(code(() -> zk.setACL(path, ZkOracle.toZkAcl(acl), version))).as(context)
          .isEqualTo(mine.code());
    } else if (kind < 90) {
      context = read(zk, caller, path());
    } else {
      context = multi(zk, caller);
    }
    return context;
  }

  private String create(ZooKeeper zk, Caller caller) throws Exception {
    io.warden.protocol.CreateMode mode =
        io.warden.protocol.CreateMode.values()[random.nextInt(7)];
    String path = mode.isSequential() && random.nextBoolean() ? path() + "/" : path();
    byte[] data = data();
    List<Acl> acl = acl();
    long ttl = mode.isTtl() ? 60_000 : -1;
    Result<Created> mine = ours.create(path, data, acl, mode, ttl, caller, zxid, 0);
    String context = "create " + path + " " + mode + " " + acl;
    org.apache.zookeeper.CreateMode zkMode = org.apache.zookeeper.CreateMode.fromFlag(mode.flag());
    String[] created = new String[1];
    ErrorCode theirs = code(() -> created[0] = zk.create(path, data, ZkOracle.toZkAcl(acl), zkMode,
        new org.apache.zookeeper.data.Stat(), ttl));
    assertThat(theirs).as(context).isEqualTo(mine.code());
    if (mine.isOk()) {
      assertThat(created[0]).as(context).isEqualTo(mine.value().path());
    }
    return context;
  }

  private String read(ZooKeeper zk, Caller caller, String path) throws Exception {
    String context = "reads of " + path + " by " + caller.ids();
    assertThat(code(() -> zk.getData(path, false, null))).as(context)
        .isEqualTo(ours.getData(path, caller).code());
    assertThat(code(() -> zk.getChildren(path, false))).as(context)
        .isEqualTo(ours.getChildren(path, caller).code());
    Result<io.warden.protocol.Stat> exists = ours.exists(path, caller);
    org.apache.zookeeper.data.Stat[] stat = new org.apache.zookeeper.data.Stat[1];
    ErrorCode existsCode = code(() -> stat[0] = zk.exists(path, false));
    assertThat(existsCode == ErrorCode.OK && stat[0] == null ? ErrorCode.NO_NODE : existsCode)
        .as(context).isEqualTo(exists.code());
    Result<AclAndStat> mine = ours.getAcl(path, caller);
    List<ACL>[] theirs = new List[1];
    assertThat(code(() -> theirs[0] = zk.getACL(path, new org.apache.zookeeper.data.Stat())))
        .as(context).isEqualTo(mine.code());
    if (mine.isOk()) {
      assertThat(ZkOracle.fromZkAcl(theirs[0])).as(context).isEqualTo(mine.value().acl());
    }
    return context;
  }

  /** A multi of 2–4 sub-ops; on failure our tree rolls back to its mark, as the fsm will. */
  private String multi(ZooKeeper zk, Caller caller) throws Exception {
    List<Op> ops = new ArrayList<>();
    List<ErrorCode> mine = new ArrayList<>();
    Mark mark = ours.mark();
    int count = 2 + random.nextInt(3);
    boolean failed = false;
    for (int i = 0; i < count; i++) {
      String path = path();
      ErrorCode code;
      switch (random.nextInt(4)) {
        case 0 -> {
          String parent = path + "/";
          ops.add(Op.create(parent, null, ZkOracle.toZkAcl(Acl.OPEN_ACL_UNSAFE),
              org.apache.zookeeper.CreateMode.PERSISTENT_SEQUENTIAL));
          code = failed ? ErrorCode.RUNTIME_INCONSISTENCY : ours.create(parent, null,
              Acl.OPEN_ACL_UNSAFE, io.warden.protocol.CreateMode.PERSISTENT_SEQUENTIAL, -1,
              caller, zxid, 0).code();
        }
        case 1 -> {
          ops.add(Op.create(path, null, ZkOracle.toZkAcl(Acl.OPEN_ACL_UNSAFE),
              org.apache.zookeeper.CreateMode.PERSISTENT));
          code = failed ? ErrorCode.RUNTIME_INCONSISTENCY : ours.create(path, null,
              Acl.OPEN_ACL_UNSAFE, io.warden.protocol.CreateMode.PERSISTENT, -1, caller, zxid, 0)
              .code();
        }
        case 2 -> {
          ops.add(Op.delete(path, -1));
          code = failed ? ErrorCode.RUNTIME_INCONSISTENCY
              : ours.delete(path, -1, caller, zxid).code();
        }
        default -> {
          int version = random.nextInt(2) - 1;
          ops.add(Op.check(path, version));
          code = failed ? ErrorCode.RUNTIME_INCONSISTENCY : ours.check(path, version, caller);
        }
      }
      mine.add(code);
      failed |= code != ErrorCode.OK && code != ErrorCode.RUNTIME_INCONSISTENCY;
    }
    if (failed) {
      ours.rollback(mark);
    }
    List<ErrorCode> theirs = new ArrayList<>();
    try {
      for (OpResult r : zk.multi(ops)) {
        theirs.add(ErrorCode.OK);
      }
    } catch (KeeperException e) {
      for (OpResult r : e.getResults()) {
        theirs.add(ErrorCode.of(((OpResult.ErrorResult) r).getErr()));
      }
    }
    String context = "multi " + ops.stream().map(Op::getPath).toList();
    assertThat(theirs).as(context).isEqualTo(mine);
    return context;
  }

  private String path() {
    StringBuilder sb = new StringBuilder();
    int depth = 1 + random.nextInt(3);
    for (int i = 0; i < depth; i++) {
      sb.append('/').append(NAMES[random.nextInt(NAMES.length)]);
    }
    return sb.toString();
  }

  private String protectedPath() {
    return List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")
        .get(random.nextInt(4));
  }

  private byte[] data() {
    int kind = random.nextInt(3);
    return kind == 0 ? null : kind == 1 ? new byte[0] : new byte[] {(byte) random.nextInt()};
  }

  private List<Acl> acl() {
    Id alice = Fixtures.digest("alice:secret");
    Id bob = Fixtures.digest("bob:pw");
    return switch (random.nextInt(10)) {
      case 0 -> Acl.READ_ACL_UNSAFE;
      case 1 -> Acl.CREATOR_ALL_ACL;
      case 2 -> List.of(new Acl(Perms.ALL, alice), new Acl(Perms.READ, bob));
      case 3 -> List.of(new Acl(Perms.ALL & ~Perms.DELETE & ~Perms.CREATE, Id.ANYONE));
      case 4 -> List.of(new Acl(Perms.ALL, new Id("ip", "127.0.0.1")));
      case 5 -> List.of(new Acl(Perms.ALL, new Id("ip", "10.0.0.0/8")), new Acl(Perms.ADMIN, bob));
      case 6 -> List.of(new Acl(Perms.ALL, new Id(random.nextBoolean() ? "world" : "digest",
          "bad")));
      default -> Acl.OPEN_ACL_UNSAFE;
    };
  }

  private interface ZkCall {
    void run() throws Exception;
  }

  private final java.util.Map<ErrorCode, Integer> seen = new java.util.EnumMap<>(ErrorCode.class);

  private ErrorCode code(ZkCall call) throws Exception {
    ErrorCode code;
    try {
      call.run();
      code = ErrorCode.OK;
    } catch (KeeperException e) {
      code = ErrorCode.of(e.code().intValue());
    }
    seen.merge(code, 1, Integer::sum);
    return code;
  }

  /** Everything but zxids and times, for every node, as seen by the super session. */
  private TreeMap<String, String> serverDump() throws Exception {
    ZooKeeper zk = clients.get(clients.size() - 1);
    TreeMap<String, String> out = new TreeMap<>();
    List<String> pending = new ArrayList<>(List.of("/"));
    while (!pending.isEmpty()) {
      String path = pending.remove(pending.size() - 1);
      org.apache.zookeeper.data.Stat s = new org.apache.zookeeper.data.Stat();
      byte[] data = zk.getData(path, false, s);
      List<Acl> acl = ZkOracle.fromZkAcl(zk.getACL(path, new org.apache.zookeeper.data.Stat()));
      List<String> children = new ArrayList<>(zk.getChildren(path, false));
      out.put(path, describe(data, s.getVersion(), s.getCversion(), s.getAversion(),
          s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren(), acl, children));
      for (String c : children) {
        pending.add(path.equals("/") ? "/" + c : path + "/" + c);
      }
    }
    return out;
  }

  private static TreeMap<String, String> dump(DataTree tree) {
    TreeMap<String, String> out = new TreeMap<>();
    List<String> pending = new ArrayList<>(List.of("/"));
    while (!pending.isEmpty()) {
      String path = pending.remove(pending.size() - 1);
      DataAndStat ds = tree.getData(path, Fixtures.SUPER).value();
      io.warden.protocol.Stat s = ds.stat();
      List<String> children = new ArrayList<>(
          tree.getChildren(path, Fixtures.SUPER).value().children());
      out.put(path, describe(ds.data(), s.version(), s.cversion(), s.aversion(),
          s.ephemeralOwner(), s.dataLength(), s.numChildren(), tree.aclOrNull(path), children));
      for (String c : children) {
        pending.add(path.equals("/") ? "/" + c : path + "/" + c);
      }
    }
    return out;
  }

  private static String describe(byte[] data, int version, int cversion, int aversion,
      long owner, int dataLength, int numChildren, List<Acl> acl, List<String> children) {
    children.sort(null);
    return "data=" + (data == null ? "null" : java.util.HexFormat.of().formatHex(data))
        + " v=" + version + " cv=" + cversion + " av=" + aversion + " owner=" + owner
        + " len=" + dataLength + " n=" + numChildren + " acl=" + acl + " children=" + children;
  }

  /** The super digest configured on the server for {@code super:password}. */
  private static final class DigestAuthHelper {
    static String superDigest(String userColonPassword) {
      return io.warden.protocol.DigestAuth.digestId(userColonPassword);
    }
  }
}
