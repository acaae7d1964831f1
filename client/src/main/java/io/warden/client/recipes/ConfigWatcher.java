package io.warden.client.recipes;

import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A typed configuration value held in one node that updates live: {@link #get()} is always the
 * latest value this process has seen, decoded with the caller's decoder, or the default while the
 * node does not exist. Built on a {@link TreeCache} of the node (a persistent-recursive watch), so
 * it survives reconnects: after one it reads the node again and reports any change it missed.
 *
 * <p><b>Guarantees.</b> Eventually current; listeners hear each distinct value this process
 * observes, in order, on the cache thread (intermediate values written in quick succession may be
 * skipped — you see the latest, not every one). A value the decoder rejects is not applied: the
 * last good value stays, and {@link #lastError()} tells why.
 *
 * <p><b>Failure behaviour.</b> SUSPENDED: {@link #get()} keeps the last value (possibly stale);
 * RECONNECTED: re-read. Session loss: the value freezes at the last one seen; build a new client.
 * GC pause: the value is as old as the pause until the next event.
 */
public final class ConfigWatcher<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
  private final String path;
  private final Function<byte[], T> decoder;
  private final T defaultValue;
  private final TreeCache cache;
  private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
  private volatile T value;
  private volatile RuntimeException lastError;

  public ConfigWatcher(WardenClient client, String path, Function<byte[], T> decoder,
      T defaultValue) {
    this.path = RecipePaths.validate(path);
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.defaultValue = defaultValue;
    this.value = defaultValue;
    this.cache = new TreeCache(client, path);
    cache.addListener(this::onEvent);
  }

  /** Told of every new value (on the cache thread). */
  public void addListener(Consumer<T> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Starts watching; returns once the current value is loaded. */
  public ConfigWatcher<T> start() throws WardenException, InterruptedException {
    cache.start(Duration.ofSeconds(30));
    return this;
  }

  public T get() {
    return value;
  }

  /** Why the last rejected value was rejected, or null. */
  public RuntimeException lastError() {
    return lastError;
  }

  @Override
  public void close() throws InterruptedException {
    cache.close();
  }

  private void onEvent(TreeCache.Event event) {
    if (!path.equals(event.path())) {
      return;
    }
    switch (event.type()) {
      case ADDED, UPDATED -> apply(event.data().data());
      case REMOVED -> set(defaultValue);
      case INITIALIZED -> {
        // the node's own ADDED came first (or it does not exist and the default stands)
      }
      default -> throw new IllegalStateException("unknown event " + event.type());
    }
  }

  private void apply(byte[] data) {
    T decoded;
    try {
      decoded = decoder.apply(data);
    } catch (RuntimeException e) {
      lastError = e;
      log.warn("config {}: rejected a value the decoder could not read; keeping {}", path, value, e);
      return;
    }
    set(decoded);
  }

  private void set(T next) {
    if (Objects.equals(next, value)) {
      return;
    }
    value = next;
    for (Consumer<T> l : listeners) {
      l.accept(next);
    }
  }
}
