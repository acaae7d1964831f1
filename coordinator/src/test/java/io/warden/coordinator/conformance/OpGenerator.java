package io.warden.coordinator.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;

/**
 * Random operations for the differential test, from a seeded Random. Paths come from a small
 * namespace under {@link #BASE} so that operations collide (exists, missing parents, ephemeral
 * parents, non-empty deletes), plus the built-in nodes and paths the client refuses. Paths that
 * operations created are remembered, so later ones find them (sequential names included).
 */
final class OpGenerator {
  static final String BASE = "/d";

  /** Long enough that no TTL node expires during a run (neither server reaps in this test). */
  static final long TTL_MS = 3_600_000;

  private static final String[] NAMES = {"a", "b", "c", "n-"};
  private static final String[] SPECIAL = {
    "/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"
  };
  private static final String[] ODD = {"/d/a/", "/d/.", "/d/..", "d", "", "/d//a", "/d/a\u0001"};
  private static final CreateMode[] MODES = CreateMode.values();
  private static final int KNOWN_MAX = 300;

  private final Random random;
  private final int sessions;
  private final LinkedHashSet<String> known = new LinkedHashSet<>(List.of(BASE));

  /** Where watches were set, by whom. */
  private final List<DiffOp.RemoveWatches> watched = new ArrayList<>();

  OpGenerator(Random random, int sessions) {
    this.random = random;
    this.sessions = sessions;
  }

  /** Remembers what an operation created; forgets a path once it was deleted. */
  void observe(DiffOp op, DiffOp.Outcome outcome) {
    for (String p : outcome.created()) {
      known.add(p);
    }
    if (op instanceof DiffOp.Delete d && outcome.text().equals("OK") && !d.path().equals(BASE)) {
      known.remove(d.path());
    }
    while (known.size() > KNOWN_MAX) {
      String oldest = known.iterator().next();
      known.remove(oldest);
    }
  }

  DiffOp next() {
    int s = random.nextInt(sessions);
    int dice = random.nextInt(101);
    if (dice < 20) {
      return create(s);
    } else if (dice < 29) {
      return new DiffOp.Delete(s, path(), version());
    } else if (dice < 38) {
      return new DiffOp.SetData(s, path(), data(), version());
    } else if (dice < 43) {
      return new DiffOp.SetAcl(s, aclPath(), acl(), version());
    } else if (dice < 50) {
      return new DiffOp.GetData(s, path());
    } else if (dice < 54) {
      return new DiffOp.Exists(s, path());
    } else if (dice < 59) {
      return new DiffOp.GetChildren(s, path());
    } else if (dice < 62) {
      return new DiffOp.GetAcl(s, path());
    } else if (dice < 64) {
      return new DiffOp.AllChildrenNumber(s, path());
    } else if (dice < 66) {
      return new DiffOp.Ephemerals(s, random.nextBoolean() ? "/" : path());
    } else if (dice < 78) {
      return new DiffOp.Multi(s, writeOps());
    } else if (dice < 84) {
      return new DiffOp.Multi(s, readOps());
    } else if (dice < 96) {
      return watch(s);
    } else if (dice < 100) {
      return removeWatches(s);
    }
    return new DiffOp.Restart(s);
  }

  private static final DiffOp.WatchKind[] WATCH_KINDS = DiffOp.WatchKind.values();
  private static final WatcherType[] WATCHER_TYPES = WatcherType.values();

  private DiffOp watch(int s) {
    String p = path();
    watched.add(new DiffOp.RemoveWatches(s, p, WatcherType.Any, false));
    return new DiffOp.Watch(s, p, WATCH_KINDS[random.nextInt(WATCH_KINDS.length)]);
  }

  /**
   * Mostly by a session on a path it watched, so removal finds something now and then; by type
   * (removeWatches) or for the session's watcher object (checkWatches on the wire).
   */
  private DiffOp removeWatches(int s) {
    WatcherType type = WATCHER_TYPES[random.nextInt(WATCHER_TYPES.length)];
    boolean byWatcher = random.nextBoolean();
    if (watched.isEmpty() || random.nextInt(4) == 0) {
      return new DiffOp.RemoveWatches(s, path(), type, byWatcher);
    }
    DiffOp.RemoveWatches w = watched.get(random.nextInt(watched.size()));
    return new DiffOp.RemoveWatches(w.session(), w.path(), type, byWatcher);
  }

  private DiffOp create(int s) {
    CreateMode mode = MODES[random.nextInt(MODES.length)];
    long ttl = mode.isTTL() ? ttl() : -1;
    return new DiffOp.Create(s, createPath(), data(), acl(), mode, ttl, random.nextBoolean());
  }

  private long ttl() {
    int dice = random.nextInt(20);
    return dice == 0 ? 0 : dice == 1 ? (1L << 40) : TTL_MS; // the client refuses the first two
  }

  private List<Op> writeOps() {
    int n = 1 + random.nextInt(4);
    List<Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          CreateMode mode = MODES[random.nextInt(MODES.length)];
          ops.add(
              mode.isTTL()
                  ? Op.create(createPath(), bytes(data()), acl(), mode, TTL_MS)
                  : Op.create(createPath(), bytes(data()), acl(), mode));
        }
        case 2 -> ops.add(Op.delete(path(), version()));
        case 3 -> ops.add(Op.setData(path(), bytes(data()), version()));
        default -> ops.add(Op.check(path(), version()));
      }
    }
    return ops;
  }

  private List<Op> readOps() {
    int n = 1 + random.nextInt(4);
    List<Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ops.add(random.nextBoolean() ? Op.getData(path()) : Op.getChildren(path()));
    }
    return ops;
  }

  /** A path to act on: mostly one that exists or did, sometimes a new or special one. */
  private String path() {
    int dice = random.nextInt(100);
    if (dice < 55) {
      return known();
    } else if (dice < 75) {
      return known() + "/" + name();
    } else if (dice < 90) {
      return grammarPath();
    } else if (dice < 96) {
      return SPECIAL[random.nextInt(SPECIAL.length)];
    }
    return ODD[random.nextInt(ODD.length)];
  }

  /**
   * Where to create: mostly under known nodes (which may be ephemeral), never in /zookeeper/quota.
   */
  private String createPath() {
    int dice = random.nextInt(100);
    if (dice < 60) {
      return known() + "/" + name();
    } else if (dice < 80) {
      return grammarPath();
    } else if (dice < 90) {
      return known();
    } else if (dice < 95) {
      return random.nextBoolean() ? "/zookeeper/x" : "/";
    }
    return ODD[random.nextInt(ODD.length)];
  }

  /**
   * setACL never on the root or /zookeeper: locking everybody out would end the interesting part.
   */
  private String aclPath() {
    String p = path();
    return p.equals("/") || p.equals("/zookeeper") || p.equals("/zookeeper/quota")
        ? BASE + "/a"
        : p;
  }

  private String known() {
    int i = random.nextInt(known.size());
    for (String p : known) {
      if (i-- == 0) {
        return p;
      }
    }
    throw new IllegalStateException("index past the known paths");
  }

  private String grammarPath() {
    StringBuilder sb = new StringBuilder(BASE);
    int depth = 1 + random.nextInt(3);
    for (int i = 0; i < depth; i++) {
      sb.append('/').append(name());
    }
    return sb.toString();
  }

  private String name() {
    return NAMES[random.nextInt(NAMES.length)];
  }

  private int version() {
    return random.nextBoolean() ? -1 : random.nextInt(3);
  }

  private String data() {
    return switch (random.nextInt(6)) {
      case 0 -> null;
      case 1 -> "";
      default -> "v" + random.nextInt(1000);
    };
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  /** ACL lists, valid and invalid, for creates and setACL. */
  private List<ACL> acl() {
    return switch (random.nextInt(18)) {
      case 0, 1, 2, 3, 4 -> Ids.OPEN_ACL_UNSAFE;
      case 5 -> Ids.READ_ACL_UNSAFE;
      case 6 -> Ids.CREATOR_ALL_ACL;
      case 7 -> Acls.of(new ACL(Perms.ALL, Acls.digestId("alice:secret")));
      case 8 ->
          Acls.of(
              new ACL(Perms.READ | Perms.WRITE, Acls.digestId("bob:pw")),
              Acls.acl(Perms.CREATE | Perms.DELETE, "world", "anyone"));
      case 9 ->
          Acls.of(Acls.acl(Perms.ALL, "ip", "127.0.0.1"), Acls.acl(Perms.ALL, "ip", "127.0.0.1"));
      case 10 ->
          Acls.of(Acls.acl(Perms.ALL, "ip", "10.0.0.0/8"), Acls.acl(Perms.READ, "world", "anyone"));
      case 11 -> Acls.of(Acls.acl(Perms.ADMIN, "world", "anyone"));
      case 12 ->
          Acls.of(
              new ACL(Perms.READ | Perms.ADMIN, Ids.AUTH_IDS),
              Acls.acl(Perms.READ, "world", "anyone"));
      case 13 -> Acls.of(Acls.acl(Perms.ALL, "world", "someone"));
      case 14 ->
          Acls.of(Acls.acl(Perms.ALL, random.nextBoolean() ? "digest" : "nosuchscheme", "nocolon"));
      case 15 ->
          Acls.of(Acls.acl(Perms.ALL, "ip", random.nextBoolean() ? "1.2.3.300" : "127.0.0.1/99"));
      case 16 -> Acls.of(ODD_ACLS[random.nextInt(ODD_ACLS.length)]);
      default ->
          Acls.of(
              ODD_ACLS[random.nextInt(ODD_ACLS.length)], ODD_ACLS[random.nextInt(ODD_ACLS.length)]);
    };
  }

  /** Entries at the edges of validation: perms bits, id shapes, schemes nobody configured. */
  private static final ACL[] ODD_ACLS = {
    Acls.acl(0, "world", "anyone"),
    Acls.acl(63, "world", "anyone"),
    Acls.acl(-1, "world", "anyone"),
    Acls.acl(Perms.ALL, "world", "ANYONE"),
    Acls.acl(Perms.ALL, "digest", "a:b:c"),
    Acls.acl(Perms.ALL, "digest", "a:"),
    Acls.acl(Perms.ALL, "digest", ":b"),
    Acls.acl(Perms.ALL, "ip", "::1"),
    Acls.acl(Perms.ALL, "ip", "0:0:0:0:0:0:0:1/128"),
    Acls.acl(Perms.ALL, "ip", "127.0.0.1/0"),
    Acls.acl(Perms.ALL, "ip", "127.1"),
    Acls.acl(Perms.ALL, "ip", ""),
    Acls.acl(Perms.READ, "auth", "ignored"),
    Acls.acl(Perms.ALL, "super", ""),
    Acls.acl(Perms.ALL, "sasl", "alice"),
    Acls.acl(Perms.ALL, "x509", "CN=alice"),
    Acls.acl(Perms.ALL, "", ""),
  };
}
