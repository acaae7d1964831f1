package io.warden.client.recipes;

import io.warden.client.ConnectionState;
import io.warden.client.ConnectionStateListener;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election, "take leadership, then give it up" style (Curator's LeaderSelector): the
 * participant waits in a {@link Mutex} queue on {@code path}; when it gets the lock it is the
 * leader and {@link Leadership#lead(long)} runs on the selector's thread
 * ({@code warden-leader-selector-N}); returning from it gives leadership up (the lock node is
 * deleted and the next participant leads). With {@code requeue} the participant then queues again.
 *
 * <p><b>Guarantees.</b> Those of {@link Mutex}: while sessions live, at most one participant runs
 * {@code lead} at a time, served in arrival order; the fencing token passed to {@code lead} (the
 * lock node's czxid) is larger for every later leader.
 *
 * <p><b>Failure behaviour.</b>
 * <ul>
 *   <li>SUSPENDED: the leader thread is interrupted, because this process can no longer be sure it
 *       leads; {@code lead} must stop promptly when interrupted (and should check
 *       {@link Thread#isInterrupted()} in loops). The selector then releases and, with requeue,
 *       queues again once the connection is back.
 *   <li>Session loss (LOST): the leader thread is interrupted, leadership has passed on, and the
 *       selector stops for good (the client is finished).
 *   <li>GC pause longer than the session: the interrupt comes only once the process runs again and
 *       hears of it; until then only the fencing token protects the resource.
 * </ul>
 */
public final class LeaderSelector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderSelector.class);

  /** The leader's work; return to give leadership up. Interrupted when leadership is in doubt. */
  @FunctionalInterface
  public interface Leadership {
    void lead(long fencingToken) throws Exception;
  }

  private final WardenClient client;
  private final String path;
  private final Leadership leadership;
  private final boolean requeue;
  private final ExecutorService thread = RecipeThread.start("leader-selector");
  private final ConnectionStateListener stateListener = this::stateChanged;
  private volatile Thread leaderThread;
  private volatile boolean leading;
  private volatile boolean closed;
  private volatile boolean started;

  public LeaderSelector(WardenClient client, String path, boolean requeue, Leadership leadership) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = RecipePaths.validate(path);
    this.requeue = requeue;
    this.leadership = Objects.requireNonNull(leadership, "leadership");
  }

  /** Starts queueing for leadership on the selector's thread. Once only. */
  public void start() {
    if (started || closed) {
      throw new IllegalStateException("a LeaderSelector starts once (closed=" + closed + ")");
    }
    started = true;
    client.addStateListener(stateListener);
    thread.execute(this::run);
  }

  /** True while {@code lead} runs and the client is connected. */
  public boolean hasLeadership() {
    return leading && client.state() != null && client.state().isConnected();
  }

  /** Stops: interrupts a running {@code lead}, leaves the queue, waits for the thread to end. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    client.removeStateListener(stateListener);
    thread.shutdownNow(); // interrupts the leader or the waiting acquire
    if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("leader selector on " + path + " did not stop in 10 s");
    }
  }

  private void run() {
    leaderThread = Thread.currentThread();
    do {
      Mutex mutex = new Mutex(client, path);
      try {
        mutex.acquire();
      } catch (WardenException e) {
        if (client.state().isTerminal()) {
          log.info("leader selector on {} stops: {}", path, e.toString());
          return;
        }
        log.warn("leader selector on {} could not queue ({}); trying again", path, e.toString());
        continue;
      } catch (InterruptedException e) {
        return; // closed
      }
      try {
        leading = true;
        leadership.lead(mutex.fencingToken());
      } catch (InterruptedException e) {
        log.info("leadership of {} interrupted", path);
      } catch (Exception e) {
        log.warn("leadership of {} ended with an exception", path, e);
      } finally {
        leading = false;
        Thread.interrupted(); // the interrupt was for lead(); releasing must still work
        giveUp(mutex);
      }
    } while (requeue && !closed && !client.state().isTerminal());
  }

  private void giveUp(Mutex mutex) {
    try {
      mutex.release();
    } catch (WardenException e) {
      log.warn("could not delete the lock node of {} ({}); it goes with the session", path,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stateChanged(ConnectionState state) {
    if ((state == ConnectionState.SUSPENDED || state.isTerminal()) && leading) {
      Thread t = leaderThread;
      if (t != null) {
        t.interrupt();
      }
    }
  }
}
