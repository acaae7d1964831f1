package io.warden.coordinator.tree;

import io.warden.coordinator.tree.persistent.PersistentMap;
import io.warden.coordinator.tree.persistent.PersistentSet;
import io.warden.protocol.Acl;
import io.warden.protocol.Id;
import io.warden.protocol.Paths;
import io.warden.protocol.Utf8;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The snapshot format of the tree, the one place that knows it. All integers big-endian.
 *
 * <pre>
 * header   int  magic 0x57545245 ("WTRE")
 *          int  format version (1; it also fixes the digest function, {@link TreeHash})
 *          int  node count
 *          long tree digest
 * nodes    node count records, in pre-order from "/", so a parent always precedes its
 *          children (readers rely on nothing else; the writer takes each node's children in
 *          the reverse iteration order of its children set, which is deterministic because a
 *          CHAMP trie's shape depends only on its keys):
 *          string path            int byte length, then UTF-8
 *          byte   kind            0 persistent, 1 ephemeral, 2 container, 3 TTL
 *          long   owner           ephemeral: session id; TTL: ttl in ms; else 0
 *          long   czxid, mzxid, ctime, mtime, pzxid
 *          int    version, aversion, childCreations (the internal cversion)
 *          buffer data            int length (-1 = null), then the bytes
 *          int    acl ref         -1: a new ACL list follows, and becomes the next entry of the
 *                                 list table; otherwise an index into the table
 *          [new list: int count, then count x (int perms, string scheme, string id)]
 * trailer  int  magic 0x454E4421 ("END!")
 *          int  node count (again)
 * </pre>
 *
 * The byte stream is cut into chunks of a fixed size (the last one shorter). Restoring checks
 * every field it can (magic, version, lengths, kinds, owners, valid paths, parent before child,
 * no duplicates, ACL references, the trailer, no trailing bytes) and finally recomputes the
 * node count and the digest and compares them with the header, so a corrupt snapshot is refused
 * with a message naming the problem instead of becoming a subtly wrong tree.
 */
final class SnapshotFormat {
  static final int MAGIC = 0x57545245;
  static final int END_MAGIC = 0x454E4421;
  static final int VERSION = 1;
  /** Larger than any path or data ZooKeeper can carry (jute.maxbuffer is ~1 MiB by default). */
  private static final int MAX_FIELD_BYTES = 64 << 20;
  private static final long TTL_MAX_MS = (1L << 40) - 1;
  private static final List<String> BUILT_IN =
      List.of("/zookeeper", "/zookeeper/quota", "/zookeeper/config");

  private SnapshotFormat() {
  }

  // ---------------------------------------------------------------------------------- write

  static void write(TreeState state, int chunkBytes, Consumer<byte[]> sink) {
    if (chunkBytes <= 0) {
      throw new IllegalArgumentException("chunkBytes must be positive: " + chunkBytes);
    }
    ChunkOutputStream chunks = new ChunkOutputStream(chunkBytes, sink);
    DataOutputStream out = new DataOutputStream(chunks);
    try {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(state.nodes().size());
      out.writeLong(state.digest());
      int written = writeNodes(state.nodes(), out);
      if (written != state.nodes().size()) {
        throw new IllegalStateException("tree holds " + state.nodes().size()
            + " nodes but only " + written + " are reachable from the root");
      }
      out.writeInt(END_MAGIC);
      out.writeInt(written);
      chunks.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory snapshot stream failed", e); // cannot happen
    }
  }

  private static int writeNodes(PersistentMap<String, Znode> nodes, DataOutputStream out)
      throws IOException {
    Map<List<Acl>, Integer> aclTable = new HashMap<>();
    Deque<String> pending = new ArrayDeque<>();
    pending.push("/");
    int written = 0;
    while (!pending.isEmpty()) {
      String path = pending.pop();
      Znode node = nodes.get(path);
      writeNode(path, node, aclTable, out);
      written++;
      // No sorting: it took a third of the snapshot thread's time with large parents, and
      // the set's own order is just as deterministic.
      String prefix = path.equals("/") ? "/" : path + "/";
      node.children().forEach(name -> pending.push(prefix + name));
    }
    return written;
  }

  private static void writeNode(String path, Znode n, Map<List<Acl>, Integer> aclTable,
      DataOutputStream out) throws IOException {
    writeString(out, path);
    out.writeByte(n.kind().ordinal());
    out.writeLong(n.owner());
    out.writeLong(n.czxid());
    out.writeLong(n.mzxid());
    out.writeLong(n.ctime());
    out.writeLong(n.mtime());
    out.writeLong(n.pzxid());
    out.writeInt(n.version());
    out.writeInt(n.aversion());
    out.writeInt(n.childCreations());
    if (n.data() == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(n.data().length);
      out.write(n.data());
    }
    Integer ref = aclTable.get(n.acl());
    if (ref != null) {
      out.writeInt(ref);
      return;
    }
    aclTable.put(n.acl(), aclTable.size());
    out.writeInt(-1);
    out.writeInt(n.acl().size());
    for (Acl a : n.acl()) {
      out.writeInt(a.perms());
      writeString(out, a.id().scheme());
      writeString(out, a.id().id());
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  // ----------------------------------------------------------------------------------- read

  /** A node as read, before its children are known. */
  private record Entry(String path, Znode node) {
  }

  static TreeState read(Iterator<byte[]> chunks) {
    DataInputStream in = new DataInputStream(new ChunkInputStream(chunks));
    int nodesRead = 0;
    try {
      require(in.readInt() == MAGIC, "not a Warden tree snapshot (bad magic)");
      int version = in.readInt();
      require(version == VERSION, () -> "unsupported snapshot format version " + version);
      int nodeCount = in.readInt();
      long digest = in.readLong();
      require(nodeCount >= 1, () -> "node count " + nodeCount + " in the header");
      // sized from the header: rehashing maps of a million entries was a tenth of a restore
      int capacity = (int) Math.min(1 << 30, nodeCount * 4L / 3 + 1);
      Map<String, Entry> entries = new LinkedHashMap<>(capacity);
      Map<String, List<String>> children = new HashMap<>(Math.min(capacity, 1 << 16));
      List<List<Acl>> aclTable = new ArrayList<>();
      AclInterner interner = new AclInterner();
      for (; nodesRead < nodeCount; nodesRead++) {
        Entry e = readNode(in, aclTable, interner);
        link(e, entries, children, nodesRead);
      }
      require(in.readInt() == END_MAGIC, () -> "no trailer after " + nodeCount + " nodes");
      require(in.readInt() == nodeCount, "trailer node count differs from the header");
      require(in.read() == -1, "unexpected bytes after the trailer");
      return build(entries, children, nodeCount, digest);
    } catch (EOFException e) {
      throw new IllegalStateException("snapshot truncated after " + nodesRead + " nodes", e);
    } catch (IOException e) {
      throw new IllegalStateException("snapshot unreadable after " + nodesRead + " nodes", e);
    }
  }

  private static void link(Entry e, Map<String, Entry> entries,
      Map<String, List<String>> children, int index) {
    String path = e.path();
    if (index == 0) {
      require(path.equals("/"), () -> "first node is " + path + ", not the root");
    } else {
      int lastSlash = path.lastIndexOf('/');
      String parentPath = lastSlash == 0 ? "/" : path.substring(0, lastSlash);
      Entry parent = entries.get(parentPath);
      require(parent != null, () -> "node " + path + " precedes its parent");
      require(parent.node().kind() != NodeKind.EPHEMERAL, () -> "ephemeral " + parentPath
          + " has a child");
      // refused before its name joins the parent's: the children lists must hold distinct names
      require(entries.put(path, e) == null, () -> "duplicate node " + path);
      children.computeIfAbsent(parentPath, p -> new ArrayList<>()).add(path.substring(lastSlash + 1));
      return;
    }
    entries.put(path, e);
  }

  /** Builds every persistent collection at once (no path copying: a million puts would). */
  private static TreeState build(Map<String, Entry> entries,
      Map<String, List<String>> children, int nodeCount, long expectedDigest) {
    List<String> paths = new ArrayList<>(entries.size());
    List<Znode> znodes = new ArrayList<>(entries.size());
    Map<Long, List<String>> owned = new LinkedHashMap<>();
    List<String> reapablePaths = new ArrayList<>();
    long digest = 0;
    long dataBytes = 0;
    int ephemeralCount = 0;
    for (Entry e : entries.values()) {
      List<String> names = children.get(e.path());
      Znode node = e.node().withChildren(names == null ? PersistentSet.empty() : PersistentSet.ofDistinct(names));
      paths.add(e.path());
      znodes.add(node);
      digest += TreeHash.node(node);
      dataBytes += e.path().length() + node.dataLength();
      if (node.kind() == NodeKind.EPHEMERAL) {
        owned.computeIfAbsent(node.owner(), o -> new ArrayList<>()).add(e.path());
        ephemeralCount++;
      } else if (node.kind().isReapable()) {
        reapablePaths.add(e.path());
      }
    }
    PersistentMap<String, Znode> nodes = PersistentMap.ofDistinct(paths, znodes);
    List<Long> owners = new ArrayList<>(owned.keySet());
    PersistentMap<Long, PersistentSet<String>> ephemerals = PersistentMap.ofDistinct(owners,
        owners.stream().map(o -> PersistentSet.ofDistinct(owned.get(o))).toList());
    PersistentSet<String> reapable = PersistentSet.ofDistinct(reapablePaths);
    require(nodes.size() == nodeCount, () -> "read " + nodes.size() + " nodes, header says "
        + nodeCount);
    for (String builtIn : BUILT_IN) {
      require(nodes.containsKey(builtIn), () -> "built-in node " + builtIn + " is missing");
    }
    require(digest == expectedDigest, "digest mismatch: header 0x" + Long.toHexString(
        expectedDigest) + ", nodes 0x" + Long.toHexString(digest));
    return new TreeState(nodes, ephemerals, reapable, digest, dataBytes, ephemeralCount);
  }

  private static Entry readNode(DataInputStream in, List<List<Acl>> aclTable,
      AclInterner interner) throws IOException {
    String path = readString(in, "path");
    require(Paths.validate(path) == null, () -> "invalid path " + describe(path));
    int kindCode = in.readByte();
    NodeKind kind = NodeKind.ofCode(kindCode);
    require(kind != null, () -> "unknown node kind " + kindCode + " at " + path);
    long owner = in.readLong();
    requireOwner(kind, owner, path);
    long czxid = in.readLong();
    long mzxid = in.readLong();
    long ctime = in.readLong();
    long mtime = in.readLong();
    long pzxid = in.readLong();
    int version = in.readInt();
    int aversion = in.readInt();
    int childCreations = in.readInt();
    byte[] data = readData(in, path);
    List<Acl> acl = readAcl(in, aclTable, interner, path);
    Znode node = new Znode(data, acl, kind, owner, czxid, mzxid, ctime, mtime, pzxid, version,
        aversion, childCreations, PersistentSet.empty(), TreeHash.content(path, data, acl));
    return new Entry(path, node);
  }

  private static void requireOwner(NodeKind kind, long owner, String path) {
    switch (kind) {
      case EPHEMERAL -> require(owner != 0, () -> "ephemeral " + path + " without a session");
      case TTL -> require(owner >= 1 && owner <= TTL_MAX_MS, () -> "TTL node " + path
          + " with ttl " + owner);
      case PERSISTENT, CONTAINER -> require(owner == 0, () -> kind + " node " + path
          + " with owner " + owner);
    }
  }

  private static byte[] readData(DataInputStream in, String path) throws IOException {
    int length = in.readInt();
    require(length >= -1 && length <= MAX_FIELD_BYTES, () -> "bad data length " + length + " at "
        + path);
    if (length == -1) {
      return null;
    }
    byte[] data = new byte[length];
    in.readFully(data);
    return data;
  }

  private static List<Acl> readAcl(DataInputStream in, List<List<Acl>> aclTable,
      AclInterner interner, String path) throws IOException {
    int ref = in.readInt();
    if (ref != -1) {
      require(ref >= 0 && ref < aclTable.size(), () -> "ACL reference " + ref + " at " + path
          + " but only " + aclTable.size() + " lists so far");
      return aclTable.get(ref);
    }
    int count = in.readInt();
    require(count >= 1 && count <= 1 << 16, () -> "bad ACL entry count " + count + " at " + path);
    List<Acl> acl = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int perms = in.readInt();
      Id id = new Id(readString(in, "ACL scheme"), readString(in, "ACL id"));
      boolean valid = AclPolicy.isValidId(id) || AclPolicy.isAuthenticatedScheme(id.scheme());
      require(valid, () -> "invalid ACL id " + id + " at " + path);
      acl.add(new Acl(perms, id));
    }
    List<Acl> shared = interner.intern(acl);
    aclTable.add(shared);
    return shared;
  }

  private static String readString(DataInputStream in, String what) throws IOException {
    int length = in.readInt();
    require(length >= 0 && length <= MAX_FIELD_BYTES, () -> "bad " + what + " length " + length);
    byte[] utf8 = new byte[length];
    in.readFully(utf8);
    try {
      return Utf8.decode(utf8, 0, utf8.length);
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("snapshot " + what + " is not valid UTF-8", e);
    }
  }

  private static String describe(String path) {
    return path.length() > 200 ? path.substring(0, 200) + "..." : path;
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("corrupt tree snapshot: " + what);
    }
  }

  /** As above, the message built only on failure: these checks run for every node of a snapshot. */
  private static void require(boolean condition, java.util.function.Supplier<String> what) {
    if (!condition) {
      throw new IllegalStateException("corrupt tree snapshot: " + what.get());
    }
  }

  // ---------------------------------------------------------------------------------- chunks

  /** Cuts the byte stream into chunks of exactly {@code chunkBytes} (the last one shorter). */
  private static final class ChunkOutputStream extends OutputStream {
    private final int chunkBytes;
    private final Consumer<byte[]> sink;
    private byte[] buf;
    private int pos;

    ChunkOutputStream(int chunkBytes, Consumer<byte[]> sink) {
      this.chunkBytes = chunkBytes;
      this.sink = sink;
      this.buf = new byte[chunkBytes];
    }

    @Override
    public void write(int b) {
      buf[pos++] = (byte) b;
      if (pos == chunkBytes) {
        emit();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      while (len > 0) {
        int n = Math.min(len, chunkBytes - pos);
        System.arraycopy(b, off, buf, pos, n);
        pos += n;
        off += n;
        len -= n;
        if (pos == chunkBytes) {
          emit();
        }
      }
    }

    private void emit() {
      sink.accept(buf);
      buf = new byte[chunkBytes];
      pos = 0;
    }

    void finish() {
      if (pos > 0) {
        sink.accept(Arrays.copyOf(buf, pos));
        pos = 0;
      }
    }
  }

  /** Reads the concatenation of the chunks. */
  private static final class ChunkInputStream extends InputStream {
    private final Iterator<byte[]> chunks;
    private byte[] current = new byte[0];
    private int pos;

    ChunkInputStream(Iterator<byte[]> chunks) {
      this.chunks = chunks;
    }

    private boolean ensure() {
      while (pos == current.length) {
        if (!chunks.hasNext()) {
          return false;
        }
        current = chunks.next();
        require(current != null, "null chunk");
        pos = 0;
      }
      return true;
    }

    @Override
    public int read() {
      return ensure() ? current[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!ensure()) {
        return -1;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
