package io.warden.client.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Where the I/O thread delivers the outcome of a call. Two kinds: {@link #viaEvents} completes
 * the future on the event thread (the async API: callbacks run there, in wire order), and
 * {@link #direct} completes it on the I/O thread itself, for the blocking facade, whose caller
 * only waits on the future. The direct kind is what lets a watcher or callback call the
 * blocking API without waiting for the very event thread it occupies.
 */
public interface Completion<T> {
  void succeed(T value);

  void fail(Throwable error);

  static <T> Completion<T> viaEvents(CompletableFuture<T> future, EventQueue events) {
    return new Completion<>() {
      @Override
      public void succeed(T value) {
        events.post(() -> future.complete(value));
      }

      @Override
      public void fail(Throwable error) {
        events.post(() -> future.completeExceptionally(error));
      }
    };
  }

  static <T> Completion<T> direct(CompletableFuture<T> future) {
    return new Completion<>() {
      @Override
      public void succeed(T value) {
        future.complete(value);
      }

      @Override
      public void fail(Throwable error) {
        future.completeExceptionally(error);
      }
    };
  }
}
