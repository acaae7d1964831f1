package io.warden.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of every host of a connect string, so a test can take one client's network
 * away without touching the server (which other clients of the same server keep using). Works the
 * same against any {@link TestServer}.
 *
 * <p>{@link #cut()} drops every proxied connection and refuses new ones (accepted, then closed at
 * once) until {@link #heal()}: the client sees SUSPENDED, and LOST once 4/3 of its session timeout
 * pass without a server. Threads: one acceptor per host and two pumps per connection, all daemons
 * named {@code tcp-proxy-*}; {@link #close()} ends them.
 */
public final class TcpProxy implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final List<ServerSocket> listeners = new ArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final int id = IDS.incrementAndGet();
  private volatile boolean cut;
  private volatile boolean closed;

  private TcpProxy(String connectString) throws IOException {
    for (String hostPort : connectString.split(",")) {
      int colon = hostPort.lastIndexOf(':');
      InetSocketAddress target = new InetSocketAddress(hostPort.substring(0, colon).trim(),
          Integer.parseInt(hostPort.substring(colon + 1).trim()));
      ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      listeners.add(listener);
      Thread acceptor = new Thread(() -> accept(listener, target),
          "tcp-proxy-" + id + "-accept-" + listener.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
    }
  }

  /** A proxy for every host of {@code connectString} (no chroot). */
  public static TcpProxy front(String connectString) throws IOException {
    return new TcpProxy(connectString);
  }

  /** The proxied addresses, one per server, in the same order. */
  public String connectString() {
    return String.join(",", listeners.stream()
        .map(l -> "127.0.0.1:" + l.getLocalPort()).toList());
  }

  /** Drops every connection now and refuses new ones until {@link #heal()}. */
  public void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  public void heal() {
    cut = false;
  }

  @Override
  public void close() {
    closed = true;
    cut();
    for (ServerSocket l : listeners) {
      try {
        l.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing proxy listener", e);
      }
    }
  }

  private void accept(ServerSocket listener, InetSocketAddress target) {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // listener closed
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket();
        server.connect(target, 5000);
        open.add(client);
        open.add(server);
        pump(client, server, "up");
        pump(server, client, "down");
      } catch (IOException e) {
        closeQuietly(client); // the server is down: the client sees a refused connection
      }
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0 && !cut) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (SocketException e) {
        // closed by cut() or by the other side: the end of this connection
      } catch (IOException e) {
        // same: a broken pipe ends the connection, which is what a proxy should pass on
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-" + id + "-" + direction);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing a socket that is already broken: nothing left to do
    }
  }
}
