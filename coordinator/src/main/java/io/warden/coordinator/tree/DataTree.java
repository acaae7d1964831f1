package io.warden.coordinator.tree;

import io.warden.coordinator.tree.persistent.PersistentMap;
import io.warden.coordinator.tree.persistent.PersistentSet;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.Paths;
import io.warden.protocol.Perms;
import io.warden.protocol.Stat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The znode tree with ZooKeeper 3.9's semantics: the checks and their order of
 * PrepRequestProcessor (wire reference §7) and the Stat bookkeeping of DataTree (§6.1, §9).
 *
 * <p>A mutable handle over persistent roots ({@link TreeState}): every write replaces the roots
 * by new ones that share all unchanged structure. Hence {@link #mark()}/{@link #rollback} are
 * O(1) (a failed multi leaves no trace, sequence counters included) and {@link #image()} is an
 * O(1) frozen view that a snapshot thread serializes while writes go on (DESIGN.md D4).
 *
 * <p>Single-threaded: owned by the core thread; only {@link TreeImage}s cross threads. Writes
 * are deterministic functions of their arguments (zxid and time come from the log entry, the
 * caller's identities are stamped into it), so replicas stay identical, which the running
 * {@link #digest()} lets them verify (D5). Checks done by the caller before these methods: flag
 * and TTL validity, TTL enablement and the session (§7.1 steps 1–4, §7.2 step 1).
 *
 * <p>Byte arrays passed in become the tree's and must not be modified afterwards; arrays handed
 * out are the tree's and must not be modified either (no copies: data may be 1 MiB).
 */
public final class DataTree {
  private static final String ROOT = "/";
  private static final Set<String> PROTECTED =
      Set.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config");
  private static final long TTL_MAX_MS = (1L << 40) - 1;

  private PersistentMap<String, Znode> nodes;
  private PersistentMap<Long, PersistentSet<String>> ephemerals;
  private PersistentSet<String> reapable;
  private long digest;
  private long dataBytes;
  private int ephemeralCount;

  /** Changes not yet drained; {@code changeSeq} counts every change ever recorded. */
  private final List<Change> changes = new ArrayList<>();
  private long changeSeq;
  private long drainedSeq;
  private final AclInterner aclInterner = new AclInterner();

  private DataTree(TreeState state) {
    load(state);
  }

  /**
   * The tree of a fresh ZooKeeper 3.9 standalone server: {@code /}, {@code /zookeeper},
   * {@code /zookeeper/quota} (world:anyone ALL) and {@code /zookeeper/config} (world:anyone READ,
   * aversion -1 because ZooKeeper sets its ACL with version -1), all with empty data and zero
   * zxids and times. Their children were never "created", so {@code /} shows cversion -1 and
   * {@code /zookeeper} -2 (§9.2).
   */
  public static DataTree initial() {
    byte[] empty = new byte[0];
    PersistentMap<String, Znode> nodes = PersistentMap.empty();
    nodes = nodes.put(ROOT, builtIn(ROOT, empty, Acl.OPEN_ACL_UNSAFE, 0, "zookeeper"));
    nodes = nodes.put("/zookeeper",
        builtIn("/zookeeper", empty, Acl.OPEN_ACL_UNSAFE, 0, "quota", "config"));
    nodes = nodes.put("/zookeeper/quota",
        builtIn("/zookeeper/quota", empty, Acl.OPEN_ACL_UNSAFE, 0));
    nodes = nodes.put("/zookeeper/config",
        builtIn("/zookeeper/config", empty, Acl.READ_ACL_UNSAFE, -1));
    long digest = 0;
    long dataBytes = 0;
    for (var e : nodes) {
      digest += TreeHash.node(e.getValue());
      dataBytes += e.getKey().length();
    }
    return new DataTree(new TreeState(nodes, PersistentMap.empty(), PersistentSet.empty(),
        digest, dataBytes, 0));
  }

  private static Znode builtIn(String path, byte[] data, List<Acl> acl, int aversion,
      String... children) {
    PersistentSet<String> set = PersistentSet.empty();
    for (String c : children) {
      set = set.add(c);
    }
    return new Znode(data, acl, NodeKind.PERSISTENT, 0, 0, 0, 0, 0, 0, 0, aversion, 0, set,
        TreeHash.content(path, data, acl));
  }

  /** Rebuilds a tree from the chunks of {@link TreeImage#write}; verifies structure and digest. */
  public static DataTree restore(Iterator<byte[]> chunks) {
    return new DataTree(SnapshotFormat.read(chunks));
  }

  // ---------------------------------------------------------------------------------- writes

  /**
   * create/create2/createContainer/createTTL (§7.1), checks 5–12 in order: path has a '/' and no
   * NUL, ACL, parent exists, CREATE on the parent, sequential suffix, path rules, node exists,
   * parent ephemeral. The ephemeral owner is {@code caller.sessionId()}.
   */
  public Result<Created> create(String path, byte[] data, List<Acl> acl, CreateMode mode,
      long ttlMs, Caller caller, long zxid, long timeMs) {
    Objects.requireNonNull(mode, "mode");
    if (path == null || path.lastIndexOf('/') < 0 || path.indexOf('\0') >= 0) {
      return Result.error(ErrorCode.BAD_ARGUMENTS);
    }
    Result<List<Acl>> fixedAcl = AclPolicy.validate(acl, caller.ids());
    if (!fixedAcl.isOk()) {
      return Result.error(fixedAcl.code());
    }
    int lastSlash = path.lastIndexOf('/');
    String parentPath = parentKey(path, lastSlash);
    Znode parent = nodes.get(parentPath);
    if (parent == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(parent.acl(), Perms.CREATE, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    String newPath = mode.isSequential() ? path + sequenceSuffix(parent.childCreations()) : path;
    if (Paths.validate(newPath) != null) {
      return Result.error(ErrorCode.BAD_ARGUMENTS);
    }
    if (nodes.containsKey(newPath)) {
      return Result.error(ErrorCode.NODE_EXISTS);
    }
    if (parent.kind() == NodeKind.EPHEMERAL) {
      return Result.error(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
    }
    NodeKind kind = NodeKind.of(mode);
    Znode node = Znode.created(newPath, data, aclInterner.intern(fixedAcl.value()), kind,
        ownerOf(kind, caller, ttlMs), zxid, timeMs);
    putNode(parentPath, parent, parent.withChildAdded(newPath.substring(lastSlash + 1), zxid));
    putNode(newPath, null, node);
    record(zxid, newPath, EventType.NODE_CREATED, node.acl());
    record(zxid, parentPath, EventType.NODE_CHILDREN_CHANGED, parent.acl());
    return Result.ok(new Created(newPath, node.stat()));
  }

  private static long ownerOf(NodeKind kind, Caller caller, long ttlMs) {
    switch (kind) {
      case EPHEMERAL -> {
        if (caller.sessionId() == 0) {
          throw new IllegalArgumentException("an ephemeral create needs a session");
        }
        return caller.sessionId();
      }
      case TTL -> {
        if (ttlMs < 1 || ttlMs > TTL_MAX_MS) {
          throw new IllegalArgumentException("ttl out of range (checked by the caller): " + ttlMs);
        }
        return ttlMs;
      }
      default -> {
        return 0;
      }
    }
  }

  /**
   * delete (§7.2), checks 2–7 in order: path has a '/', no NUL and is not protected; parent
   * exists; DELETE on the parent (before the node's existence); node exists; version (-1 =
   * any); no children. Only the parent's pzxid changes (its creation counter does not).
   */
  public Result<Void> delete(String path, int version, Caller caller, long zxid) {
    if (path == null || path.lastIndexOf('/') < 0 || path.indexOf('\0') >= 0
        || PROTECTED.contains(path)) {
      return Result.error(ErrorCode.BAD_ARGUMENTS);
    }
    String parentPath = parentKey(path, path.lastIndexOf('/'));
    Znode parent = nodes.get(parentPath);
    if (parent == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(parent.acl(), Perms.DELETE, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    Znode node = nodes.get(path);
    if (node == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (version != -1 && version != node.version()) {
      return Result.error(ErrorCode.BAD_VERSION);
    }
    if (!node.children().isEmpty()) {
      return Result.error(ErrorCode.NOT_EMPTY);
    }
    deleteNode(path, node, zxid);
    return Result.ok(null);
  }

  /** setData (§7.5): path rules, node exists, WRITE, version; then version+1, mzxid, mtime. */
  public Result<Stat> setData(String path, byte[] data, int version, Caller caller, long zxid,
      long timeMs) {
    if (Paths.validate(path) != null) {
      return Result.error(ErrorCode.BAD_ARGUMENTS);
    }
    Znode node = nodes.get(path);
    if (node == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(node.acl(), Perms.WRITE, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    if (version != -1 && version != node.version()) {
      return Result.error(ErrorCode.BAD_VERSION);
    }
    Znode updated = node.withData(path, data, zxid, timeMs);
    putNode(path, node, updated);
    record(zxid, path, EventType.NODE_DATA_CHANGED, node.acl());
    return Result.ok(updated.stat());
  }

  /**
   * setACL (§7.7): path rules, ACL validation (before the node's existence), node exists, ADMIN,
   * version against aversion; then aversion+1 only. No watch event.
   */
  public Result<Stat> setAcl(String path, List<Acl> acl, int version, Caller caller, long zxid) {
    if (Paths.validate(path) != null) {
      return Result.error(ErrorCode.BAD_ARGUMENTS);
    }
    Result<List<Acl>> fixedAcl = AclPolicy.validate(acl, caller.ids());
    if (!fixedAcl.isOk()) {
      return Result.error(fixedAcl.code());
    }
    Znode node = nodes.get(path);
    if (node == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(node.acl(), Perms.ADMIN, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    if (version != -1 && version != node.aversion()) {
      return Result.error(ErrorCode.BAD_VERSION);
    }
    Znode updated = node.withAcl(path, aclInterner.intern(fixedAcl.value()));
    putNode(path, node, updated);
    return Result.ok(updated.stat());
  }

  /** The check sub-op of multi (§7.11): path rules, node exists, READ, version; no changes. */
  public ErrorCode check(String path, int version, Caller caller) {
    if (Paths.validate(path) != null) {
      return ErrorCode.BAD_ARGUMENTS;
    }
    Znode node = nodes.get(path);
    if (node == null) {
      return ErrorCode.NO_NODE;
    }
    if (!AclPolicy.allows(node.acl(), Perms.READ, caller)) {
      return ErrorCode.NO_AUTH;
    }
    return version != -1 && version != node.version() ? ErrorCode.BAD_VERSION : ErrorCode.OK;
  }

  /**
   * Deletes a container or TTL node iff it is still eligible at {@code nowMs} (§9.4, §7.14): a
   * container with no children that has had one (creation counter > 0); a TTL node with no
   * children and {@code nowMs - mtime > ttl}. Otherwise NO_NODE, NOT_EMPTY or (not eligible, or
   * not a container/TTL node at all) BAD_VERSION. Re-checking here makes a stale reaper
   * decision harmless: a node that got a child or a setData since stays.
   */
  public ErrorCode reap(String path, long zxid, long nowMs) {
    Znode node = lookup(path);
    if (node == null) {
      return ErrorCode.NO_NODE;
    }
    if (!node.children().isEmpty()) {
      return ErrorCode.NOT_EMPTY;
    }
    if (!isExpired(node, nowMs)) {
      return ErrorCode.BAD_VERSION;
    }
    deleteNode(path, node, zxid);
    return ErrorCode.OK;
  }

  private static boolean isExpired(Znode node, long nowMs) {
    return switch (node.kind()) {
      case CONTAINER -> node.childCreations() > 0;
      case TTL -> nowMs - node.mtime() > node.owner();
      case PERSISTENT, EPHEMERAL -> false;
    };
  }

  /**
   * Session close or expiry: deletes every ephemeral node of the session (no ACL checks), in
   * path order, and returns their paths in that order.
   */
  public List<String> removeEphemerals(long sessionId, long zxid) {
    PersistentSet<String> owned = ephemerals.get(sessionId);
    if (owned == null) {
      return List.of();
    }
    List<String> paths = owned.toList();
    Collections.sort(paths);
    for (String path : paths) {
      Znode node = nodes.get(path);
      if (node == null || node.kind() != NodeKind.EPHEMERAL || node.owner() != sessionId) {
        throw new IllegalStateException("ephemeral index names " + path + " for session 0x"
            + Long.toHexString(sessionId) + " but the tree holds " + node);
      }
      deleteNode(path, node, zxid);
    }
    return List.copyOf(paths);
  }

  private void deleteNode(String path, Znode node, long zxid) {
    int lastSlash = path.lastIndexOf('/');
    String parentPath = parentKey(path, lastSlash);
    Znode parent = nodes.get(parentPath);
    if (parent == null || !parent.children().contains(path.substring(lastSlash + 1))) {
      throw new IllegalStateException("node " + path + " is not a child of " + parentPath);
    }
    putNode(parentPath, parent, parent.withChildRemoved(path.substring(lastSlash + 1), zxid));
    removeNode(path, node);
    record(zxid, path, EventType.NODE_DELETED, node.acl());
    record(zxid, parentPath, EventType.NODE_CHILDREN_CHANGED, parent.acl());
  }

  /** The parent's key: the text before the last '/', where "" (a child of the root) is "/". */
  private static String parentKey(String path, int lastSlash) {
    return lastSlash == 0 ? ROOT : path.substring(0, lastSlash);
  }

  /**
   * The sequential suffix: the counter formatted as {@code %010d} (§9.3), which pads negative
   * values (after 2^31 - 1 creations) to 10 characters including the sign.
   */
  static String sequenceSuffix(int counter) {
    String digits = Long.toString(Math.abs((long) counter));
    String sign = counter < 0 ? "-" : "";
    int pad = 10 - sign.length() - digits.length();
    return pad > 0 ? sign + "0".repeat(pad) + digits : sign + digits;
  }

  // ------------------------------------------------------------------ persistent bookkeeping

  private void putNode(String path, Znode old, Znode updated) {
    nodes = nodes.put(path, updated);
    digest += TreeHash.node(updated);
    dataBytes += updated.dataLength();
    if (old == null) {
      dataBytes += path.length();
      index(path, updated);
    } else {
      digest -= TreeHash.node(old);
      dataBytes -= old.dataLength();
    }
  }

  private void removeNode(String path, Znode old) {
    nodes = nodes.remove(path);
    digest -= TreeHash.node(old);
    dataBytes -= path.length() + old.dataLength();
    unindex(path, old);
  }

  private void index(String path, Znode node) {
    if (node.kind() == NodeKind.EPHEMERAL) {
      PersistentSet<String> owned = ephemerals.get(node.owner());
      owned = owned == null ? PersistentSet.empty() : owned;
      ephemerals = ephemerals.put(node.owner(), owned.add(path));
      ephemeralCount++;
    } else if (node.kind().isReapable()) {
      reapable = reapable.add(path);
    }
  }

  private void unindex(String path, Znode node) {
    if (node.kind() == NodeKind.EPHEMERAL) {
      PersistentSet<String> owned = ephemerals.get(node.owner()).remove(path);
      ephemerals = owned.isEmpty()
          ? ephemerals.remove(node.owner())
          : ephemerals.put(node.owner(), owned);
      ephemeralCount--;
    } else if (node.kind().isReapable()) {
      reapable = reapable.remove(path);
    }
  }

  private void record(long zxid, String path, EventType type, List<Acl> acl) {
    changes.add(new Change(zxid, path, type, acl));
    changeSeq++;
  }

  private TreeState state() {
    return new TreeState(nodes, ephemerals, reapable, digest, dataBytes, ephemeralCount);
  }

  private void load(TreeState s) {
    nodes = s.nodes();
    ephemerals = s.ephemerals();
    reapable = s.reapable();
    digest = s.digest();
    dataBytes = s.dataBytes();
    ephemeralCount = s.ephemeralCount();
  }

  // ------------------------------------------------------------------ marks, changes, images

  /** An O(1) mark to roll back to. */
  public Mark mark() {
    return new Mark(this, state(), changeSeq);
  }

  /**
   * Restores the tree as it was at {@code m} in O(1), discarding the changes recorded since.
   * Changes already drained cannot be taken back, so rolling back past a drain is a bug.
   */
  public void rollback(Mark m) {
    if (m.tree() != this) {
      throw new IllegalArgumentException("the mark belongs to another tree");
    }
    if (m.changeSeq() > changeSeq) {
      throw new IllegalStateException("the mark is newer than the tree (rolled back past it)");
    }
    if (drainedSeq > m.changeSeq()) {
      throw new IllegalStateException("changes made after the mark were already drained");
    }
    load(m.state());
    int keep = changes.size() - (int) (changeSeq - m.changeSeq());
    changes.subList(keep, changes.size()).clear();
    changeSeq = m.changeSeq();
  }

  /** The watch-relevant changes since the last drain, in the order they happened. */
  public List<Change> drainChanges() {
    if (changes.isEmpty()) {
      return List.of();
    }
    List<Change> out = List.copyOf(changes);
    changes.clear();
    drainedSeq = changeSeq;
    return out;
  }

  /** An O(1) immutable image of the tree as it is now, for a snapshot thread. */
  public TreeImage image() {
    return new TreeImage(state());
  }

  // ----------------------------------------------------------------------------------- reads

  /** A node by path without validation: "" aliases the root, as in ZooKeeper (§9.6). */
  private Znode lookup(String path) {
    return path == null ? null : nodes.get(path.isEmpty() ? ROOT : path);
  }

  /** getData (§7.4): NO_NODE, then READ. */
  public Result<DataAndStat> getData(String path, Caller caller) {
    Znode node = lookup(path);
    if (node == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(node.acl(), Perms.READ, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    return Result.ok(new DataAndStat(node.data(), node.stat()));
  }

  /** exists (§7.3, 3.9.2+): BAD_ARGUMENTS on NUL, NO_AUTH if it exists without READ, NO_NODE. */
  public Result<Stat> exists(String path, Caller caller) {
    if (path == null || path.indexOf('\0') >= 0) {
      return Result.error(ErrorCode.BAD_ARGUMENTS);
    }
    Znode node = lookup(path);
    if (node == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(node.acl(), Perms.READ, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    return Result.ok(node.stat());
  }

  /** getChildren/getChildren2 (§7.8): NO_NODE, then READ. */
  public Result<ChildrenAndStat> getChildren(String path, Caller caller) {
    Znode node = lookup(path);
    if (node == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(node.acl(), Perms.READ, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    List<String> children = Collections.unmodifiableList(node.children().toList());
    return Result.ok(new ChildrenAndStat(children, node.stat()));
  }

  /** getACL (§7.6): NO_NODE, then READ or ADMIN; digest ids masked without ADMIN. */
  public Result<AclAndStat> getAcl(String path, Caller caller) {
    Znode node = lookup(path);
    if (node == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(node.acl(), Perms.READ | Perms.ADMIN, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    List<Acl> acl = AclPolicy.allows(node.acl(), Perms.ADMIN, caller)
        ? node.acl()
        : AclPolicy.maskDigests(node.acl());
    return Result.ok(new AclAndStat(acl, node.stat()));
  }

  /**
   * getAllChildrenNumber (§7.20): NO_NODE, READ, then the number of descendants. For {@code /}
   * that is every node but the root; for {@code ""} ZooKeeper counts every node (it counts the
   * paths starting with "" + "/"), and so do we.
   */
  public Result<Integer> getAllChildrenNumber(String path, Caller caller) {
    Znode node = lookup(path);
    if (node == null) {
      return Result.error(ErrorCode.NO_NODE);
    }
    if (!AclPolicy.allows(node.acl(), Perms.READ, caller)) {
      return Result.error(ErrorCode.NO_AUTH);
    }
    if (path.isEmpty() || path.equals(ROOT)) {
      return Result.ok(nodes.size() - (path.isEmpty() ? 0 : 1));
    }
    return Result.ok(countDescendants(path, node));
  }

  private int countDescendants(String path, Znode node) {
    int count = 0;
    Deque<String> pending = new ArrayDeque<>();
    pending.push(path);
    while (!pending.isEmpty()) {
      String p = pending.pop();
      Znode n = p.equals(path) ? node : nodes.get(p);
      for (String child : n.children()) {
        count++;
        pending.push(p + "/" + child);
      }
    }
    return count;
  }

  /**
   * getEphemerals (§7.19): the session's ephemeral paths, in path order; all of them if
   * {@code prefixPath} is null, blank or "/", else those whose path starts with it (a plain
   * string prefix).
   */
  public List<String> getEphemerals(long sessionId, String prefixPath) {
    PersistentSet<String> owned = ephemerals.get(sessionId);
    if (owned == null) {
      return List.of();
    }
    boolean all = prefixPath == null || prefixPath.isBlank() || ROOT.equals(prefixPath.trim());
    List<String> out = new ArrayList<>();
    for (String path : owned) {
      if (all || path.startsWith(prefixPath)) {
        out.add(path);
      }
    }
    Collections.sort(out);
    return out;
  }

  /** The node's Stat, or null; no checks ("" is the root). */
  public Stat statOrNull(String path) {
    Znode node = lookup(path);
    return node == null ? null : node.stat();
  }

  /** The node's ACL, or null; no checks ("" is the root). */
  public List<Acl> aclOrNull(String path) {
    Znode node = lookup(path);
    return node == null ? null : node.acl();
  }

  /** Whether {@code caller} may read a node with this ACL (data, children, watch events). */
  public boolean canRead(List<Acl> acl, Caller caller) {
    return AclPolicy.canRead(acl, caller);
  }

  /**
   * Containers and TTL nodes eligible for {@link #reap} at {@code nowMs}, in path order, at most
   * {@code max}. Looks only at the index of containers and TTL nodes, never the whole tree.
   */
  public List<String> reapCandidates(long nowMs, int max) {
    List<String> out = new ArrayList<>();
    for (String path : reapable) {
      Znode node = nodes.get(path);
      if (node.children().isEmpty() && isExpired(node, nowMs)) {
        out.add(path);
      }
    }
    Collections.sort(out);
    return out.size() > max ? List.copyOf(out.subList(0, Math.max(0, max))) : out;
  }

  /** The running tree digest (see {@link TreeHash}); equal trees have equal digests. */
  public long digest() {
    return digest;
  }

  /**
   * The number of znodes, root included. (ZooKeeper's {@code zk_znode_count} is one more: its
   * node map holds the root twice, under "" and "/".)
   */
  public int nodeCount() {
    return nodes.size();
  }

  /** ZooKeeper's approximate data size: the sum of path length plus data length over all nodes. */
  public long approximateDataBytes() {
    return dataBytes;
  }

  public int ephemeralCount() {
    return ephemeralCount;
  }

  public int ephemeralCount(long sessionId) {
    PersistentSet<String> owned = ephemerals.get(sessionId);
    return owned == null ? 0 : owned.size();
  }

  /**
   * Recomputes everything that is maintained incrementally and checks it: the digest, counters,
   * both indexes, parent/child links. O(n) — for tests and the simulator, never the hot path.
   */
  void checkInvariants() {
    TreeInvariants.check(state());
  }
}
