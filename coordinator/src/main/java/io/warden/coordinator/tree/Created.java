package io.warden.coordinator.tree;

import io.warden.protocol.Stat;

/** A successful create: the actual path (with the sequence suffix, if any) and the new Stat. */
public record Created(String path, Stat stat) {
}
