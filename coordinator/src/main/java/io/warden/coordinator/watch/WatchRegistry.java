package io.warden.coordinator.watch;

import io.warden.protocol.EventType;
import io.warden.protocol.WatcherType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watches held by the connections of one node. Watches are local, not replicated: every
 * node fires its own clients' watches when it applies a change. This class only computes who
 * is owed which event; it never sends anything (DESIGN.md §2). Owned by the core thread.
 *
 * <p>Rules (reference §11.2–11.3): a standard watch is set at most once per (connection, path,
 * table) and consumed when it fires; persistent watches stay; recursive watches see
 * created/changed/deleted for the path and all descendants but never NodeChildrenChanged; a
 * connection gets one event per change however many of its watches match. Standard and
 * persistent watches on the same path coexist (as in ZooKeeper 3.9.2+): firing consumes only
 * the standard one.
 */
public final class WatchRegistry {
  private final Map<WatchKind, Map<String, Set<Long>>> tables = new EnumMap<>(WatchKind.class);
  /** watcher → path → bitmask of WatchKind bits, for cleanup, counting and checkWatches. */
  private final Map<Long, Map<String, Integer>> byWatcher = new HashMap<>();
  private int total;

  public WatchRegistry() {
    for (WatchKind k : WatchKind.values()) {
      tables.put(k, new HashMap<>());
    }
  }

  /** Adds a watch; returns false if this watcher already had it (nothing changes). */
  public boolean add(long watcherId, String path, WatchKind kind) {
    Map<String, Integer> paths = byWatcher.computeIfAbsent(watcherId, w -> new HashMap<>());
    int mask = paths.getOrDefault(path, 0);
    if ((mask & kind.bit()) != 0) {
      return false;
    }
    paths.put(path, mask | kind.bit());
    tables.get(kind).computeIfAbsent(path, p -> new LinkedHashSet<>(4)).add(watcherId);
    total++;
    return true;
  }

  /**
   * The events a change owes, with one-shot watches consumed. Order is deterministic: watchers
   * in registration order per table, tables in a fixed order, duplicates dropped.
   */
  public List<Notification> trigger(String path, EventType type) {
    LinkedHashSet<Long> owed = new LinkedHashSet<>();
    switch (type) {
      case NODE_CREATED, NODE_DATA_CHANGED -> {
        consume(WatchKind.DATA, path, owed);
        collect(WatchKind.PERSISTENT, path, owed);
        collectRecursive(path, owed);
      }
      case NODE_DELETED -> {
        consume(WatchKind.DATA, path, owed);
        consume(WatchKind.CHILD, path, owed);
        collect(WatchKind.PERSISTENT, path, owed);
        collectRecursive(path, owed);
      }
      case NODE_CHILDREN_CHANGED -> {
        consume(WatchKind.CHILD, path, owed);
        collect(WatchKind.PERSISTENT, path, owed);
      }
      default -> throw new IllegalArgumentException("not a server-side event type: " + type);
    }
    List<Notification> out = new ArrayList<>(owed.size());
    for (long w : owed) {
      out.add(new Notification(w, type, path));
    }
    return out;
  }

  /** checkWatches: does this watcher hold a watch of {@code type} on {@code path}? */
  public boolean contains(long watcherId, String path, WatcherType type) {
    Map<String, Integer> paths = byWatcher.get(watcherId);
    int mask = paths == null ? 0 : paths.getOrDefault(path, 0);
    return (mask & maskOf(type)) != 0;
  }

  /** removeWatches: removes this watcher's watches of {@code type} on {@code path}; false if none. */
  public boolean remove(long watcherId, String path, WatcherType type) {
    Map<String, Integer> paths = byWatcher.get(watcherId);
    int mask = paths == null ? 0 : paths.getOrDefault(path, 0);
    int hit = mask & maskOf(type);
    if (hit == 0) {
      return false;
    }
    for (WatchKind k : WatchKind.values()) {
      if ((hit & k.bit()) != 0) {
        drop(k, path, watcherId);
      }
    }
    return true;
  }

  /** The connection closed: all its watches go. */
  public void removeWatcher(long watcherId) {
    Map<String, Integer> paths = byWatcher.remove(watcherId);
    if (paths == null) {
      return;
    }
    for (Map.Entry<String, Integer> e : paths.entrySet()) {
      for (WatchKind k : WatchKind.values()) {
        if ((e.getValue() & k.bit()) != 0) {
          removeFromTable(k, e.getKey(), watcherId);
          total--;
        }
      }
    }
  }

  /** Paths this watcher watches with {@code kind} (for SetWatches-style reports and wchc). */
  public Map<String, Integer> watchesOf(long watcherId) {
    Map<String, Integer> paths = byWatcher.get(watcherId);
    return paths == null ? Map.of() : Map.copyOf(paths);
  }

  public int watchCount(long watcherId) {
    Map<String, Integer> paths = byWatcher.get(watcherId);
    if (paths == null) {
      return 0;
    }
    int n = 0;
    for (int mask : paths.values()) {
      n += Integer.bitCount(mask);
    }
    return n;
  }

  public int totalWatches() {
    return total;
  }

  public int watcherCount() {
    return byWatcher.size();
  }

  /** Distinct watched paths across all tables. */
  public int pathCount() {
    Set<String> paths = new java.util.HashSet<>();
    for (Map<String, Set<Long>> t : tables.values()) {
      paths.addAll(t.keySet());
    }
    return paths.size();
  }

  private static int maskOf(WatcherType type) {
    return switch (type) {
      case CHILDREN -> WatchKind.CHILD.bit();
      case DATA -> WatchKind.DATA.bit();
      case PERSISTENT -> WatchKind.PERSISTENT.bit();
      case PERSISTENT_RECURSIVE -> WatchKind.PERSISTENT_RECURSIVE.bit();
      case ANY -> WatchKind.DATA.bit() | WatchKind.CHILD.bit() | WatchKind.PERSISTENT.bit()
          | WatchKind.PERSISTENT_RECURSIVE.bit();
    };
  }

  private void consume(WatchKind kind, String path, Set<Long> owed) {
    Set<Long> ws = tables.get(kind).remove(path);
    if (ws == null) {
      return;
    }
    for (long w : ws) {
      owed.add(w);
      clearBit(w, path, kind);
      total--;
    }
  }

  private void collect(WatchKind kind, String path, Set<Long> owed) {
    Set<Long> ws = tables.get(kind).get(path);
    if (ws != null) {
      owed.addAll(ws);
    }
  }

  private void collectRecursive(String path, Set<Long> owed) {
    Map<String, Set<Long>> recursive = tables.get(WatchKind.PERSISTENT_RECURSIVE);
    if (recursive.isEmpty()) {
      return;
    }
    String p = path;
    while (true) {
      Set<Long> ws = recursive.get(p);
      if (ws != null) {
        owed.addAll(ws);
      }
      if (p.equals("/") || p.isEmpty()) {
        return;
      }
      int slash = p.lastIndexOf('/');
      p = slash <= 0 ? "/" : p.substring(0, slash);
    }
  }

  private void drop(WatchKind kind, String path, long watcherId) {
    removeFromTable(kind, path, watcherId);
    clearBit(watcherId, path, kind);
    total--;
  }

  private void removeFromTable(WatchKind kind, String path, long watcherId) {
    Map<String, Set<Long>> table = tables.get(kind);
    Set<Long> ws = table.get(path);
    if (ws != null) {
      ws.remove(watcherId);
      if (ws.isEmpty()) {
        table.remove(path);
      }
    }
  }

  private void clearBit(long watcherId, String path, WatchKind kind) {
    Map<String, Integer> paths = byWatcher.get(watcherId);
    if (paths == null) {
      return;
    }
    int mask = paths.getOrDefault(path, 0) & ~kind.bit();
    if (mask == 0) {
      paths.remove(path);
      if (paths.isEmpty()) {
        byWatcher.remove(watcherId);
      }
    } else {
      paths.put(path, mask);
    }
  }
}
