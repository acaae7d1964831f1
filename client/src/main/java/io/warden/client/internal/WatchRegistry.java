package io.warden.client.internal;

import io.warden.client.Watcher;
import io.warden.protocol.EventType;
import io.warden.protocol.WatcherType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client's registered watchers by kind and client path. Owned by the I/O thread (no locks):
 * it registers a watcher when the reply that set it arrives, and resolves a notification to the
 * watchers to call before posting them, so registration and dispatch follow wire order.
 *
 * <p>Dispatch follows the Java client (reference §11.4): NodeCreated and NodeDataChanged go to
 * data and exist watchers, NodeDeleted to data, exist and child watchers, NodeChildrenChanged to
 * child watchers (all one-shot, removed as they fire); plus the persistent watchers of the path
 * and the persistent-recursive watchers of the path and its ancestors, which stay. Recursive
 * watchers never get NodeChildrenChanged (§11.3).
 */
public final class WatchRegistry {
  private final Map<WatchKind, Map<String, Set<Watcher>>> tables = new EnumMap<>(WatchKind.class);

  public WatchRegistry() {
    for (WatchKind kind : WatchKind.values()) {
      tables.put(kind, new HashMap<>());
    }
  }

  public void add(WatchKind kind, String path, Watcher watcher) {
    tables.get(kind).computeIfAbsent(path, p -> new LinkedHashSet<>()).add(watcher);
  }

  public boolean isEmpty() {
    return tables.values().stream().allMatch(Map::isEmpty);
  }

  /** The client paths holding at least one watcher of {@code kind}. */
  public List<String> paths(WatchKind kind) {
    return new ArrayList<>(tables.get(kind).keySet());
  }

  /** The watchers a node event goes to, each once; one-shot ones are removed. */
  public Set<Watcher> materialize(EventType type, String path) {
    Set<Watcher> out = new LinkedHashSet<>();
    switch (type) {
      case NODE_CREATED, NODE_DATA_CHANGED -> {
        take(WatchKind.DATA, path, out);
        take(WatchKind.EXIST, path, out);
      }
      case NODE_DELETED -> {
        take(WatchKind.DATA, path, out);
        take(WatchKind.EXIST, path, out);
        take(WatchKind.CHILD, path, out);
      }
      case NODE_CHILDREN_CHANGED -> take(WatchKind.CHILD, path, out);
      default -> {
        return out;
      }
    }
    addAll(tables.get(WatchKind.PERSISTENT).get(path), out);
    if (type != EventType.NODE_CHILDREN_CHANGED) {
      for (String p = path; p != null; p = parent(p)) {
        addAll(tables.get(WatchKind.PERSISTENT_RECURSIVE).get(p), out);
      }
    }
    return out;
  }

  /** Every registered watcher, each once (for connection-state events). */
  public Set<Watcher> all() {
    Set<Watcher> out = new LinkedHashSet<>();
    for (Map<String, Set<Watcher>> table : tables.values()) {
      table.values().forEach(out::addAll);
    }
    return out;
  }

  public void clear() {
    tables.values().forEach(Map::clear);
  }

  /**
   * Removes {@code watcher} (or every watcher when null) from the tables {@code type} covers on
   * {@code path}. Returns each removed watcher with the local event it should get; empty when
   * nothing matched (NoWatcher).
   */
  public Map<Watcher, EventType> remove(String path, Watcher watcher, WatcherType type) {
    Map<Watcher, EventType> removed = new LinkedHashMap<>();
    for (WatchKind kind : kindsOf(type)) {
      Set<Watcher> set = tables.get(kind).get(path);
      if (set == null) {
        continue;
      }
      List<Watcher> gone = watcher == null ? new ArrayList<>(set)
          : set.contains(watcher) ? List.of(watcher) : List.of();
      gone.forEach(set::remove);
      if (set.isEmpty()) {
        tables.get(kind).remove(path);
      }
      for (Watcher w : gone) {
        removed.putIfAbsent(w, removedEvent(kind));
      }
    }
    return removed;
  }

  /**
   * The server-side watch types that no longer have any local watcher on {@code path} among
   * those {@code type} covers: what a removeWatches request must clear on the server.
   */
  public List<WatcherType> emptiedServerTypes(String path, WatcherType type) {
    Set<WatchKind> kinds = kindsOf(type);
    List<WatcherType> out = new ArrayList<>();
    boolean dataAffected = kinds.contains(WatchKind.DATA) || kinds.contains(WatchKind.EXIST);
    if (dataAffected && !has(WatchKind.DATA, path) && !has(WatchKind.EXIST, path)) {
      out.add(WatcherType.DATA);
    }
    if (kinds.contains(WatchKind.CHILD) && !has(WatchKind.CHILD, path)) {
      out.add(WatcherType.CHILDREN);
    }
    if (kinds.contains(WatchKind.PERSISTENT) && !has(WatchKind.PERSISTENT, path)) {
      out.add(WatcherType.PERSISTENT);
    }
    if (kinds.contains(WatchKind.PERSISTENT_RECURSIVE)
        && !has(WatchKind.PERSISTENT_RECURSIVE, path)) {
      out.add(WatcherType.PERSISTENT_RECURSIVE);
    }
    return out;
  }

  /** True when some watcher of a kind {@code type} covers is registered on {@code path}. */
  public boolean hasAny(String path, WatcherType type) {
    return kindsOf(type).stream().anyMatch(k -> has(k, path));
  }

  private boolean has(WatchKind kind, String path) {
    return tables.get(kind).containsKey(path);
  }

  private static Set<WatchKind> kindsOf(WatcherType type) {
    return switch (type) {
      case CHILDREN -> EnumSet.of(WatchKind.CHILD);
      case DATA -> EnumSet.of(WatchKind.DATA, WatchKind.EXIST);
      case ANY -> EnumSet.allOf(WatchKind.class);
      case PERSISTENT -> EnumSet.of(WatchKind.PERSISTENT);
      case PERSISTENT_RECURSIVE -> EnumSet.of(WatchKind.PERSISTENT_RECURSIVE);
    };
  }

  private static EventType removedEvent(WatchKind kind) {
    return switch (kind) {
      case DATA, EXIST -> EventType.DATA_WATCH_REMOVED;
      case CHILD -> EventType.CHILD_WATCH_REMOVED;
      case PERSISTENT, PERSISTENT_RECURSIVE -> EventType.PERSISTENT_WATCH_REMOVED;
    };
  }

  private void take(WatchKind kind, String path, Set<Watcher> out) {
    addAll(tables.get(kind).remove(path), out);
  }

  private static void addAll(Set<Watcher> from, Set<Watcher> out) {
    if (from != null) {
      out.addAll(from);
    }
  }

  /** The parent of a client path, or null for "/". */
  static String parent(String path) {
    if (path.equals("/")) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }
}
