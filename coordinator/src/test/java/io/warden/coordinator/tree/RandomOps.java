package io.warden.coordinator.tree;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.Id;
import io.warden.protocol.Perms;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded random write workloads over a small path universe (so that creates, deletes and
 * errors collide often), and a full dump of a tree for comparisons. Tests using it print the
 * seed; {@code -Dwarden.tree.seed=N} replays one.
 */
final class RandomOps {
  static final String SEED_PROPERTY = "warden.tree.seed";
  private static final String[] NAMES = {"a", "b", "c"};
  private static final CreateMode[] MODES = CreateMode.values();
  private static final List<List<Acl>> ACLS = List.of(Acl.OPEN_ACL_UNSAFE, Acl.READ_ACL_UNSAFE,
      List.of(new Acl(Perms.ALL, Fixtures.digest("alice:secret"))),
      List.of(new Acl(Perms.READ | Perms.CREATE, Id.ANYONE),
          new Acl(Perms.ALL, new Id("ip", "10.0.0.0/8"))));

  private final Random random;
  private long zxid;

  RandomOps(long seed, long firstZxid) {
    this.random = new Random(seed);
    this.zxid = firstZxid;
  }

  /** The seed to use: the replay property if set, else a fresh one; printed either way. */
  static long seed(String testName) {
    String replay = System.getProperty(SEED_PROPERTY);
    long seed = replay != null ? Long.parseLong(replay) : new Random().nextLong();
    System.out.println(testName + " seed=" + seed + " (replay with -D" + SEED_PROPERTY + "="
        + seed + ")");
    return seed;
  }

  long zxid() {
    return zxid;
  }

  /** A path of depth 1–3 over a few names (may exist or not). */
  String path() {
    StringBuilder sb = new StringBuilder();
    int depth = 1 + random.nextInt(3);
    for (int i = 0; i < depth; i++) {
      sb.append('/').append(NAMES[random.nextInt(NAMES.length)]);
    }
    return sb.toString();
  }

  byte[] data() {
    return switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> new byte[0];
      default -> {
        byte[] b = new byte[random.nextInt(20)];
        random.nextBytes(b);
        yield b;
      }
    };
  }

  Caller caller() {
    long session = 1 + random.nextInt(3);
    return random.nextInt(5) == 0 ? Fixtures.user(session, "alice:secret")
        : Fixtures.session(session);
  }

  /** Applies one random write to {@code tree}; returns a description for failure messages. */
  String step(DataTree tree) {
    zxid++;
    long timeMs = zxid * 10;
    int kind = random.nextInt(100);
    if (kind < 45) {
      CreateMode mode = MODES[random.nextInt(MODES.length)];
      String path = mode.isSequential() && random.nextBoolean() ? path() + "/" : path();
      List<Acl> acl = ACLS.get(random.nextInt(ACLS.size()));
      Result<Created> r = tree.create(path, data(), acl, mode, mode.isTtl() ? 50 : -1, caller(),
          zxid, timeMs);
      return "create " + path + " " + mode + " -> " + r.code();
    }
    if (kind < 65) {
      String path = path();
      int version = random.nextInt(3) - 1;
      return "delete " + path + " v" + version + " -> " + tree.delete(path, version, caller(), zxid)
          .code();
    }
    if (kind < 85) {
      String path = path();
      int version = random.nextInt(3) - 1;
      return "setData " + path + " -> " + tree.setData(path, data(), version, caller(), zxid,
          timeMs).code();
    }
    if (kind < 90) {
      String path = path();
      List<Acl> acl = ACLS.get(random.nextInt(ACLS.size()));
      return "setAcl " + path + " -> " + tree.setAcl(path, acl, -1, caller(), zxid).code();
    }
    if (kind < 95) {
      String path = path();
      return "reap " + path + " -> " + tree.reap(path, zxid, timeMs);
    }
    long session = 1 + random.nextInt(3);
    return "removeEphemerals " + session + " -> " + tree.removeEphemerals(session, zxid);
  }

  /** Every node's path, Stat, data and ACL, in path order: two trees are equal iff these are. */
  static TreeMap<String, String> dump(DataTree tree) {
    TreeMap<String, String> out = new TreeMap<>();
    List<String> pending = new ArrayList<>(List.of("/"));
    while (!pending.isEmpty()) {
      String path = pending.remove(pending.size() - 1);
      DataAndStat ds = tree.getData(path, Fixtures.SUPER).value();
      byte[] data = ds.data();
      out.put(path, ds.stat() + " data=" + (data == null ? "null" : HexFormat.of().formatHex(data))
          + " acl=" + tree.aclOrNull(path));
      for (String child : tree.getChildren(path, Fixtures.SUPER).value().children()) {
        pending.add(path.equals("/") ? "/" + child : path + "/" + child);
      }
    }
    return out;
  }
}
