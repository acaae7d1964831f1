package io.warden.coordinator.sim;

import java.util.PriorityQueue;

/**
 * The one global event queue, ordered by virtual time and then by insertion, so that two events
 * at the same instant always run in the order they were scheduled (determinism).
 */
final class EventQueue {
  /** What an event is, for the trace and its hash. */
  enum Kind {
    TICK, PEER_MESSAGE, LINK_RESET, STORAGE, CLIENT_TO_NODE, NODE_TO_CLIENT, CLIENT_TIMER, NEMESIS, ADMIN, PHASE
  }

  /** Deliver to whichever incarnation of the node is up at the time (datagrams). */
  static final int ANY_INCARNATION = -1;

  /**
   * One scheduled event. {@code node} is 0 for events that belong to no server (clients, the
   * nemesis); a node event runs only if that node is up (and, unless {@link #ANY_INCARNATION},
   * still in the same incarnation), and waits while the node is paused.
   */
  static final class Event implements Comparable<Event> {
    final long timeNanos;
    final long seq;
    final Kind kind;
    final int node;
    final int incarnation;
    final Object detail;
    final Runnable action;

    Event(long timeNanos, long seq, Kind kind, int node, int incarnation, Object detail, Runnable action) {
      this.timeNanos = timeNanos;
      this.seq = seq;
      this.kind = kind;
      this.node = node;
      this.incarnation = incarnation;
      this.detail = detail;
      this.action = action;
    }

    Event at(long newTimeNanos, long newSeq) {
      return new Event(newTimeNanos, newSeq, kind, node, incarnation, detail, action);
    }

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(timeNanos, o.timeNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public String toString() {
      return String.format("%10.3fms %-14s n%d %s", timeNanos / 1e6, kind, node, detail);
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private long nextSeq;

  void add(long timeNanos, Kind kind, int node, int incarnation, Object detail, Runnable action) {
    queue.add(new Event(timeNanos, nextSeq++, kind, node, incarnation, detail, action));
  }

  /**
   * Puts an event back at a later time (a paused node), keeping its place in scheduling order.
   * A fresh sequence number would put it behind events scheduled after it: when a pause is
   * extended, a message deferred to the first end would be deferred again behind messages that
   * arrived later on the same link, breaking the FIFO order a TCP link guarantees (seed 904
   * delivered a follower's forwarded writes out of order that way).
   */
  void defer(Event e, long timeNanos) {
    queue.add(e.at(timeNanos, e.seq));
  }

  Event poll() {
    return queue.poll();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  int size() {
    return queue.size();
  }
}
