package io.warden.client.recipes;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread a background recipe (latch, caches) runs its work on: watchers only post a task,
 * so the client's event thread is never blocked by a recipe's blocking calls or retries, and the
 * recipe's state has a single owner. Daemon, named {@code warden-<recipe>-N}.
 */
final class RecipeThread {
  private static final AtomicInteger IDS = new AtomicInteger();

  private RecipeThread() {
  }

  static ExecutorService start(String recipe) {
    String name = "warden-" + recipe + "-" + IDS.incrementAndGet();
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
