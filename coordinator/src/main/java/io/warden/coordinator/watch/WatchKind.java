package io.warden.coordinator.watch;

/** The four watch tables of a node (reference §11.2, §11.3). */
public enum WatchKind {
  /** One-shot, set by getData and exists. */
  DATA,
  /** One-shot, set by getChildren. */
  CHILD,
  /** addWatch mode 0: data + child events on one path, never consumed. */
  PERSISTENT,
  /** addWatch mode 1: created/changed/deleted on the path and every descendant, never consumed. */
  PERSISTENT_RECURSIVE;

  final int bit() {
    return 1 << ordinal();
  }
}
