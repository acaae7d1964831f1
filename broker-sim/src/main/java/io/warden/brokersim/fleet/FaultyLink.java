package io.warden.brokersim.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A TCP relay between one simulated broker and every ensemble member: one loopback listener
 * (port 0) per member. The warden client offers no way to drop a session without closing it, so
 * broker-sim puts this link in between and breaks it instead ({@link LinkMode}) — which is also
 * what a real crash or partition looks like to the ensemble. Blocking sockets, two pump threads
 * per connection: a link carries one session, so this is a handful of threads per broker (not
 * meant for the 1,000-broker scale run).
 */
public final class FaultyLink implements AutoCloseable {
  private final String name;
  private final List<Listener> listeners = new ArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object modeLock = new Object();
  private LinkMode mode = LinkMode.OPEN;
  private volatile boolean closed;

  private FaultyLink(String name) {
    this.name = name;
  }

  /** Opens one listener per upstream address ("host:port", as in a connect string). */
  public static FaultyLink open(String name, List<InetSocketAddress> upstreams) {
    FaultyLink link = new FaultyLink(name);
    try {
      for (InetSocketAddress up : upstreams) {
        link.listeners.add(link.new Listener(up));
      }
    } catch (IOException e) {
      link.close();
      throw new UncheckedIOException("cannot open link " + name, e);
    }
    link.listeners.forEach(Listener::start);
    return link;
  }

  /** The connect string (without chroot) a client uses to reach the ensemble through this link. */
  public String connectString() {
    return listeners.stream().map(l -> "127.0.0.1:" + l.server.getLocalPort())
        .collect(Collectors.joining(","));
  }

  public LinkMode mode() {
    synchronized (modeLock) {
      return mode;
    }
  }

  public void mode(LinkMode newMode) {
    synchronized (modeLock) {
      mode = newMode;
      modeLock.notifyAll(); // pumps holding bytes re-check the mode
    }
    if (newMode == LinkMode.CUT) {
      sockets.forEach(FaultyLink::closeQuietly);
    }
  }

  @Override
  public void close() {
    closed = true;
    mode(LinkMode.CUT);
    listeners.forEach(l -> closeQuietly(l.server));
  }

  /** Blocks while the link is a black hole; false when the link is cut (drop the connection). */
  private boolean awaitForwarding() throws InterruptedException {
    synchronized (modeLock) {
      while (mode == LinkMode.BLACKHOLE) {
        modeLock.wait();
      }
      return mode == LinkMode.OPEN;
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing a socket that is already broken: nothing left to release
    }
  }

  private final class Listener {
    private final InetSocketAddress upstream;
    private final ServerSocket server;

    Listener(InetSocketAddress upstream) throws IOException {
      this.upstream = upstream;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    void start() {
      Thread t = new Thread(this::acceptLoop, name + "-accept-" + server.getLocalPort());
      t.setDaemon(true);
      t.start();
    }

    private void acceptLoop() {
      while (!closed) {
        Socket client;
        try {
          client = server.accept();
        } catch (IOException e) {
          return; // listener closed
        }
        if (mode() == LinkMode.CUT) {
          closeQuietly(client); // a crashed broker's host refuses everything
          continue;
        }
        connect(client);
      }
    }

    private void connect(Socket client) {
      Socket up = new Socket();
      try {
        up.connect(upstream, 5_000);
      } catch (IOException e) {
        closeQuietly(client); // the member is down: the client tries the next one
        closeQuietly(up);
        return;
      }
      sockets.add(client);
      sockets.add(up);
      pump(client, up, "up");
      pump(up, client, "down");
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread t = new Thread(() -> copy(from, to), name + "-" + direction + "-" + from.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void copy(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (!awaitForwarding()) {
          break;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away (or the link was cut): close the pair below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }
}
