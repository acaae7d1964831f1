package io.warden.coordinator.net;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.warden.coordinator.node.PeerMessage;
import io.warden.protocol.FrameDecoder;
import io.warden.protocol.FrameTooLargeException;
import io.warden.protocol.JuteWriter;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection this node dials to one peer, used to send to it. The core thread enqueues
 * ({@link #send}, lock-free, never blocking); everything else runs on the link's event-loop
 * context: dialling, the handshake, encoding queued messages into one write per batch,
 * keep-alives, and redialling with capped, jittered exponential backoff.
 *
 * <p>States ({@link Phase}): IDLE (not started; messages wait), CONNECTING and HANDSHAKING
 * (messages wait), CONNECTED (messages flow), BACKOFF (the peer is unreachable: messages are
 * dropped at once and the drop reported as a reset, so a write forwarded to an unreachable leader
 * fails fast instead of waiting), CLOSED.
 */
final class PeerLink {
  enum Phase { IDLE, CONNECTING, HANDSHAKING, CONNECTED, BACKOFF, CLOSED }

  private record Queued(PeerMessage message, long stamp, long bytes) {
  }

  /** Encoded bytes gathered before one socket write. */
  private static final int WRITE_BATCH_BYTES = 256 * 1024;
  private static final int SOCKET_WRITE_QUEUE_BYTES = 4 << 20;

  final int peer;
  private final TcpPeerTransport transport;
  private final Context context;
  private final LinkResets resets;
  private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean overflowed = new AtomicBoolean();
  private volatile boolean connected;

  // ---- owned by the context ----
  private Phase phase = Phase.IDLE;
  private NetSocket socket;
  private FrameDecoder decoder;
  private PeerEndpoint endpoint;
  private int attempt;
  private int failures;
  private long timerId = -1;
  private long pingTimerId = -1;
  private long lastReadNanos;
  private long lastWriteNanos;
  private String lastLogged;
  private long lastLoggedNanos;

  PeerLink(int peer, TcpPeerTransport transport, Context context, LinkResets resets) {
    this.peer = peer;
    this.transport = transport;
    this.context = context;
    this.resets = resets;
  }

  // ---- core thread ----------------------------------------------------------------------

  /** Queues {@code m}; a full queue drops it and resets the link. Never blocks. */
  void send(PeerMessage m) {
    long bytes = PeerCodec.estimatedBytes(m);
    PeerTransportOptions o = transport.options();
    if (queuedMessages.get() >= o.queueMessagesMax() || queuedBytes.get() + bytes > o.queueBytesMax()) {
      overflowed.set(true);
      scheduleDrain();
      return;
    }
    queuedMessages.incrementAndGet();
    queuedBytes.addAndGet(bytes);
    queue.add(new Queued(m, resets.acknowledged(), bytes));
    scheduleDrain();
  }

  /** Any thread: cheap. */
  boolean isConnected() {
    return connected;
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
  }

  // ---- the link's context ----------------------------------------------------------------

  void start() {
    context.runOnContext(v -> {
      if (phase == Phase.IDLE) {
        connect();
      }
    });
  }

  void close() {
    context.runOnContext(v -> {
      phase = Phase.CLOSED;
      connected = false;
      cancelTimers();
      if (socket != null) {
        socket.close();
        socket = null;
      }
      dropQueued();
    });
  }

  private void connect() {
    if (phase == Phase.CLOSED) {
      return;
    }
    int thisAttempt = ++attempt;
    phase = Phase.CONNECTING;
    endpoint = transport.directory().lookup(peer);
    if (endpoint == null) {
      linkDown("its address is not known yet", false);
      return;
    }
    PeerEndpoint target = endpoint;
    transport.client().connect(target.port(), target.host()).onComplete(ar -> {
      if (thisAttempt != attempt || phase != Phase.CONNECTING) {
        if (ar.succeeded()) {
          ar.result().close(); // given up on (queue overflow or shutdown) while connecting
        }
        return;
      }
      if (ar.failed()) {
        linkDown("cannot connect to " + target.address() + ": " + ar.cause().getMessage(), false);
      } else {
        onConnected(ar.result());
      }
    });
  }

  private void onConnected(NetSocket s) {
    phase = Phase.HANDSHAKING;
    socket = s;
    decoder = new FrameDecoder(PeerCodec.CONTROL_FRAME_BYTES_MAX);
    lastReadNanos = System.nanoTime();
    s.setWriteQueueMaxSize(SOCKET_WRITE_QUEUE_BYTES);
    s.handler(buf -> onData(s, buf));
    s.closeHandler(v -> {
      if (socket == s) {
        linkDown("server " + peer + " closed the connection", false);
      }
    });
    s.exceptionHandler(t -> transport.log().debug("peer link to server {}: {}", peer, t.toString()));
    s.drainHandler(v -> {
      if (socket == s) {
        drain();
      }
    });
    PeerTransportOptions o = transport.options();
    writeNow(PeerCodec.encode(new PeerFrame.Hello(PeerCodec.VERSION, o.selfId(), peer, transport.fingerprint()),
        PeerCodec.CONTROL_FRAME_BYTES_MAX));
    timerId = transport.vertx().setTimer(o.handshakeTimeoutMs(), t -> {
      timerId = -1;
      if (socket == s && phase == Phase.HANDSHAKING) {
        linkDown("no answer to the handshake within " + o.handshakeTimeoutMs() + " ms", false);
      }
    });
  }

  private void onData(NetSocket s, Buffer buf) {
    if (socket != s) {
      return;
    }
    lastReadNanos = System.nanoTime();
    byte[] bytes = buf.getBytes();
    try {
      decoder.feed(bytes, 0, bytes.length, payload -> {
        if (socket == s) {
          onFrame(PeerCodec.decode(payload, PeerCodec.CONTROL_FRAME_BYTES_MAX));
        }
      });
    } catch (FrameTooLargeException | PeerCodecException e) {
      if (socket == s) {
        transport.log().warn("peer link to server {}: {}", peer, e.getMessage());
        linkDown("undecodable answer: " + e.getMessage(), false);
      }
    }
  }

  private void onFrame(PeerFrame frame) {
    if (frame instanceof PeerFrame.Ping) {
      return;
    }
    if (phase != Phase.HANDSHAKING) {
      throw new PeerCodecException("unexpected " + PeerCodec.describe(frame) + " frame from server " + peer);
    }
    if (frame instanceof PeerFrame.Refused r) {
      transport.log().warn("server {} at {} refused this server's connection: {}", peer, endpoint.address(), r.reason());
      linkDown("refused: " + r.reason(), false);
    } else if (frame instanceof PeerFrame.Welcome w) {
      String problem = transport.problemWith(w, peer);
      if (problem != null) {
        transport.log().warn("giving up on the connection to {} (server {}): {}", endpoint.address(), peer, problem);
        linkDown(problem, false);
        return;
      }
      onWelcome();
    } else {
      throw new PeerCodecException("unexpected " + PeerCodec.describe(frame) + " frame from server " + peer);
    }
  }

  private void onWelcome() {
    cancelTimers();
    phase = Phase.CONNECTED;
    connected = true;
    failures = 0;
    lastLogged = null;
    lastWriteNanos = System.nanoTime();
    transport.log().info("connected to server {} at {}", peer, endpoint.address());
    int pingMs = transport.options().pingIntervalMs();
    pingTimerId = transport.vertx().setPeriodic(pingMs, pingMs, t -> keepAlive());
    drain();
  }

  private void drain() {
    drainScheduled.set(false);
    if (overflowed.getAndSet(false)) {
      PeerTransportOptions o = transport.options();
      linkDown("send queue full (" + o.queueMessagesMax() + " messages or " + o.queueBytesMax() + " bytes): server "
          + peer + " does not keep up", true);
      return;
    }
    switch (phase) {
      case CONNECTED -> writeQueued();
      case BACKOFF -> {
        if (dropQueued() > 0) {
          resets.lost(); // the peer is unreachable; a forwarded write must fail now
        }
      }
      case CLOSED -> dropQueued();
      case IDLE, CONNECTING, HANDSHAKING -> {
        // they wait for the handshake
      }
    }
  }

  /** Encodes queued messages into as few socket writes as possible, until the socket is full. */
  private void writeQueued() {
    JuteWriter w = new JuteWriter(4096);
    int frameMax = transport.options().frameBytesMax();
    Queued q;
    while (!socket.writeQueueFull() && (q = queue.poll()) != null) {
      queuedMessages.decrementAndGet();
      queuedBytes.addAndGet(-q.bytes());
      if (!resets.current(q.stamp())) {
        continue; // sent before the core heard of a reset: lost with it
      }
      try {
        PeerCodec.write(w, new PeerFrame.Message(q.message()), frameMax);
      } catch (PeerCodecException e) {
        transport.log().error("cannot send to server {}: {}", peer, e.getMessage());
        linkDown(e.getMessage(), true);
        return;
      }
      if (w.size() >= WRITE_BATCH_BYTES) {
        writeNow(w);
        w = new JuteWriter(4096);
      }
    }
    writeNow(w);
  }

  private void writeNow(JuteWriter w) {
    if (w.size() > 0) {
      writeNow(w.toByteArray());
    }
  }

  private void writeNow(byte[] bytes) {
    lastWriteNanos = System.nanoTime();
    socket.write(Buffer.buffer(bytes));
  }

  private void keepAlive() {
    if (phase != Phase.CONNECTED) {
      return;
    }
    long now = System.nanoTime();
    long silentMs = (now - lastReadNanos) / 1_000_000;
    PeerTransportOptions o = transport.options();
    if (silentMs > o.idleTimeoutMs()) {
      linkDown("server " + peer + " silent for " + silentMs + " ms", false);
      return;
    }
    if ((now - lastWriteNanos) / 1_000_000 >= o.pingIntervalMs() - 1 && !socket.writeQueueFull()) {
      writeNow(PeerCodec.encode(new PeerFrame.Ping(), PeerCodec.CONTROL_FRAME_BYTES_MAX));
    }
  }

  /**
   * The connection is gone (or never came up). Whatever was queued is dropped; if messages were
   * written on it, dropped, or refused by a full queue ({@code lostAnyway}), that is one loss
   * for the node to hear about. Then dial again after a backoff.
   */
  private void linkDown(String reason, boolean lostAnyway) {
    boolean wasConnected = phase == Phase.CONNECTED;
    NetSocket s = socket;
    socket = null;
    decoder = null;
    connected = false;
    cancelTimers();
    if (s != null) {
      s.close();
    }
    int dropped = dropQueued();
    if (wasConnected || dropped > 0 || lostAnyway) {
      resets.lost();
    }
    if (phase == Phase.CLOSED || phase == Phase.IDLE) {
      return; // closed, or not started yet: start() dials
    }
    logDown(reason, wasConnected);
    phase = Phase.BACKOFF;
    long delayMs = backoffMs(failures++);
    timerId = transport.vertx().setTimer(delayMs, t -> {
      timerId = -1;
      if (phase == Phase.BACKOFF) {
        connect();
      }
    });
  }

  /** A reset of a working link is news; failed attempts are logged when the reason changes, or every 30 s. */
  private void logDown(String reason, boolean wasConnected) {
    long now = System.nanoTime();
    if (wasConnected) {
      transport.log().info("link to server {} reset: {}", peer, reason);
    } else if (!reason.equals(lastLogged) || now - lastLoggedNanos > 30_000_000_000L) {
      transport.log().info("server {} not reachable yet ({}); retrying", peer, reason);
    } else {
      return;
    }
    lastLogged = wasConnected ? null : reason;
    lastLoggedNanos = now;
  }

  private long backoffMs(int failuresSoFar) {
    PeerTransportOptions o = transport.options();
    long capped = Math.min(o.backoffMaxMs(), (long) o.backoffMinMs() << Math.min(failuresSoFar, 20));
    long half = Math.max(1, capped / 2);
    return half + transport.random().nextLong(capped - half + 1);
  }

  private int dropQueued() {
    int n = 0;
    Queued q;
    while ((q = queue.poll()) != null) {
      queuedMessages.decrementAndGet();
      queuedBytes.addAndGet(-q.bytes());
      n++;
    }
    return n;
  }

  private void cancelTimers() {
    if (timerId >= 0) {
      transport.vertx().cancelTimer(timerId);
      timerId = -1;
    }
    if (pingTimerId >= 0) {
      transport.vertx().cancelTimer(pingTimerId);
      pingTimerId = -1;
    }
  }
}
