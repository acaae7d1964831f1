package io.warden.client;

import io.warden.protocol.ConnectRequest;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.JuteWriter;
import io.warden.protocol.OpCode;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.RequestHeader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted server on 127.0.0.1 and an ephemeral port that speaks just enough of the protocol
 * to misbehave on purpose: a handshake function, a request handler, and a switch for ping
 * replies. Each connection runs on its own thread and records what it received.
 */
final class FakeServer implements AutoCloseable {
  static final byte[] PASSWORD = new byte[16];

  static {
    Arrays.fill(PASSWORD, (byte) 7);
  }

  /** Handles one request frame (pings are handled before this, see {@link #answerPings}). */
  @FunctionalInterface
  interface Handler {
    void onRequest(Conn conn, RequestHeader header, JuteReader body) throws IOException;
  }

  private final ServerSocket socket;
  final List<Conn> connections = new CopyOnWriteArrayList<>();
  volatile Function<ConnectRequest, ConnectResponse> handshake = FakeServer::accept;
  /**
   * By default the server answers nothing — except closeSession, which it acknowledges and then
   * closes, so a test's client close() does not wait out a read timeout.
   */
  volatile Handler handler = (conn, header, body) -> {
    if (header.type() == io.warden.protocol.OpCode.CLOSE_SESSION) {
      conn.reply(header.xid(), 0, 0, null);
      conn.close();
    }
  };
  volatile boolean answerPings = true;

  FakeServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fake-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A normal handshake: session 0x1234 (or the one resumed), the requested timeout. */
  static ConnectResponse accept(ConnectRequest request) {
    long session = request.sessionId() != 0 ? request.sessionId() : 0x1234;
    return new ConnectResponse(0, request.timeoutMs(), session, PASSWORD, false, true);
  }

  String connectString() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Conn conn = new Conn(socket.accept());
        connections.add(conn);
        Thread t = new Thread(conn::serve, "fake-server-conn-" + connections.size());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // the server socket was closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Conn conn : connections) {
      conn.close();
    }
  }

  /** One accepted connection. */
  final class Conn {
    final Socket socket;
    volatile ConnectRequest connectRequest;
    final List<RequestHeader> received = new CopyOnWriteArrayList<>();

    Conn(Socket socket) {
      this.socket = socket;
    }

    private void serve() {
      try {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        connectRequest = ConnectRequest.read(new JuteReader(readFrame(in)));
        ConnectResponse response = handshake.apply(connectRequest);
        if (response != null) {
          sendRaw(new JuteWriter().writeFrame(response, null).toByteArray());
        }
        while (true) {
          byte[] frame = readFrame(in);
          JuteReader reader = new JuteReader(frame);
          RequestHeader header = RequestHeader.read(reader);
          received.add(header);
          if (header.type() == OpCode.PING) {
            if (answerPings) {
              reply(ReplyHeader.PING_XID, 0, 0, null);
            }
          } else {
            handler.onRequest(this, header, reader);
          }
        }
      } catch (EOFException e) {
        close(); // the client went away
      } catch (IOException e) {
        close();
      }
    }

    private byte[] readFrame(DataInputStream in) throws IOException {
      int length = in.readInt();
      byte[] frame = new byte[length];
      in.readFully(frame);
      return frame;
    }

    void reply(int xid, long zxid, int err, JuteRecord body) throws IOException {
      sendRaw(new JuteWriter().writeFrame(new ReplyHeader(xid, zxid, err), body).toByteArray());
    }

    synchronized void sendRaw(byte[] bytes) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    }

    /** Requests other than pings, in arrival order. */
    List<RequestHeader> requests() {
      return received.stream().filter(h -> h.type() != OpCode.PING).toList();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        throw new IllegalStateException("closing a fake connection failed", e);
      }
    }
  }
}
