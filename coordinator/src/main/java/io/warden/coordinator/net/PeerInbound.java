package io.warden.coordinator.net;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.warden.coordinator.node.PeerMessage;
import io.warden.protocol.FrameDecoder;
import io.warden.protocol.FrameTooLargeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection another node dialled, owned by its event loop: it checks the handshake, then
 * decodes that node's messages and hands them to the core thread, one task per read. It sends
 * only the handshake answer and pings. States: {@link Phase#HANDSHAKE} (expecting a Hello),
 * {@link Phase#OPEN}, {@link Phase#CLOSED}.
 *
 * <p>Backpressure: messages handed to the core and not yet processed are counted in bytes;
 * above a high watermark the socket is paused (TCP then pushes back on the sender, whose send
 * queue fills and eventually resets the link), and the core resumes it below a low watermark.
 */
final class PeerInbound {
  enum Phase { HANDSHAKE, OPEN, CLOSED }

  private final TcpPeerTransport transport;
  private final NetSocket socket;
  private final Context context;
  private final String remote;
  private final FrameDecoder decoder;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final long pauseAboveBytes;
  private final long resumeBelowBytes;
  private Phase phase = Phase.HANDSHAKE;
  private int peer;
  private LinkResets resets;
  private int generation;
  private boolean paused;
  private long timerId = -1;
  private long lastReadNanos = System.nanoTime();
  private long lastWriteNanos = System.nanoTime();

  PeerInbound(TcpPeerTransport transport, NetSocket socket, Context context) {
    this.transport = transport;
    this.socket = socket;
    this.context = context;
    this.remote = String.valueOf(socket.remoteAddress());
    this.decoder = new FrameDecoder(transport.options().frameBytesMax());
    this.pauseAboveBytes = 4L * transport.options().frameBytesMax();
    this.resumeBelowBytes = transport.options().frameBytesMax();
  }

  void start() {
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(t -> transport.log().debug("peer connection from {}: {}", remote, t.toString()));
    int handshakeMs = transport.options().handshakeTimeoutMs();
    timerId = transport.vertx().setTimer(handshakeMs, t -> {
      timerId = -1;
      if (phase == Phase.HANDSHAKE) {
        closeNow("no handshake within " + handshakeMs + " ms", true);
      }
    });
  }

  private void onData(Buffer buf) {
    if (phase == Phase.CLOSED) {
      return;
    }
    lastReadNanos = System.nanoTime();
    byte[] bytes = buf.getBytes();
    List<PeerMessage> batch = new ArrayList<>();
    long[] batchBytes = {0};
    try {
      decoder.feed(bytes, 0, bytes.length, payload -> {
        if (phase == Phase.CLOSED) {
          return;
        }
        PeerFrame frame = PeerCodec.decode(payload, transport.options().frameBytesMax());
        if (phase == Phase.HANDSHAKE) {
          onHandshake(frame);
        } else if (frame instanceof PeerFrame.Message m) {
          checkAddressing(m.message());
          batch.add(m.message());
          batchBytes[0] += payload.length;
        } else if (!(frame instanceof PeerFrame.Ping)) {
          throw new PeerCodecException("unexpected " + PeerCodec.describe(frame) + " frame after the handshake");
        }
      });
    } catch (FrameTooLargeException e) {
      deliver(batch, batchBytes[0]);
      closeNow("frame length " + e.lengthBytes() + " outside 0.." + e.maxFrameBytes(), true);
      return;
    } catch (PeerCodecException e) {
      deliver(batch, batchBytes[0]);
      closeNow(e.getMessage(), true);
      return;
    }
    deliver(batch, batchBytes[0]);
  }

  private void onHandshake(PeerFrame frame) {
    if (!(frame instanceof PeerFrame.Hello hello)) {
      throw new PeerCodecException("expected a handshake, got a " + PeerCodec.describe(frame) + " frame");
    }
    String refusal = transport.refusalOf(hello);
    if (refusal != null) {
      transport.logRefusal("refusing a peer connection from " + remote + ": " + refusal);
      phase = Phase.CLOSED;
      cancelTimer();
      socket.end(Buffer.buffer(PeerCodec.encode(new PeerFrame.Refused(refusal), PeerCodec.CONTROL_FRAME_BYTES_MAX)));
      return;
    }
    cancelTimer();
    peer = hello.senderId();
    resets = transport.resetsOf(peer);
    phase = Phase.OPEN;
    generation = resets.accepted(this);
    write(new PeerFrame.Welcome(PeerCodec.VERSION, transport.options().selfId(), transport.fingerprint()));
    transport.log().info("server {} connected from {}", peer, remote);
    int pingMs = transport.options().pingIntervalMs();
    timerId = transport.vertx().setPeriodic(pingMs, pingMs, t -> keepAlive());
  }

  /** A message on this connection must come from the peer that said hello, and be for us. */
  private void checkAddressing(PeerMessage m) {
    if (m.from() != peer || m.to() != transport.options().selfId()) {
      throw new PeerCodecException("server " + peer + " sent a message from " + m.from() + " to " + m.to());
    }
  }

  /** One core task per read; its messages are dropped there if this connection was reset since. */
  private void deliver(List<PeerMessage> batch, long bytes) {
    if (batch.isEmpty()) {
      return;
    }
    long pending = pendingBytes.addAndGet(bytes);
    transport.deliver(resets, generation, batch, () -> delivered(bytes));
    if (pending > pauseAboveBytes && !paused && phase == Phase.OPEN) {
      paused = true;
      socket.pause();
    }
  }

  /** Core thread: the core took a batch; below the low watermark the socket reads again. */
  private void delivered(long bytes) {
    if (pendingBytes.addAndGet(-bytes) <= resumeBelowBytes) {
      context.runOnContext(v -> {
        if (paused && phase == Phase.OPEN && pendingBytes.get() <= resumeBelowBytes) {
          paused = false;
          lastReadNanos = System.nanoTime();
          socket.resume();
        }
      });
    }
  }

  private void keepAlive() {
    if (phase != Phase.OPEN) {
      return;
    }
    long now = System.nanoTime();
    long silentMs = (now - lastReadNanos) / 1_000_000;
    if (!paused && silentMs > transport.options().idleTimeoutMs()) {
      closeNow("server " + peer + " silent for " + silentMs + " ms", false);
      return;
    }
    if ((now - lastWriteNanos) / 1_000_000 >= transport.options().pingIntervalMs() - 1) {
      write(new PeerFrame.Ping());
    }
  }

  private void write(PeerFrame frame) {
    lastWriteNanos = System.nanoTime();
    socket.write(Buffer.buffer(PeerCodec.encode(frame, PeerCodec.CONTROL_FRAME_BYTES_MAX)));
  }

  /** Another connection from the same peer passed its handshake: this one is stale. */
  void replaced() {
    context.runOnContext(v -> closeNow("replaced by a newer connection from server " + peer, false));
  }

  /** Closing the transport. */
  void shutdown() {
    context.runOnContext(v -> {
      if (phase != Phase.CLOSED) {
        phase = Phase.CLOSED;
        cancelTimer();
        socket.close();
      }
    });
  }

  private void closeNow(String reason, boolean warn) {
    if (phase == Phase.CLOSED) {
      return;
    }
    if (warn) {
      transport.log().warn("closing the peer connection from {}{}: {}", remote, peer == 0 ? "" : " (server " + peer + ")",
          reason);
    } else {
      transport.log().info("closing the peer connection from server {}: {}", peer, reason);
    }
    phase = Phase.CLOSED;
    cancelTimer();
    socket.close();
    // the close handler reports the loss
  }

  private void onClosed() {
    phase = Phase.CLOSED;
    cancelTimer();
    transport.inboundClosed(this);
    if (resets != null) {
      resets.closed(this);
    }
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      transport.vertx().cancelTimer(timerId);
      timerId = -1;
    }
  }

  int peer() {
    return peer;
  }
}
