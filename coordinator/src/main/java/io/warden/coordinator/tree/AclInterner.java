package io.warden.coordinator.tree;

import io.warden.protocol.Acl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares equal ACL lists between znodes, as ZooKeeper's ACL cache does: a fleet has many nodes
 * and few distinct ACLs. The standard lists map to the protocol's constants; others are
 * remembered up to a bound, beyond which lists are simply not shared (a cache, not state: it
 * never changes what the tree means, so it is neither rolled back nor snapshotted). Owned by
 * the tree's thread.
 */
final class AclInterner {
  private static final int MAX_LISTS = 4096;

  private final Map<List<Acl>, List<Acl>> lists = new HashMap<>();

  List<Acl> intern(List<Acl> acl) {
    if (acl.equals(Acl.OPEN_ACL_UNSAFE)) {
      return Acl.OPEN_ACL_UNSAFE;
    }
    if (acl.equals(Acl.READ_ACL_UNSAFE)) {
      return Acl.READ_ACL_UNSAFE;
    }
    List<Acl> known = lists.get(acl);
    if (known != null) {
      return known;
    }
    List<Acl> copy = List.copyOf(acl);
    if (lists.size() < MAX_LISTS) {
      lists.put(copy, copy);
    }
    return copy;
  }
}
