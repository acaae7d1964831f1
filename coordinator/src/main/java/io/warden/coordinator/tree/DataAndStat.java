package io.warden.coordinator.tree;

import io.warden.protocol.Stat;

/**
 * A node's data and Stat. {@code data} may be null (null and empty are distinct, §1); the array
 * is the tree's own and must not be modified.
 */
public record DataAndStat(byte[] data, Stat stat) {
}
