package io.warden.coordinator.durability;

import io.warden.coordinator.badinput.WireClient;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.ReplyHeader;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A raw session whose every received frame is shown to the {@link DurabilityWitness} the
 * moment it is read (on a dedicated reader thread), then handed to {@code onFrame}.
 * {@link #send} may be called from any thread, including from {@code onFrame}.
 */
final class ProbeConnection implements AutoCloseable {
  private final WireClient wire;
  private final DurabilityWitness witness;
  private final Consumer<WireClient.Reply> onFrame;
  private final Thread reader;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private int nextXid = 1;
  private volatile boolean closing;

  ProbeConnection(int port, String name, DurabilityWitness witness, Consumer<WireClient.Reply> onFrame) {
    this.wire = WireClient.session(port, 10_000);
    this.witness = witness;
    this.onFrame = onFrame;
    this.reader = new Thread(this::read, "probe-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Sends a request with the next xid; returns the xid. */
  synchronized int send(int opcode, JuteRecord body) {
    int xid = nextXid++;
    wire.send(xid, opcode, body);
    return xid;
  }

  /** A failure of the reader (null if none): the server closed on us, or a callback threw. */
  Throwable failure() {
    return failure.get();
  }

  private void read() {
    try {
      while (!closing) {
        WireClient.Reply r = wire.readReply();
        witness.observed(r.xid() == ReplyHeader.NOTIFICATION_XID ? DurabilityWitness.Kind.EVENT
            : DurabilityWitness.Kind.REPLY, r.zxid());
        onFrame.accept(r);
      }
    } catch (RuntimeException e) {
      if (!closing) {
        failure.compareAndSet(null, e);
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    wire.close();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
