package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeData;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.client.WatchEvent;
import io.warden.client.Watcher;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.KeeperState;
import io.warden.protocol.WatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live local copy of a subtree (data and Stat of every node under {@code root}, root included),
 * kept current by one persistent-recursive watch (3.6+ servers), like Curator's CuratorCache.
 *
 * <p><b>How.</b> {@link #start()} adds the watch, then loads the subtree. Every node event makes
 * the cache read that one node again (getData; NoNode removes it and its cached descendants).
 * All reads run one after another on the cache's own thread ({@code warden-tree-cache-N}), and a
 * session's reads are answered in order, so the last read of a path is never older than the last
 * event for it: the copy converges to the server's state. After every reconnect the whole subtree
 * is read again, because a recursive watch restored after a disconnect does not replay what
 * changed below the root meanwhile.
 *
 * <p><b>Guarantees.</b> Eventually consistent: after changes stop (and the connection is up) the
 * cache equals the subtree. Listeners hear ADDED/UPDATED/REMOVED in the order the cache applied
 * them, on the cache thread, and INITIALIZED once after the first load. It is not a
 * linearizable read: use the client for compare-and-set decisions.
 *
 * <p><b>Failure behaviour.</b> SUSPENDED: the cache keeps its last contents (they may be stale;
 * {@link #isLive()} is false) and resynchronises on RECONNECTED, firing events for the
 * differences. Session loss: the cache stops changing and {@link #isLive()} stays false; build a
 * new client and cache. GC pause: the contents are as old as the pause; events catch up after.
 */
public final class TreeCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TreeCache.class);

  public enum EventType { ADDED, UPDATED, REMOVED, INITIALIZED }

  /** One change of the cache; {@code data} is the new data (the old one for REMOVED). */
  public record Event(EventType type, String path, NodeData data) {
  }

  @FunctionalInterface
  public interface Listener {
    void event(Event event);
  }

  private final WardenClient client;
  private final String root;
  private final Map<String, NodeData> nodes = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread = RecipeThread.start("tree-cache");
  private final CountDownLatch initialized = new CountDownLatch(1);
  private final Watcher watcher = this::onEvent;
  private volatile boolean closed;
  private volatile boolean started;

  public TreeCache(WardenClient client, String root) {
    this.client = Objects.requireNonNull(client, "client");
    this.root = RecipePaths.validate(root);
  }

  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Adds the watch and loads the subtree; returns once loaded (at most {@code timeout}). */
  public void start(Duration timeout) throws WardenException, InterruptedException {
    if (started) {
      throw new IllegalStateException("a TreeCache starts once");
    }
    started = true;
    client.retryPolicy().call(() -> {
      client.blocking().addWatch(root, watcher, AddWatchMode.PERSISTENT_RECURSIVE);
      return null;
    });
    post(this::resync);
    if (!initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new WardenException(ErrorCode.OPERATION_TIMEOUT, root,
          "tree cache not loaded within " + timeout);
    }
  }

  /** Starts with a 30 s bound on the first load. */
  public void start() throws WardenException, InterruptedException {
    start(Duration.ofSeconds(30));
  }

  /** The cached node, or null. */
  public NodeData get(String path) {
    return nodes.get(path);
  }

  /** Names of the cached children of {@code path}, sorted. */
  public List<String> children(String path) {
    String prefix = path.equals("/") ? "/" : path + "/";
    List<String> names = new ArrayList<>();
    for (String p : nodes.keySet()) {
      if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0 && p.length() > prefix.length()) {
        names.add(p.substring(prefix.length()));
      }
    }
    names.sort(Comparator.naturalOrder());
    return names;
  }

  /** A sorted copy of everything cached, path to data. */
  public Map<String, NodeData> snapshot() {
    return new TreeMap<>(nodes);
  }

  /** True once loaded, while connected and not closed. */
  public boolean isLive() {
    return initialized.getCount() == 0 && !closed && client.state() != null
        && client.state().isConnected();
  }

  @Override
  public void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    thread.shutdown();
    thread.awaitTermination(10, TimeUnit.SECONDS);
    if (started && !client.state().isTerminal()) {
      try {
        client.blocking().removeWatches(root, watcher, WatcherType.ANY);
      } catch (WardenException e) {
        log.debug("tree cache on {}: watch not removed ({}); it ends with the session", root,
            e.toString());
      }
    }
  }

  private void onEvent(WatchEvent event) {
    switch (event.type()) {
      case NONE -> {
        if (event.state() == KeeperState.SYNC_CONNECTED
            || event.state() == KeeperState.CONNECTED_READ_ONLY) {
          post(this::resync); // back after a disconnect: catch up on what we missed
        }
      }
      case NODE_CREATED, NODE_DATA_CHANGED, NODE_DELETED -> post(() -> refresh(event.path()));
      default -> {
        // child and removal events carry nothing a recursive watch has not told us already
      }
    }
  }

  private void post(Runnable task) {
    RecipeThread.post(thread, () -> closed, client, "tree cache on " + root, task);
  }


  /** Reads one node again (cache thread). */
  private void refresh(String path) {
    try {
      NodeData data = read(path);
      if (data == null) {
        removeSubtree(path);
      } else {
        put(path, data);
      }
    } catch (WardenException e) {
      log.warn("tree cache on {}: could not read {} ({}); will resync on reconnect", root, path,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads the whole subtree and applies the differences (cache thread). */
  private void resync() {
    try {
      Set<String> seen = new HashSet<>();
      load(root, seen);
      for (String cached : new ArrayList<>(nodes.keySet())) {
        if (!seen.contains(cached)) {
          removeSubtree(cached);
        }
      }
      if (initialized.getCount() > 0) {
        initialized.countDown();
        fire(new Event(EventType.INITIALIZED, root, null));
      }
    } catch (WardenException e) {
      log.warn("tree cache on {}: resync failed ({}); will retry on reconnect", root,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void load(String path, Set<String> seen) throws WardenException, InterruptedException {
    NodeData data = read(path);
    if (data == null) {
      return;
    }
    seen.add(path);
    put(path, data);
    BlockingWardenClient sync = client.blocking();
    List<String> kids;
    try {
      kids = client.retryPolicy().call(() -> sync.getChildren(path));
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        return;
      }
      throw e;
    }
    for (String kid : kids) {
      load(path.equals("/") ? "/" + kid : path + "/" + kid, seen);
    }
  }

  private NodeData read(String path) throws WardenException, InterruptedException {
    try {
      return client.retryPolicy().call(() -> client.blocking().getData(path));
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        return null;
      }
      throw e;
    }
  }

  private void put(String path, NodeData data) {
    NodeData old = nodes.put(path, data);
    if (old == null) {
      fire(new Event(EventType.ADDED, path, data));
    } else if (old.stat().mzxid() != data.stat().mzxid()
        || !Arrays.equals(old.data(), data.data())) {
      fire(new Event(EventType.UPDATED, path, data));
    }
  }

  private void removeSubtree(String path) {
    List<String> doomed = new ArrayList<>();
    for (String p : nodes.keySet()) {
      if (p.equals(path) || p.startsWith(path + "/")) {
        doomed.add(p);
      }
    }
    doomed.sort(Comparator.comparing(String::length).reversed()); // children before parents
    for (String p : doomed) {
      NodeData old = nodes.remove(p);
      if (old != null) {
        fire(new Event(EventType.REMOVED, p, old));
      }
    }
  }

  private void fire(Event event) {
    for (Listener l : listeners) {
      try {
        l.event(event);
      } catch (RuntimeException e) {
        log.error("tree cache listener failed on {}", event, e);
      }
    }
  }
}
