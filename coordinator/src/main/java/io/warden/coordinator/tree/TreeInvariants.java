package io.warden.coordinator.tree;

import io.warden.coordinator.tree.persistent.PersistentSet;
import io.warden.protocol.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The expensive whole-tree check behind {@link DataTree#checkInvariants()}: recomputes from the
 * nodes everything the tree maintains incrementally and fails loudly on any difference.
 */
final class TreeInvariants {
  private TreeInvariants() {
  }

  static void check(TreeState s) {
    require(s.nodes().get("/") != null, "no root");
    long digest = 0;
    long dataBytes = 0;
    Map<Long, Set<String>> ephemerals = new HashMap<>();
    Set<String> reapable = new HashSet<>();
    for (var e : s.nodes()) {
      String path = e.getKey();
      Znode node = e.getValue();
      checkNode(s, path, node);
      digest += TreeHash.node(node);
      dataBytes += path.length() + node.dataLength();
      if (node.kind() == NodeKind.EPHEMERAL) {
        ephemerals.computeIfAbsent(node.owner(), k -> new HashSet<>()).add(path);
      } else if (node.kind().isReapable()) {
        reapable.add(path);
      }
    }
    require(digest == s.digest(), "digest " + s.digest() + " but the nodes sum to " + digest);
    require(dataBytes == s.dataBytes(), "dataBytes " + s.dataBytes() + " but counted " + dataBytes);
    int ephemeralCount = ephemerals.values().stream().mapToInt(Set::size).sum();
    require(ephemeralCount == s.ephemeralCount(), "ephemeral count " + s.ephemeralCount()
        + " but counted " + ephemeralCount);
    Map<Long, Set<String>> indexed = new HashMap<>();
    s.ephemerals().forEach((session, paths) -> {
      require(!paths.isEmpty(), "empty ephemeral set kept for session " + session);
      indexed.put(session, new HashSet<>(paths.toList()));
    });
    require(indexed.equals(ephemerals), "ephemeral index " + indexed + " but nodes say "
        + ephemerals);
    require(new HashSet<>(s.reapable().toList()).equals(reapable), "reapable index "
        + s.reapable() + " but nodes say " + reapable);
  }

  private static void checkNode(TreeState s, String path, Znode node) {
    require(Paths.validate(path) == null, "invalid path " + path);
    require(node.contentHash() == TreeHash.content(path, node.data(), node.acl()),
        "stale content hash at " + path);
    require(node.kind() != NodeKind.EPHEMERAL || node.children().isEmpty(),
        "ephemeral " + path + " has children");
    if (!path.equals("/")) {
      int lastSlash = path.lastIndexOf('/');
      Znode parent = s.nodes().get(lastSlash == 0 ? "/" : path.substring(0, lastSlash));
      require(parent != null && parent.children().contains(path.substring(lastSlash + 1)),
          "parent of " + path + " does not list it");
    }
    PersistentSet<String> children = node.children();
    for (String child : children) {
      String childPath = path.equals("/") ? "/" + child : path + "/" + child;
      require(s.nodes().containsKey(childPath), path + " lists missing child " + child);
    }
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("tree invariant violated: " + what);
    }
  }
}
