package io.warden.coordinator.net;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reset bookkeeping of the link with one peer — both directions together, because the node
 * treats them as one link ({@link PeerReceiver#onPeerLinkReset}).
 *
 * <p>A <em>loss</em> is any event after which a message may not arrive: a connection that closed
 * (either direction), a message dropped because the peer was unreachable, a full send queue.
 * Event loops count losses ({@link #lost()}); the core thread <em>acknowledges</em> them by
 * running the report, which calls the receiver once per batch of losses it had not seen — never
 * twice for the same one. The rules that keep "FIFO, no duplicates, resets reported" true:
 * <ul>
 *   <li>Outbound: every message is stamped with the losses the core had acknowledged when it
 *       sent it ({@link #acknowledged()}); a message is written only while its stamp equals the
 *       current count. So after a loss nothing the core sent before hearing of it gets through,
 *       and a report always runs after any message it covers was dropped.</li>
 *   <li>Inbound: each accepted connection gets a generation; when it closes or is replaced the
 *       generation moves on, and its messages still queued for the core are discarded there. So
 *       no message of a connection is delivered after the reset that ended it.</li>
 * </ul>
 */
final class LinkResets {
  private final int peer;
  private final Executor core;
  private final PeerReceiver receiver;
  private final AtomicLong losses = new AtomicLong();
  private final AtomicBoolean reportPending = new AtomicBoolean();
  /** Core thread only. */
  private long acknowledged;
  /** Guarded by {@code this}: the current inbound connection and its generation. */
  private PeerInbound inbound;
  private volatile int inboundGeneration;

  LinkResets(int peer, Executor core, PeerReceiver receiver) {
    this.peer = peer;
    this.core = core;
    this.receiver = receiver;
  }

  /** Any thread: a message to or from the peer may have been lost. */
  void lost() {
    losses.incrementAndGet();
    if (reportPending.compareAndSet(false, true)) {
      core.execute(this::report);
    }
  }

  /** Core thread: the stamp for a message sent now. */
  long acknowledged() {
    return acknowledged;
  }

  /** Event loop: whether a message with this stamp may still be written. */
  boolean current(long stamp) {
    return stamp == losses.get();
  }

  private void report() {
    reportPending.set(false);
    long now = losses.get();
    if (now != acknowledged) {
      acknowledged = now;
      receiver.onPeerLinkReset(peer);
    }
  }

  // ---- inbound connections ----------------------------------------------------------------

  /**
   * A connection from the peer passed the handshake. A previous one is retired (its late
   * messages are discarded) and counts as a loss. Returns the new connection's generation.
   */
  int accepted(PeerInbound conn) {
    PeerInbound previous;
    int generation;
    synchronized (this) {
      previous = inbound;
      inbound = conn;
      generation = ++inboundGeneration;
    }
    if (previous != null) {
      previous.replaced();
      lost();
    }
    return generation;
  }

  /** The connection closed; if it was still the current one, that is a loss. */
  void closed(PeerInbound conn) {
    synchronized (this) {
      if (inbound != conn) {
        return; // replaced earlier: counted then
      }
      inbound = null;
      ++inboundGeneration;
    }
    lost();
  }

  /** Core thread: whether messages of this generation may still be delivered. */
  boolean deliverable(int generation) {
    return generation == inboundGeneration;
  }

  synchronized PeerInbound inbound() {
    return inbound;
  }
}
