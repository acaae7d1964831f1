package io.warden.coordinator.net;

import io.vertx.core.Vertx;
import io.warden.coordinator.node.PeerMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One node's peer transport with a recording receiver: its own Vert.x instance and a
 * single-threaded "core" that, as in a real node, is the only thread that sends and receives.
 * Ports are bound to 0 and published in a shared directory.
 */
final class TestPeer implements AutoCloseable {
  final int id;
  final List<PeerMessage> received = new CopyOnWriteArrayList<>();
  final List<Integer> resets = new CopyOnWriteArrayList<>();
  final ExecutorService core;
  final Vertx vertx = Vertx.vertx();
  final TcpPeerTransport transport;
  final int port;

  private TestPeer(int id, List<PeerEndpoint> members, Map<Integer, PeerEndpoint> directory,
      UnaryOperator<PeerTransportOptions> adjust) {
    this.id = id;
    this.core = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-core-" + id));
    PeerTransportOptions options = adjust.apply(
        PeerTransportOptions.defaults(id, members, "127.0.0.1", 0, PeerCodec.frameBytesMax(0xFFFFF, 1 << 20, 1 << 20),
            50, 300).withBackoff(10, 200));
    PeerReceiver receiver = new PeerReceiver() {
      @Override
      public void onPeerMessage(PeerMessage message) {
        received.add(message);
      }

      @Override
      public void onPeerLinkReset(int peer) {
        resets.add(peer);
      }
    };
    this.transport = new TcpPeerTransport(vertx, options, core, receiver, directory::get);
    this.port = transport.start().await();
    directory.put(id, new PeerEndpoint(id, "127.0.0.1", port, false));
  }

  static TestPeer start(int id, List<PeerEndpoint> members, Map<Integer, PeerEndpoint> directory) {
    return new TestPeer(id, members, directory, UnaryOperator.identity());
  }

  static TestPeer start(int id, List<PeerEndpoint> members, Map<Integer, PeerEndpoint> directory,
      UnaryOperator<PeerTransportOptions> adjust) {
    return new TestPeer(id, members, directory, adjust);
  }

  /** Members 1..n, all at 127.0.0.1 port 0 (the directory has the real ports). */
  static List<PeerEndpoint> members(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> new PeerEndpoint(i, "127.0.0.1", 0, false))
        .toList();
  }

  /** Sends on the core thread, as the node loop does. */
  void send(PeerMessage m) {
    core.execute(() -> transport.send(m));
  }

  void sendAll(List<? extends PeerMessage> ms) {
    core.execute(() -> ms.forEach(transport::send));
  }

  /** Returns once every task posted to the core before this call has run. */
  void drainCore() {
    try {
      core.submit(() -> { }).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("core of server " + id + " is stuck", e);
    }
  }

  int connectedPeers() {
    return transport.connectedPeers();
  }

  long resetsFrom(int peer) {
    return resets.stream().filter(p -> p == peer).count();
  }

  @Override
  public void close() {
    try {
      transport.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("closing transport " + id, e);
    } finally {
      vertx.close().await();
      core.shutdownNow();
    }
  }
}
