package io.warden.coordinator.conformance;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a server, so a test can cut a client off without touching either
 * side: {@link Mode#BLACK_HOLE} keeps every connection open but silently drops all bytes (the
 * client's pings vanish, as in a network partition), {@link Mode#REFUSE} closes new connections at
 * once, and {@link #dropConnections()} resets the current ones. It also counts connections that the
 * <em>server</em> closed, which is how a test sees the server hang up.
 *
 * <p>Threads: one acceptor, two pumps per connection (daemon, named); they end when their sockets
 * close.
 */
final class TcpProxy implements AutoCloseable {
  enum Mode {
    FORWARD,
    BLACK_HOLE,
    REFUSE
  }

  private volatile InetSocketAddress upstream;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong earlyClientBytes = new AtomicLong();
  private volatile Mode mode = Mode.FORWARD;

  /** When the client closes, keep the server side open: then only the server can close it. */
  private volatile boolean holdServerSide;

  TcpProxy(String connectString) {
    upstream(connectString);
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the proxy", e);
    }
    this.acceptor = new Thread(this::acceptLoop, "proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String connectString() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /**
   * Stops passing a client's close on to the server, so a test can tell whether the server closes a
   * connection by itself (a client that gives up closes its socket at the same time).
   */
  void holdServerSide(boolean hold) {
    this.holdServerSide = hold;
  }

  /** Where new connections go (e.g. a restarted server on its new port). */
  void upstream(String connectString) {
    int colon = connectString.lastIndexOf(':');
    this.upstream =
        new InetSocketAddress(
            connectString.substring(0, colon),
            Integer.parseInt(connectString.substring(colon + 1)));
  }

  void mode(Mode m) {
    this.mode = m;
  }

  /** How many proxied connections the server closed (EOF or reset from upstream). */
  int closedByServer() {
    return closedByServer.get();
  }

  int accepted() {
    return accepted.get();
  }

  /**
   * The most bytes a client sent on one connection before the server had sent anything: more than a
   * ConnectRequest (49 bytes with its length) means the client pipelined requests.
   */
  long earlyClientBytes() {
    return earlyClientBytes.get();
  }

  /** Per-connection: has the server spoken yet, and what the client sent before it did. */
  private static final class Link {
    volatile boolean serverSpoke;
    long earlyBytes;
  }

  /** Closes every current connection, both sides; the client sees a reset/EOF. */
  void dropConnections() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }

  @Override
  public void close() {
    closeQuietly(listener);
    dropConnections();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // the listener was closed
      }
      accepted.incrementAndGet();
      if (mode == Mode.REFUSE) {
        closeQuietly(client);
        continue;
      }
      sockets.add(client);
      if (mode == Mode.BLACK_HOLE) {
        // hold the connection open and swallow what the client sends; never reach the server
        pump(client, null, false, new Link());
        continue;
      }
      Socket server = new Socket();
      try {
        server.connect(upstream, 5_000);
        server.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      sockets.add(server);
      Link link = new Link();
      pump(client, server, false, link);
      pump(server, client, true, link);
    }
  }

  /**
   * Copies {@code from} to {@code to} (null: discard) until {@code from} ends, then closes both —
   * except that with {@link #holdServerSide} a client's close is not passed on.
   */
  private void pump(Socket from, Socket to, boolean fromServer, Link link) {
    Thread t =
        new Thread(
            () -> {
              boolean endedByItself = copy(from, to, fromServer, link);
              if (fromServer && endedByItself) {
                closedByServer.incrementAndGet();
              }
              closeQuietly(from);
              if (to != null && (fromServer || !holdServerSide)) {
                closeQuietly(to);
              }
            },
            "proxy-pump-" + from.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  /** Returns true if {@code from} ended by itself (EOF or reset), false if we closed it. */
  private boolean copy(Socket from, Socket to, boolean fromServer, Link link) {
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to == null ? null : to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (fromServer) {
          link.serverSpoke = true;
        } else if (!link.serverSpoke) {
          link.earlyBytes += n;
          earlyClientBytes.accumulateAndGet(link.earlyBytes, Math::max);
        }
        if (out != null && mode != Mode.BLACK_HOLE) {
          out = forward(out, buf, n);
        }
      }
      return true;
    } catch (SocketException e) {
      return !from.isClosed();
    } catch (IOException e) {
      throw new UncheckedIOException("proxy pump failed", e);
    }
  }

  /**
   * Writes to the other side; once that side is gone, keeps reading so we see how this one ends.
   */
  private static OutputStream forward(OutputStream out, byte[] buf, int n) throws IOException {
    try {
      out.write(buf, 0, n);
      out.flush();
      return out;
    } catch (SocketException e) {
      return null;
    }
  }

  private void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing a socket that is already broken: nothing left to release
    }
    if (c instanceof Socket s) {
      sockets.remove(s);
    }
  }
}
