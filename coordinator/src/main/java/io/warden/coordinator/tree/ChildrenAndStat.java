package io.warden.coordinator.tree;

import io.warden.protocol.Stat;
import java.util.List;

/** A node's child names (bare names, in no particular but deterministic order) and its Stat. */
public record ChildrenAndStat(List<String> children, Stat stat) {
}
