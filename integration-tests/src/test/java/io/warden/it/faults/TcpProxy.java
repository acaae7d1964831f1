package io.warden.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy for one directed peer link (node A dialling node B). Warden sends on the
 * connection it dials and receives on the ones it accepts, so cutting this proxy silences A
 * towards B and nothing else — the building block of every partition shape.
 *
 * <p>Modes: {@link Mode#PASS} forwards; {@link Mode#DROP} resets every connection and refuses new
 * ones (a peer that is down, or a firewall that rejects); {@link Mode#BLACKHOLE} keeps connections
 * open but discards every byte (a firewall that drops: the sender learns only by its timeouts).
 * A connection that lost bytes is closed when the link heals, so no receiver ever sees a stream
 * with a hole in it. Threads: one acceptor, two pumps per connection (daemon; blocking I/O is
 * simplest here and the counts are tiny).
 */
final class TcpProxy implements AutoCloseable {
  enum Mode { PASS, DROP, BLACKHOLE }

  /** One proxied connection; {@code upstream} is null when it was accepted into a black hole. */
  private static final class Link {
    final Socket downstream;
    final Socket upstream;
    volatile boolean tainted;

    Link(Socket downstream, Socket upstream) {
      this.downstream = downstream;
      this.upstream = upstream;
    }

    void close() {
      closeQuietly(downstream);
      if (upstream != null) {
        closeQuietly(upstream);
      }
    }
  }

  private final String name;
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;
  /** Added latency per forwarded chunk (latency injection; 0 = none). */
  private volatile int delayMs;
  private volatile boolean closed;

  TcpProxy(String name, InetSocketAddress listen, InetSocketAddress target) {
    this.name = name;
    this.target = target;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(listen, 50);
    } catch (IOException e) {
      throw new UncheckedIOException("proxy " + name + " cannot bind " + listen, e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "proxy-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  synchronized void mode(Mode m) {
    mode = m;
    for (Link l : links) {
      if (m == Mode.DROP || (m == Mode.PASS && l.tainted)) {
        l.close();
        links.remove(l);
      }
    }
  }

  Mode mode() {
    return mode;
  }

  /** Delays everything forwarded from now on by {@code ms} (in order: a slow path, not reordering). */
  void delayMs(int ms) {
    delayMs = ms;
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      handle(s);
    }
  }

  private synchronized void handle(Socket s) {
    switch (mode) {
      case DROP -> closeQuietly(s);
      case BLACKHOLE -> {
        Link l = new Link(s, null);
        l.tainted = true;
        links.add(l);
        pump(l, s, null, "in");
      }
      case PASS -> {
        Socket up = new Socket();
        try {
          up.setTcpNoDelay(true);
          s.setTcpNoDelay(true);
          up.connect(target, 2_000);
        } catch (IOException e) {
          closeQuietly(up);
          closeQuietly(s); // the target is down: so is the link
          return;
        }
        Link l = new Link(s, up);
        links.add(l);
        pump(l, s, up, "out");
        pump(l, up, s, "back");
      }
    }
  }

  private void pump(Link link, Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to == null ? null : to.getOutputStream();
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          if (mode != Mode.PASS || link.tainted || out == null) {
            link.tainted = true; // from now on this stream has a hole: it is closed on heal
            continue;
          }
          int delay = delayMs;
          if (delay > 0) {
            Thread.sleep(delay); // the injected latency itself, not a synchronisation
          }
          out.write(buf, 0, n);
        }
      } catch (IOException e) {
        // a side closed or reset: the link ends, as a real connection would
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the proxy is going away
      }
      link.close();
      links.remove(link);
    }, "proxy-" + name + "-" + direction);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    links.forEach(Link::close);
    links.clear();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing a socket that is already gone
    }
  }
}
