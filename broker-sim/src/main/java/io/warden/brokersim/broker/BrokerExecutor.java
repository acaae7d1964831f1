package io.warden.brokersim.broker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One broker's event thread (Kafka's ControllerEventManager plays this role for the controller;
 * here the broker and its controller module share it). Tasks run one at a time in FIFO order.
 * It can be paused — a simulated GC pause: queued tasks wait, none run — and a task can be put at
 * the head of the queue, which is how a paused controller "was in the middle of" a write when it
 * froze. Delayed tasks go through a shared timer and then through this queue, so they obey the
 * pause too.
 */
public final class BrokerExecutor {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Deque<Runnable> tasks = new ArrayDeque<>();
  private final ScheduledExecutorService timer;
  private final Consumer<Throwable> onFailure;
  private final Thread thread;
  private boolean paused;
  private boolean shutdown;

  public BrokerExecutor(String name, ScheduledExecutorService timer, Consumer<Throwable> onFailure) {
    this.timer = timer;
    this.onFailure = onFailure;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  public void submit(Runnable task) {
    enqueue(task, false);
  }

  /** Runs {@code task} before everything already queued. */
  public void submitFirst(Runnable task) {
    enqueue(task, true);
  }

  /** Submits {@code task} after {@code delayMs}; cancelled tasks never reach the queue. */
  public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
    return timer.schedule(() -> submit(task), delayMs, TimeUnit.MILLISECONDS);
  }

  public void pause() {
    withLock(() -> paused = true);
  }

  public void resume() {
    withLock(() -> paused = false);
  }

  public boolean isPaused() {
    lock.lock();
    try {
      return paused;
    } finally {
      lock.unlock();
    }
  }

  public boolean onExecutorThread() {
    return Thread.currentThread() == thread;
  }

  /** Drops queued tasks and interrupts the running one (a killed broker does nothing more). */
  public void shutdownNow() {
    withLock(() -> {
      shutdown = true;
      tasks.clear();
    });
    thread.interrupt();
  }

  private void enqueue(Runnable task, boolean first) {
    withLock(() -> {
      if (shutdown) {
        return; // a dead broker's watchers may still fire; their work is moot
      }
      if (first) {
        tasks.addFirst(task);
      } else {
        tasks.addLast(task);
      }
    });
  }

  private void withLock(Runnable r) {
    lock.lock();
    try {
      r.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (true) {
      Runnable next;
      lock.lock();
      try {
        while (!shutdown && (paused || tasks.isEmpty())) {
          changed.awaitUninterruptibly();
        }
        if (shutdown) {
          return;
        }
        next = tasks.pollFirst();
      } finally {
        lock.unlock();
      }
      try {
        next.run();
      } catch (Throwable t) {
        if (isShutdown()) {
          return;
        }
        onFailure.accept(t);
      }
      Thread.interrupted(); // a task's interrupt must not leak into the next one
    }
  }

  private boolean isShutdown() {
    lock.lock();
    try {
      return shutdown;
    } finally {
      lock.unlock();
    }
  }
}
