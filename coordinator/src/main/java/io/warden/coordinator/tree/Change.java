package io.warden.coordinator.tree;

import io.warden.protocol.Acl;
import io.warden.protocol.EventType;
import java.util.List;

/**
 * A watch-relevant change made by a write (§11.2): NodeCreated, NodeDeleted or NodeDataChanged
 * on the node, NodeChildrenChanged on the parent ({@code /} for children of the root).
 * {@code acl} is the ACL of the node the event concerns (for NodeChildrenChanged: the parent's),
 * so the watch registry can drop events for watchers without READ (§11.3, 3.8.4+/3.9.2+).
 */
public record Change(long zxid, String path, EventType type, List<Acl> acl) {
}
