package io.warden.coordinator.net;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.warden.coordinator.node.Outbound;
import io.warden.protocol.ConnectRequest;
import io.warden.protocol.FrameDecoder;
import io.warden.protocol.FrameTooLargeException;
import io.warden.protocol.JuteException;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteWriter;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.RequestHeader;
import io.warden.protocol.Requests;
import io.warden.protocol.UnknownOpcodeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client TCP connection, owned by its event loop: it frames bytes, decodes records, hands
 * them to the core thread in order, and encodes what the core sends back — one socket write
 * per batch. It never blocks and never touches coordinator state.
 *
 * <p>States: {@link Phase#FIRST_BYTES} (could still be a four-letter word),
 * {@link Phase#HANDSHAKE} (expecting the ConnectRequest), {@link Phase#REQUESTS}, and
 * {@link Phase#CLOSED}.
 */
final class ClientChannel {
  private static final Logger LOG = LoggerFactory.getLogger(ClientChannel.class);

  enum Phase { FIRST_BYTES, HANDSHAKE, REQUESTS, CLOSED }

  final long id;
  final NetSocket socket;
  final Context context;
  final InetSocketAddress remote;
  private final ClientServer server;
  private final FrameDecoder decoder;
  private final byte[] firstBytes = new byte[4];
  private int firstBytesSeen;
  private Phase phase = Phase.FIRST_BYTES;
  /** Requests handed to the core and not yet answered; bounds this connection's memory. */
  private int inflight;
  private boolean pausedForInflight;
  /**
   * Complete request frames read past the in-flight limit, delivered in order as replies free
   * slots. One read can hold thousands of small requests; without this the limit would only
   * apply between reads. Bounded by one read: the socket stays paused while any are held.
   */
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private boolean pausedForWrites;
  private long handshakeTimerId = -1;

  ClientChannel(long id, NetSocket socket, Context context, ClientServer server) {
    this.id = id;
    this.socket = socket;
    this.context = context;
    this.server = server;
    this.remote = toInet(socket);
    this.decoder = new FrameDecoder(server.limits().frameBytesMax());
  }

  void start() {
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(t -> LOG.debug("connection {} from {}: {}", id, remote, t.toString()));
    socket.drainHandler(v -> {
      pausedForWrites = false;
      maybeResume();
    });
    handshakeTimerId = server.vertx().setTimer(server.limits().sessionlessTimeoutMs(), t -> {
      if (phase != Phase.REQUESTS && phase != Phase.CLOSED) {
        closeNow("no handshake within " + server.limits().sessionlessTimeoutMs() + " ms");
      }
    });
  }

  private void onData(Buffer buf) {
    if (phase == Phase.CLOSED) {
      return;
    }
    byte[] bytes = buf.getBytes();
    int off = 0;
    if (phase == Phase.FIRST_BYTES) {
      while (firstBytesSeen < 4 && off < bytes.length) {
        firstBytes[firstBytesSeen++] = bytes[off++];
      }
      if (firstBytesSeen < 4) {
        return;
      }
      String word = fourLetterWord(firstBytes);
      if (word != null) {
        // Before marking the channel closed: an unknown word is closed right here by closeNow,
        // which does nothing on a channel already marked closed.
        server.runFourLetterWord(this, word);
        phase = Phase.CLOSED;
        return;
      }
      phase = Phase.HANDSHAKE;
      if (!feed(firstBytes, 0, 4)) {
        return;
      }
    }
    feed(bytes, off, bytes.length - off);
  }

  /** Feeds bytes to the framer and delivers complete frames; false once the channel is closed. */
  private boolean feed(byte[] bytes, int off, int len) {
    List<Runnable> deliveries = new ArrayList<>();
    try {
      decoder.feed(bytes, off, len, frame -> {
        if (phase == Phase.REQUESTS && (!held.isEmpty() || atInflightLimit())) {
          held.add(frame);
        } else if (phase != Phase.CLOSED) {
          Runnable r = onFrame(frame);
          if (r != null) {
            deliveries.add(r);
          }
        }
      });
    } catch (FrameTooLargeException e) {
      // ZooKeeper's "Len error": close without a reply (reference §2.1).
      server.deliver(deliveries);
      closeNow("frame length " + e.lengthBytes() + " is out of range (max " + server.limits().frameBytesMax() + ")");
      return false;
    }
    server.deliver(deliveries);
    if (atInflightLimit() && !pausedForInflight) {
      pausedForInflight = true;
      socket.pause();
    }
    return phase != Phase.CLOSED;
  }

  /** Only while something is in flight: its reply is what releases held frames and resumes. */
  private boolean atInflightLimit() {
    return inflight > 0 && (inflight >= server.limits().inflightMax() || server.globalInflightExceeded());
  }

  /** Delivers held frames while below the in-flight limit and the write queue has room. */
  private void releaseHeld() {
    List<Runnable> deliveries = new ArrayList<>();
    while (!held.isEmpty() && phase == Phase.REQUESTS && !pausedForWrites && !atInflightLimit()) {
      Runnable r = onFrame(held.poll());
      if (r != null) {
        deliveries.add(r);
      }
    }
    server.deliver(deliveries);
  }

  /** Decodes one frame; returns the core-thread action it requires, or null. */
  private Runnable onFrame(byte[] frame) {
    long receivedNanos = System.nanoTime();
    JuteReader r = new JuteReader(frame, 0, frame.length, server.limits().bufferBytesMax());
    if (phase == Phase.HANDSHAKE) {
      ConnectRequest req;
      try {
        req = ConnectRequest.read(r);
      } catch (JuteException e) {
        closeNow("malformed ConnectRequest: " + e.getMessage());
        return null;
      }
      phase = Phase.REQUESTS;
      return server.handshake(this, req);
    }
    RequestHeader header;
    try {
      header = RequestHeader.read(r);
    } catch (JuteException e) {
      closeNow("malformed request header: " + e.getMessage());
      return null;
    }
    Object body = null;
    String error = null;
    try {
      body = Requests.decode(header.type(), r);
    } catch (UnknownOpcodeException e) {
      error = "unknown opcode " + header.type(); // the core answers Unimplemented and closes
    } catch (JuteException e) {
      error = e.getMessage();
      LOG.info("connection {} from {}: undecodable {} body (xid {}): {}", id, remote,
          io.warden.protocol.OpCode.name(header.type()), header.xid(), e.getMessage());
    }
    inflight++;
    server.inflightChanged(1);
    return server.request(this, header.xid(), header.type(), (io.warden.protocol.JuteRecord) body, error, receivedNanos);
  }

  /** Encodes and writes messages from the core (on this channel's event loop). */
  void write(List<Outbound> messages, boolean thenClose, String reason) {
    if (phase == Phase.CLOSED && !thenClose) {
      return;
    }
    JuteWriter w = new JuteWriter(256);
    int replies = 0;
    for (Outbound m : messages) {
      int frame = w.beginFrame();
      if (m instanceof Outbound.Handshake h) {
        h.response().write(w);
        cancelHandshakeTimer();
      } else if (m instanceof Outbound.Reply rep) {
        new ReplyHeader(rep.xid(), rep.zxid(), rep.err()).write(w);
        if (rep.err() == 0 && rep.body() != null) {
          rep.body().write(w);
        }
        replies++;
      } else if (m instanceof Outbound.Event ev) {
        new ReplyHeader(-1, ev.zxid(), 0).write(w);
        ev.event().write(w);
      }
      w.endFrame(frame);
    }
    inflight -= replies;
    server.inflightChanged(-replies);
    Buffer out = Buffer.buffer(w.size() == 0 ? new byte[0] : java.util.Arrays.copyOf(w.array(), w.size()));
    if (thenClose) {
      if (reason != null) {
        LOG.debug("closing connection {} from {}: {}", id, remote, reason);
      }
      phase = Phase.CLOSED;
      cancelHandshakeTimer();
      socket.end(out);
      return;
    }
    if (out.length() > 0) {
      socket.write(out);
    }
    if (socket.writeQueueFull()) {
      pausedForWrites = true;
      socket.pause();
    }
    maybeResume();
  }

  /** Closes without a reply, logging why once (bad input, limits). */
  void closeNow(String reason) {
    if (phase == Phase.CLOSED) {
      return;
    }
    LOG.info("closing connection {} from {}: {}", id, remote, reason);
    phase = Phase.CLOSED;
    cancelHandshakeTimer();
    socket.close();
  }

  void writeTextAndClose(String text) {
    phase = Phase.CLOSED;
    cancelHandshakeTimer();
    socket.end(Buffer.buffer(text));
  }

  private void maybeResume() {
    releaseHeld();
    boolean inflightOk = inflight < Math.max(1, server.limits().inflightMax() / 2) && !server.globalInflightExceeded();
    if (pausedForInflight && (inflightOk || inflight == 0) && held.isEmpty()) {
      pausedForInflight = false;
    }
    if (!pausedForInflight && !pausedForWrites && phase != Phase.CLOSED) {
      socket.resume();
    }
  }

  private void onClosed() {
    phase = Phase.CLOSED;
    held.clear();
    cancelHandshakeTimer();
    server.inflightChanged(-inflight);
    inflight = 0;
    server.channelClosed(this);
  }

  private void cancelHandshakeTimer() {
    if (handshakeTimerId >= 0) {
      server.vertx().cancelTimer(handshakeTimerId);
      handshakeTimerId = -1;
    }
  }

  /** The four lowercase ASCII letters, if they could be a four-letter word; else null. */
  private static String fourLetterWord(byte[] b) {
    for (byte x : b) {
      if (x < 'a' || x > 'z') {
        return null;
      }
    }
    return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static InetSocketAddress toInet(NetSocket socket) {
    var a = socket.remoteAddress();
    if (a == null || a.hostAddress() == null) {
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(a.hostAddress()), a.port()); // literal: no DNS
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
