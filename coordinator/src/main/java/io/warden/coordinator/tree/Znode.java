package io.warden.coordinator.tree;

import io.warden.coordinator.tree.persistent.PersistentSet;
import io.warden.protocol.Acl;
import io.warden.protocol.Stat;
import java.util.List;

/**
 * One znode, immutable: an update makes a new record that shares data, ACL and children with
 * the old one. Small on purpose (about 96 bytes; a leaf shares the empty children set and the
 * common ACL lists): a coordinator holds every znode in memory.
 *
 * <p>{@code owner} is the owning session id for EPHEMERAL, the ttl in ms for TTL, else 0.
 * {@code childCreations} is ZooKeeper's internal cversion: the number of children ever created
 * here; the visible cversion is {@code 2 * childCreations - numChildren} (§9.2).
 * {@code contentHash} caches the hash of path, data and ACL, so that the frequent Stat-only
 * updates of a parent re-hash in O(1) (see {@link TreeHash}). {@code data} is never modified.
 */
record Znode(
    byte[] data,
    List<Acl> acl,
    NodeKind kind,
    long owner,
    long czxid,
    long mzxid,
    long ctime,
    long mtime,
    long pzxid,
    int version,
    int aversion,
    int childCreations,
    PersistentSet<String> children,
    long contentHash) {

  static Znode created(String path, byte[] data, List<Acl> acl, NodeKind kind, long owner,
      long zxid, long timeMs) {
    return new Znode(data, acl, kind, owner, zxid, zxid, timeMs, timeMs, zxid, 0, 0, 0,
        PersistentSet.empty(), TreeHash.content(path, data, acl));
  }

  Stat stat() {
    int numChildren = children.size();
    return new Stat(czxid, mzxid, ctime, mtime, version, 2 * childCreations - numChildren,
        aversion, kind == NodeKind.EPHEMERAL ? owner : 0, dataLength(), numChildren, pzxid);
  }

  int dataLength() {
    return data == null ? 0 : data.length;
  }

  /** A child was created: the counter advances (also for non-sequential children), pzxid moves. */
  Znode withChildAdded(String name, long zxid) {
    return new Znode(data, acl, kind, owner, czxid, mzxid, ctime, mtime, zxid, version, aversion,
        childCreations + 1, children.add(name), contentHash);
  }

  /** A child was deleted: only pzxid moves; the creation counter never goes back (§7.2). */
  Znode withChildRemoved(String name, long zxid) {
    return new Znode(data, acl, kind, owner, czxid, mzxid, ctime, mtime, zxid, version, aversion,
        childCreations, children.remove(name), contentHash);
  }

  Znode withData(String path, byte[] newData, long zxid, long timeMs) {
    return new Znode(newData, acl, kind, owner, czxid, zxid, ctime, timeMs, pzxid, nextVersion(version),
        aversion, childCreations, children, TreeHash.content(path, newData, acl));
  }

  Znode withAcl(String path, List<Acl> newAcl) {
    return new Znode(data, newAcl, kind, owner, czxid, mzxid, ctime, mtime, pzxid, version,
        nextVersion(aversion), childCreations, children, TreeHash.content(path, data, newAcl));
  }

  /**
   * Versions wrap past Integer.MAX_VALUE but skip -1, which on the wire means "any version": a
   * node at version -1 could never again be updated conditionally (ZOOKEEPER-4743).
   */
  static int nextVersion(int version) {
    int next = version + 1;
    return next == -1 ? 0 : next;
  }

  Znode withChildren(PersistentSet<String> newChildren) {
    return new Znode(data, acl, kind, owner, czxid, mzxid, ctime, mtime, pzxid, version, aversion,
        childCreations, newChildren, contentHash);
  }
}
