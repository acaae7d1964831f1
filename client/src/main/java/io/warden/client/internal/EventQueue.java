package io.warden.client.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's event thread ({@code warden-client-events-N}): one thread, one FIFO queue, so
 * completions, watch events and state changes reach user code in the order the I/O thread
 * posted them, which is wire order. A task that throws is logged and the thread goes on.
 *
 * <p>The queue is unbounded because the I/O thread must never block on user code; its growth
 * is bounded by what the server sends in reply to what the user asked.
 *
 * <p>After the client has terminated the thread is allowed to time out, so no thread outlives
 * the client; a task posted later (a late failure) starts it again under the same name.
 */
public final class EventQueue {
  private static final Logger log = LoggerFactory.getLogger(EventQueue.class);
  private final ThreadPoolExecutor executor;

  public EventQueue(String threadName) {
    executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, threadName);
          t.setDaemon(true);
          return t;
        });
  }

  public void post(Runnable task) {
    executor.execute(() -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.warn("a callback threw; the event thread carries on", e);
      }
    });
  }

  /** Lets the thread exit once the queue is drained (called when the client terminated). */
  public void retire() {
    executor.setKeepAliveTime(100, TimeUnit.MILLISECONDS);
    executor.allowCoreThreadTimeOut(true);
  }
}
