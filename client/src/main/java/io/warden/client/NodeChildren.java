package io.warden.client;

import io.warden.protocol.Stat;
import java.util.List;
import java.util.Objects;

/** A node's children (bare names, in no particular order) and its Stat. */
public record NodeChildren(List<String> children, Stat stat) {
  public NodeChildren {
    children = List.copyOf(children);
    Objects.requireNonNull(stat, "stat");
  }
}
