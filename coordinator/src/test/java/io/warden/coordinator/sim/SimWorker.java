package io.warden.coordinator.sim;

import java.util.ArrayDeque;

/**
 * One of a node's dedicated threads ({@code warden-log-N}, {@code warden-snapshot-N}) in virtual
 * time: tasks run one at a time in submission order, each taking a random duration. A task's
 * start and end are events of its node, so a crash drops them and a pause (stop-the-world)
 * delays them.
 */
final class SimWorker {
  /** A unit of blocking work: {@code onStart} when the thread picks it up, {@code onEnd} when done. */
  record Task(String what, long durationNanos, Runnable onStart, Runnable onEnd) {
  }

  private final Simulation sim;
  private final SimNode node;
  private final int incarnation;
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private boolean busy;

  SimWorker(Simulation sim, SimNode node, int incarnation) {
    this.sim = sim;
    this.node = node;
    this.incarnation = incarnation;
  }

  void submit(Task task) {
    queue.add(task);
    if (!busy) {
      startNext();
    }
  }

  private void startNext() {
    Task t = queue.poll();
    if (t == null) {
      busy = false;
      return;
    }
    busy = true;
    if (t.onStart() != null) {
      t.onStart().run();
    }
    sim.schedule(sim.now() + t.durationNanos(), EventQueue.Kind.STORAGE, node.id, incarnation, t.what(), () -> {
      t.onEnd().run();
      startNext();
    });
  }
}
