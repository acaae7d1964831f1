package io.warden.coordinator.tree;

import io.warden.protocol.CreateMode;

/**
 * The kind of a znode (§9.4). Stored explicitly rather than folded into ZooKeeper's
 * ephemeralOwner encoding, whose container/TTL markers could collide with session ids that have
 * the high bit set. Clients see ephemeralOwner 0 for every kind but EPHEMERAL.
 */
enum NodeKind {
  PERSISTENT,
  EPHEMERAL,
  CONTAINER,
  TTL;

  private static final NodeKind[] BY_CODE = values();

  static NodeKind of(CreateMode mode) {
    if (mode.isEphemeral()) {
      return EPHEMERAL;
    }
    if (mode.isContainer()) {
      return CONTAINER;
    }
    return mode.isTtl() ? TTL : PERSISTENT;
  }

  /** The kind for a snapshot code, or null. */
  static NodeKind ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Containers and TTL nodes are deleted by the leader's reaper, so they are indexed. */
  boolean isReapable() {
    return this == CONTAINER || this == TTL;
  }
}
