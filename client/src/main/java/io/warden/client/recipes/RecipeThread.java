package io.warden.client.recipes;

import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a background recipe (latch, caches) runs its work on: watchers only post a task,
 * so the client's event thread is never blocked by a recipe's blocking calls or retries, and the
 * recipe's state has a single owner. Daemon, named {@code warden-<recipe>-N}.
 */
final class RecipeThread {
  private static final Logger LOG = LoggerFactory.getLogger(RecipeThread.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  private RecipeThread() {
  }

  /**
   * Runs {@code task} on a recipe's thread unless the recipe closed. A task that fails because
   * the client ended under it (closing, closed, session lost) ends quietly; any other failure is
   * a bug and is logged as one — the thread lives on either way, so later events still run.
   * After the executor shut down, tasks are dropped on purpose.
   */
  static void post(ExecutorService thread, BooleanSupplier closed, WardenClient client, String what,
      Runnable task) {
    try {
      thread.execute(() -> {
        if (closed.getAsBoolean()) {
          return;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          ConnectionState state = client.state();
          if (client.isClosed() || state != null && state.isTerminal()) {
            LOG.info("{} stops: the client ended ({})", what, client.isClosed() ? "closed" : state);
          } else {
            LOG.error("{}: a task failed", what, e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // closed: events after close() are dropped on purpose
    }
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
