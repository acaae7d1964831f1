package io.warden.coordinator.badinput;

import io.warden.protocol.ConnectRequest;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.JuteWriter;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.RequestHeader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A deliberately dumb ZooKeeper wire client on a plain {@link Socket}: it sends exactly the
 * bytes it is told to (valid frames, broken frames, garbage) and reads frames back one at a
 * time, so tests can see precisely what the server answers, or that it closes the connection
 * without answering. Not thread-safe, except that one thread may read while another writes.
 */
public final class WireClient implements AutoCloseable {
  /** How long a read waits before the test calls the server unresponsive. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  public static final int PASSWORD_BYTES = 16;

  /** One server frame after the handshake: the reply header and the body bytes after it. */
  public record Reply(int xid, long zxid, int err, byte[] body) {
    public JuteReader bodyReader() {
      return new JuteReader(body);
    }

    @Override
    public String toString() {
      return "Reply[xid=" + xid + ", zxid=0x" + Long.toHexString(zxid) + ", err=" + err + ", body="
          + body.length + " B]";
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private WireClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static WireClient connect(int port) {
    try {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.setSoTimeout((int) READ_TIMEOUT.toMillis());
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      return new WireClient(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
    }
  }

  /** Connects and opens a new session (ConnectRequest with the readOnly byte, like 3.9 clients). */
  public static WireClient session(int port, int timeoutMs) {
    WireClient c = connect(port);
    c.sendConnect(0, timeoutMs, 0, new byte[PASSWORD_BYTES]);
    ConnectResponse r = c.readConnectResponse();
    if (r.timeoutMs() <= 0 || r.sessionId() == 0) {
      c.close();
      throw new IllegalStateException("server refused a new session: " + r);
    }
    return c;
  }

  // ---- sending --------------------------------------------------------------------------

  public void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("send failed", e);
    }
  }

  /** A frame: the 4-byte length, then {@code payload}. */
  public void sendFrame(byte[] payload) {
    sendRaw(frame(payload));
  }

  public void sendConnect(long lastZxidSeen, int timeoutMs, long sessionId, byte[] password) {
    sendRaw(new JuteWriter().writeFrame(
        new ConnectRequest(0, lastZxidSeen, timeoutMs, sessionId, password, false, true), null).toByteArray());
  }

  /** A request frame: header, then the body unless it is null. */
  public void send(int xid, int opcode, JuteRecord body) {
    sendRaw(requestFrame(xid, opcode, body));
  }

  public static byte[] requestFrame(int xid, int opcode, JuteRecord body) {
    return new JuteWriter().writeFrame(new RequestHeader(xid, opcode), body).toByteArray();
  }

  public static byte[] frame(byte[] payload) {
    return new JuteWriter(payload.length + 4).writeInt(payload.length).writeRaw(payload, 0, payload.length)
        .toByteArray();
  }

  // ---- receiving ------------------------------------------------------------------------

  /** The next frame's payload; throws if the server closes or stays silent. */
  public byte[] readFrame() {
    try {
      int len = in.readInt();
      if (len < 0 || len > (64 << 20)) {
        throw new IllegalStateException("server sent a frame length of " + len);
      }
      byte[] payload = new byte[len];
      in.readFully(payload);
      return payload;
    } catch (SocketTimeoutException e) {
      throw new IllegalStateException("no frame from the server within " + READ_TIMEOUT, e);
    } catch (IOException e) {
      throw new UncheckedIOException("connection ended while a frame was expected", e);
    }
  }

  public ConnectResponse readConnectResponse() {
    return ConnectResponse.read(new JuteReader(readFrame()));
  }

  public Reply readReply() {
    byte[] payload = readFrame();
    JuteReader r = new JuteReader(payload);
    ReplyHeader h = ReplyHeader.read(r);
    return new Reply(h.xid(), h.zxid(), h.err(),
        Arrays.copyOfRange(payload, ReplyHeader.ENCODED_BYTES, payload.length));
  }

  /** Sends a request and reads the next frame, which must be its reply. */
  public Reply call(int xid, int opcode, JuteRecord body) {
    send(xid, opcode, body);
    Reply r = readReply();
    if (r.xid() != xid) {
      throw new IllegalStateException("expected the reply to xid " + xid + ", got " + r);
    }
    return r;
  }

  /**
   * Waits for the server to close the connection and returns every byte it sent before
   * closing (empty: "closed, nothing sent"). A reset counts as a close. Fails if the server
   * keeps the connection open past {@code timeout}.
   */
  public byte[] readUntilClosed(Duration timeout) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    setReadTimeout(timeout);
    try {
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (SocketTimeoutException e) {
          throw new IllegalStateException("the server kept the connection open for " + timeout
              + " (received " + got.size() + " bytes)", e);
        } catch (SocketException e) {
          return got.toByteArray(); // reset by the server: closed
        }
        if (n < 0) {
          return got.toByteArray();
        }
        got.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (!socket.isClosed()) {
        setReadTimeout(READ_TIMEOUT);
      }
    }
  }

  /** True when the server closed the connection (EOF or reset) without sending anything more. */
  public boolean isClosedWithNothingSent(Duration timeout) {
    return readUntilClosed(timeout).length == 0;
  }

  /** This end's port: the server's log names the connection by it. */
  public int localPort() {
    return socket.getLocalPort();
  }

  public InputStream input() {
    return in;
  }

  public void shutdownOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void setReadTimeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
