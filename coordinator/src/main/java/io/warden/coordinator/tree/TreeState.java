package io.warden.coordinator.tree;

import io.warden.coordinator.tree.persistent.PersistentMap;
import io.warden.coordinator.tree.persistent.PersistentSet;

/**
 * Everything the tree is, as persistent roots plus a few counters: capturing it is O(1), and
 * it never changes afterwards, so a snapshot thread may read it while the tree moves on.
 *
 * @param nodes every znode by its full path ({@code /} for the root)
 * @param ephemerals the paths of each session's ephemeral nodes
 * @param reapable the paths of all containers and TTL nodes (the reaper's index, §9.4)
 * @param digest the sum of {@link TreeHash#node} over all nodes
 * @param dataBytes the sum of path length (chars) plus data length over all nodes
 * @param ephemeralCount the number of ephemeral nodes
 */
record TreeState(
    PersistentMap<String, Znode> nodes,
    PersistentMap<Long, PersistentSet<String>> ephemerals,
    PersistentSet<String> reapable,
    long digest,
    long dataBytes,
    int ephemeralCount) {
}
