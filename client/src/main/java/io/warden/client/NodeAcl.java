package io.warden.client;

import io.warden.protocol.Acl;
import io.warden.protocol.Stat;
import java.util.List;
import java.util.Objects;

/** A node's ACL and its Stat (setAcl's version is checked against its {@code aversion}). */
public record NodeAcl(List<Acl> acl, Stat stat) {
  public NodeAcl {
    acl = List.copyOf(acl);
    Objects.requireNonNull(stat, "stat");
  }
}
