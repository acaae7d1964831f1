package io.warden.client.internal;

/**
 * The client's watch tables (the Java client's ZKWatchManager): data watches (getData, exists on
 * an existing node), exist watches (exists on a missing node), child watches, and the two
 * persistent kinds added with addWatch.
 */
public enum WatchKind {
  DATA,
  EXIST,
  CHILD,
  PERSISTENT,
  PERSISTENT_RECURSIVE
}
