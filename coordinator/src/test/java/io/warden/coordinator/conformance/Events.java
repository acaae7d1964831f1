package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;

/**
 * A watcher that records what it is given, in delivery order (the client's event thread delivers in
 * wire order). Node events and connection-state events are kept apart so a test can reason about
 * one without the other.
 */
final class Events implements Watcher {
  static final long WAIT_S = 20;

  /** A node event reduced to what the server decides: type and path. */
  record Seen(EventType type, String path) {
    static Seen of(WatchedEvent e) {
      return new Seen(e.getType(), e.getPath());
    }

    @Override
    public String toString() {
      return type + " " + path;
    }
  }

  private final LinkedBlockingQueue<WatchedEvent> nodeEvents = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<KeeperState> states = new LinkedBlockingQueue<>();
  private final List<KeeperState> allStates = new ArrayList<>();

  @Override
  public void process(WatchedEvent e) {
    if (e.getType() == EventType.None) {
      synchronized (allStates) {
        allStates.add(e.getState());
      }
      states.add(e.getState());
    } else {
      nodeEvents.add(e);
    }
  }

  /** The next node event; fails if none arrives in time. */
  Seen next() throws InterruptedException {
    return Seen.of(nextEvent());
  }

  /** The next node event as the client delivered it (with its zxid). */
  WatchedEvent nextEvent() throws InterruptedException {
    WatchedEvent e = nodeEvents.poll(WAIT_S, TimeUnit.SECONDS);
    assertThat(e).as("a watch event within %d s", WAIT_S).isNotNull();
    return e;
  }

  /** Asserts the next node event. */
  void expect(EventType type, String path) throws InterruptedException {
    assertThat(next()).isEqualTo(new Seen(type, path));
  }

  /**
   * Asserts that nothing else arrived before the sentinel event: the caller triggers a watch that
   * is known to fire after everything it wants to rule out (events arrive in order), so "no event"
   * is proven without waiting for a timeout.
   */
  void expectOnlySentinel(EventType type, String path) throws InterruptedException {
    assertThat(next()).as("no other event before the sentinel").isEqualTo(new Seen(type, path));
  }

  /** Node events so far, without waiting. */
  List<Seen> drain() {
    List<WatchedEvent> raw = new ArrayList<>();
    nodeEvents.drainTo(raw);
    return raw.stream().map(Seen::of).toList();
  }

  /** Waits until the client reports {@code state}, skipping other state changes. */
  void awaitState(KeeperState state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (true) {
      long left = deadline - System.nanoTime();
      KeeperState s = states.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      assertThat(s)
          .as("connection state %s within %d s (saw %s)", state, WAIT_S, statesSeen())
          .isNotNull();
      if (s == state) {
        return;
      }
    }
  }

  List<KeeperState> statesSeen() {
    synchronized (allStates) {
      return List.copyOf(allStates);
    }
  }
}
