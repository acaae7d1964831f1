package io.warden.it.bench;

import io.warden.protocol.ConnectRequest;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.ExistsRequest;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteWriter;
import io.warden.protocol.OpCode;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.RequestHeader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks one server, over the wire protocol itself, whether it serves a path: a session, then
 * {@code exists}. Each attempt is a fresh connection, so a restart is seen within one poll
 * interval of the server becoming ready. (A client library would instead wait out its reconnect
 * backoff — up to two seconds with ours and ZooKeeper's after a refused attempt — which is the
 * client's delay, not the server's restart time.) Works alike against ZooKeeper and Warden.
 */
final class ServingProbe {
  private static final Duration POLL = Duration.ofMillis(20);
  private static final int CONNECT_TIMEOUT_MS = 1_000;
  /** A server that accepted the connection may be slow right after a restart: give it time. */
  private static final int REPLY_TIMEOUT_MS = 30_000;
  private static final int SESSION_TIMEOUT_MS = 30_000;

  private ServingProbe() {
  }

  /** Polls until {@code port} on loopback creates a session and finds {@code path}. */
  static void awaitServes(int port, String path, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "never tried";
    while (true) {
      try {
        if (serves(port, path)) {
          return;
        }
        last = path + " not there yet";
      } catch (IOException e) {
        last = e.toString(); // refused, closed (not serving yet) or reset: try again
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("127.0.0.1:" + port + " did not serve " + path + " within " + timeout
            + " (last attempt: " + last + ")");
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL.toMillis()));
    }
  }

  /** One attempt: true if a session was created and {@code path} exists. */
  private static boolean serves(int port, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(REPLY_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      JuteWriter w = new JuteWriter();
      int at = w.beginFrame();
      new ConnectRequest(0, 0, SESSION_TIMEOUT_MS, 0, new byte[16], false, true).write(w);
      w.endFrame(at);
      send(out, w);
      ConnectResponse session = ConnectResponse.read(new JuteReader(readFrame(in)));
      if (session.sessionId() == 0 || session.timeoutMs() <= 0) {
        return false;
      }
      send(out, w.writeFrame(new RequestHeader(1, OpCode.EXISTS), new ExistsRequest(path, false)));
      ReplyHeader reply = ReplyHeader.read(new JuteReader(readFrame(in)));
      // end the session now instead of leaving it to expire; the answer does not matter
      send(out, w.writeFrame(new RequestHeader(2, OpCode.CLOSE_SESSION), null));
      return reply.err() == ErrorCode.OK.code();
    }
  }

  private static void send(OutputStream out, JuteWriter w) throws IOException {
    out.write(w.array(), 0, w.size());
    out.flush();
    w.reset();
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > (1 << 20)) {
      throw new EOFException("bad frame length " + length);
    }
    byte[] frame = new byte[length];
    in.readFully(frame);
    return frame;
  }
}
