package io.warden.coordinator.tree;

import io.warden.protocol.Acl;
import io.warden.protocol.Stat;
import java.util.List;

/** A node's ACL (digest ids masked for callers without ADMIN, §7.6) and its Stat. */
public record AclAndStat(List<Acl> acl, Stat stat) {
}
