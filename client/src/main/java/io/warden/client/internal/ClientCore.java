package io.warden.client.internal;

import io.warden.client.ConnectionState;
import io.warden.client.ConnectionStateListener;
import io.warden.client.WardenException;
import io.warden.client.WatchEvent;
import io.warden.client.Watcher;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.KeeperState;
import io.warden.protocol.OpCode;
import io.warden.protocol.RemoveWatchesRequest;
import io.warden.protocol.WatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread-safe heart shared by the async API and the blocking facade: it owns the two threads
 * of one client ({@code warden-client-io-N} running {@link SessionLoop}, and the event thread),
 * hands work to the I/O thread and publishes state. See client/CONCURRENCY.md.
 */
public final class ClientCore {
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

  private final ClientConfig config;
  private final Ops ops;
  private final EventQueue events;
  private final SessionLoop loop;
  private final CopyOnWriteArrayList<ConnectionStateListener> listeners =
      new CopyOnWriteArrayList<>();
  /** Guards nothing but waiting for a state change (awaitConnected); held for an assignment. */
  private final Object stateMonitor = new Object();
  private final AtomicBoolean closeRequested = new AtomicBoolean();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile ConnectionState state;
  private volatile long sessionId;
  private volatile int negotiatedTimeoutMs;

  /**
   * Starts the client. {@code initialListeners} are registered before the I/O thread starts, so
   * they see every state change from the first CONNECTED on.
   */
  public ClientCore(ClientConfig config, java.util.List<ConnectionStateListener> initialListeners) {
    this.config = config;
    this.listeners.addAll(initialListeners);
    this.ops = new Ops(new Chroot(config.connectString().chroot()));
    int id = CLIENT_IDS.incrementAndGet();
    this.events = new EventQueue("warden-client-events-" + id);
    try {
      this.loop = new SessionLoop(config, this, events);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for the client", e);
    }
    Thread io = new Thread(loop, "warden-client-io-" + id);
    io.setDaemon(true);
    io.start();
  }

  public ClientConfig config() {
    return config;
  }

  public Ops ops() {
    return ops;
  }

  // ---- operations ---------------------------------------------------------------------------

  /** Submits with completion on the event thread. */
  public <T> CompletionStage<T> async(Spec<T> spec) {
    CompletableFuture<T> future = new CompletableFuture<>();
    submit(spec.toCall(Completion.viaEvents(future, events)));
    return future.minimalCompletionStage();
  }

  /** Submits and waits, completed directly by the I/O thread (safe from any thread). */
  public <T> T await(Spec<T> spec) throws WardenException, InterruptedException {
    CompletableFuture<T> future = new CompletableFuture<>();
    submit(spec.toCall(Completion.direct(future)));
    return join(future);
  }

  private void submit(Call<?> call) {
    ensureOpen();
    loop.execute(new SessionLoop.Command() {
      @Override
      public void run() {
        loop.submit(call);
      }

      @Override
      public void abandon(WardenException cause) {
        call.fail(new WardenException(cause.code(), call.clientPath, detail(cause)));
      }
    });
  }

  public CompletionStage<Void> addAuth(AuthInfo auth, boolean direct) {
    ensureOpen();
    CompletableFuture<Void> future = new CompletableFuture<>();
    Completion<Void> completion = completion(future, direct);
    loop.execute(new SessionLoop.Command() {
      @Override
      public void run() {
        loop.addAuth(auth, completion);
      }

      @Override
      public void abandon(WardenException cause) {
        completion.fail(cause);
      }
    });
    return direct ? future : future.minimalCompletionStage();
  }

  public void awaitAuth(AuthInfo auth) throws WardenException, InterruptedException {
    join(addAuth(auth, true).toCompletableFuture());
  }

  /**
   * Removes {@code watcher} (all watchers when null) of the kinds {@code type} covers from
   * {@code path}. With a watcher: removed locally at once; the server's watch is cleared when no
   * local watcher of that kind is left. Without: the server's watches are removed first, then
   * the local ones. Removed watchers get a *_WATCH_REMOVED event. NoWatcher if none matched.
   */
  public CompletionStage<Void> removeWatches(String path, Watcher watcher, WatcherType type,
      boolean direct) {
    Validation.path(path);
    if (type == null) {
      throw new IllegalArgumentException("watcher type is null");
    }
    ensureOpen();
    CompletableFuture<Void> future = new CompletableFuture<>();
    Completion<Void> completion = completion(future, direct);
    loop.execute(new SessionLoop.Command() {
      @Override
      public void run() {
        if (watcher == null) {
          removeAllOnLoop(path, type, completion);
        } else {
          removeOneOnLoop(path, watcher, type, completion);
        }
      }

      @Override
      public void abandon(WardenException cause) {
        completion.fail(new WardenException(cause.code(), path, detail(cause)));
      }
    });
    return direct ? future : future.minimalCompletionStage();
  }

  public void awaitRemoveWatches(String path, Watcher watcher, WatcherType type)
      throws WardenException, InterruptedException {
    join(removeWatches(path, watcher, type, true).toCompletableFuture());
  }

  private void removeOneOnLoop(String path, Watcher watcher, WatcherType type,
      Completion<Void> completion) {
    Map<Watcher, EventType> removed = loop.watches().remove(path, watcher, type);
    if (removed.isEmpty()) {
      completion.fail(new WardenException(ErrorCode.NO_WATCHER, path));
      return;
    }
    postRemoved(path, removed);
    for (WatcherType emptied : loop.watches().emptiedServerTypes(path, type)) {
      loop.submit(removeCall(path, emptied, new Completion<>() {
        @Override
        public void succeed(Void value) {
          // the server's watch is gone too
        }

        @Override
        public void fail(Throwable error) {
          // NoWatcher: it had already fired; otherwise the connection went, and with it the watch
        }
      }));
    }
    completion.succeed(null);
  }

  private void removeAllOnLoop(String path, WatcherType type, Completion<Void> completion) {
    if (!loop.watches().hasAny(path, type)) {
      completion.fail(new WardenException(ErrorCode.NO_WATCHER, path));
      return;
    }
    loop.submit(removeCall(path, type, new Completion<>() {
      @Override
      public void succeed(Void value) {
        postRemoved(path, loop.watches().remove(path, null, type));
        completion.succeed(null);
      }

      @Override
      public void fail(Throwable error) {
        if (error instanceof WardenException e && e.code() == ErrorCode.NO_WATCHER) {
          succeed(null); // one-shot watches that already fired on the server
        } else {
          completion.fail(error);
        }
      }
    }));
  }

  private Call<Void> removeCall(String path, WatcherType type, Completion<Void> completion) {
    return new Call<>(OpCode.REMOVE_WATCHES, new RemoveWatchesRequest(ops.server(path),
        type.code()), path, body -> null, false, null, completion);
  }

  private void postRemoved(String path, Map<Watcher, EventType> removed) {
    removed.forEach((w, type) ->
        loop.postWatchEvent(w, new WatchEvent(type, KeeperState.SYNC_CONNECTED, path)));
  }

  // ---- closing ------------------------------------------------------------------------------

  /** Starts closing (once); the stage completes on the event thread when CLOSED. */
  public CompletionStage<Void> closeAsync() {
    startClose();
    return closed.thenApplyAsync(v -> v, events::post);
  }

  /** Closes and waits until CLOSED; safe from any thread, including the event thread. */
  public void close() throws InterruptedException {
    startClose();
    try {
      closed.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("closing failed", e.getCause());
    }
  }

  private void startClose() {
    if (closeRequested.compareAndSet(false, true)) {
      Completion<Void> done = Completion.direct(closed);
      loop.execute(new SessionLoop.Command() {
        @Override
        public void run() {
          loop.requestClose(done);
        }

        @Override
        public void abandon(WardenException cause) {
          done.succeed(null); // the client had already ended
        }
      });
    }
  }

  private void ensureOpen() {
    if (closeRequested.get()) {
      throw new IllegalStateException("WardenClient is closed");
    }
  }

  // ---- state --------------------------------------------------------------------------------

  /** Called by the I/O thread at every transition. */
  void publish(ConnectionState newState, long newSessionId, int timeoutMs) {
    synchronized (stateMonitor) {
      state = newState;
      sessionId = newSessionId;
      negotiatedTimeoutMs = timeoutMs;
      stateMonitor.notifyAll();
    }
    for (ConnectionStateListener listener : listeners) {
      events.post(() -> listener.stateChanged(newState));
    }
    if (newState.isConnected()) {
      events.post(() -> connected.complete(null));
    }
  }

  /** Called by the I/O thread once, when the client has ended. */
  void terminated(WardenException cause) {
    events.post(() -> connected.completeExceptionally(cause));
  }

  public ConnectionState state() {
    return state;
  }

  public long sessionId() {
    return sessionId;
  }

  public int negotiatedTimeoutMs() {
    return negotiatedTimeoutMs;
  }

  public CompletionStage<Void> connected() {
    return connected.minimalCompletionStage();
  }

  /**
   * Waits until the client is connected; false after {@code timeout}. Throws when the client has
   * ended (LOST, AUTH_FAILED, CLOSED) since it will never connect again.
   */
  public boolean awaitConnected(Duration timeout) throws InterruptedException, WardenException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stateMonitor) {
      while (state == null || !state.isConnected()) {
        if (state != null && state.isTerminal()) {
          throw loop.terminalError(null);
        }
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
          return false;
        }
        stateMonitor.wait(Math.max(1, leftNanos / 1_000_000));
      }
      return true;
    }
  }

  /** True from the moment close() is called (before the state reaches CLOSED). */
  public boolean isCloseRequested() {
    return closeRequested.get();
  }

  public void addStateListener(ConnectionStateListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  public void removeStateListener(ConnectionStateListener listener) {
    listeners.remove(listener);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private Completion<Void> completion(CompletableFuture<Void> future, boolean direct) {
    return direct ? Completion.direct(future) : Completion.viaEvents(future, events);
  }

  private static <T> T join(CompletableFuture<T> future)
      throws WardenException, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WardenException w) {
        throw w;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("unexpected failure", cause);
    }
  }

  private static String detail(WardenException cause) {
    String message = cause.getMessage();
    int colon = message.indexOf(": ");
    return colon < 0 ? null : message.substring(colon + 2);
  }

  /** The servers of the connect string, in the order given. */
  public List<HostPort> hosts() {
    return config.connectString().hosts();
  }
}
