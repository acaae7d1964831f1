package io.warden.coordinator.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.warden.coordinator.node.PeerMessage;
import io.warden.coordinator.node.PeerTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link PeerTransport} over TCP (Vert.x). Each node dials every peer and sends to it
 * on that connection ({@link PeerLink}); it receives on the connections the peers dialled
 * ({@link PeerInbound}). Two one-way connections per pair keep each side simple: a sender owns
 * its queue, its backoff and its keep-alive, a receiver only decodes and delivers.
 *
 * <p>The contract of {@link PeerMessage} holds: per direction FIFO and no duplicates (one TCP
 * connection at a time per direction, and a replaced connection's late messages are discarded),
 * and every reset of the link with a peer — a connection lost or refused, a message dropped for
 * an unreachable peer, a full queue — reaches {@link PeerReceiver#onPeerLinkReset} once, on the
 * core thread, after every message it covers was dropped (see {@link LinkResets}).
 *
 * <p>Threads: {@link #send} runs on the core thread and only enqueues; received messages and
 * resets are posted to the core executor, one task per socket read. Every peer connection, both
 * directions, lives on one event-loop context (a handful of peers need no more). In a server
 * that context is the core thread's own (WardenServer's CoreEventLoop), so a received message
 * reaches the loop, and a sent one the socket, without a thread hand-off; queued sends are
 * written once the core's current task (its flush) ends, one socket write per link. Nothing here
 * blocks.
 */
public final class TcpPeerTransport implements PeerTransport {
  private static final Logger LOG = LoggerFactory.getLogger(TcpPeerTransport.class);
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final Vertx vertx;
  private final PeerTransportOptions options;
  private final Executor core;
  private final PeerReceiver receiver;
  private final PeerDirectory directory;
  private final long fingerprint;
  private final Map<Integer, LinkResets> resets = new LinkedHashMap<>();
  private final Map<Integer, PeerLink> links = new LinkedHashMap<>();
  private final Set<PeerInbound> inbounds = ConcurrentHashMap.newKeySet();
  private final Random random = new Random();
  private final Context context;
  private final NetClient client;
  private NetServer server;
  private volatile boolean closed;
  private String lastRefusal;
  private long lastRefusalNanos;

  /**
   * @param core runs tasks on the node's core thread, in order ({@code NodeRuntime::execute})
   * @param directory where to dial each peer ({@link PeerDirectory#of} the configured members)
   */
  public TcpPeerTransport(Vertx vertx, PeerTransportOptions options, Executor core, PeerReceiver receiver,
      PeerDirectory directory) {
    this(vertx, vertx.getOrCreateContext(), options, core, receiver, directory);
  }

  /**
   * @param context where every peer connection lives (dialled and accepted); the core's own
   *     context in a server
   */
  public TcpPeerTransport(Vertx vertx, Context context, PeerTransportOptions options, Executor core,
      PeerReceiver receiver, PeerDirectory directory) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.core = core;
    this.receiver = receiver;
    this.directory = directory;
    this.fingerprint = EnsembleFingerprint.of(options.members());
    this.client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout(options.connectTimeoutMs())
        .setTcpNoDelay(true));
    for (PeerEndpoint p : options.peers()) {
      LinkResets r = new LinkResets(p.id(), core, receiver);
      resets.put(p.id(), r);
      links.put(p.id(), new PeerLink(p.id(), this, context, r));
    }
  }

  /**
   * Binds the peer port, then starts dialling every peer. Messages sent before wait in their
   * queues. The future gives the bound port (the configured one, or a free one for port 0).
   */
  public Future<Integer> start() {
    NetServerOptions serverOptions = new NetServerOptions()
        .setHost(options.listenHost())
        .setPort(options.listenPort())
        .setTcpNoDelay(true)
        .setReuseAddress(true);
    server = vertx.createNetServer(serverOptions);
    server.connectHandler(this::accept);
    Promise<Integer> bound = Promise.promise();
    // listened from the context, so accepted connections are served on it too
    context.runOnContext(v -> server.listen().map(s -> {
      LOG.info("peer port {}:{} open; server {} of ensemble {}", options.listenHost(), s.actualPort(),
          options.selfId(), describeMembers());
      links.values().forEach(PeerLink::start);
      return s.actualPort();
    }).onComplete(bound));
    return bound.future();
  }

  // ---- PeerTransport (core thread) -------------------------------------------------------

  @Override
  public void send(PeerMessage message) {
    PeerLink link = links.get(message.to());
    if (link == null) {
      throw new IllegalStateException("server " + message.to() + " is not a peer of server " + options.selfId()
          + ": cannot send " + message);
    }
    if (!closed) {
      link.send(message);
    }
  }

  @Override
  public int connectedPeers() {
    int n = 0;
    for (PeerLink l : links.values()) {
      if (l.isConnected()) {
        n++;
      }
    }
    return n;
  }

  /** Any thread: whether this node's connection to {@code peer} is up (handshake done). */
  public boolean isConnected(int peer) {
    PeerLink l = links.get(peer);
    return l != null && l.isConnected();
  }

  /** Stops dialling, closes every connection and the peer port. */
  public Future<Void> close() {
    closed = true;
    links.values().forEach(PeerLink::close);
    inbounds.forEach(PeerInbound::shutdown);
    List<Future<?>> all = new ArrayList<>();
    if (server != null) {
      all.add(server.close());
    }
    all.add(client.close());
    return Future.join(all).mapEmpty();
  }

  // ---- inbound ----------------------------------------------------------------------------

  private void accept(NetSocket socket) {
    if (closed) {
      socket.close();
      return;
    }
    PeerInbound conn = new PeerInbound(this, socket, Vertx.currentContext());
    inbounds.add(conn);
    conn.start();
  }

  /** Null if the handshake is acceptable, else why it is refused (sent back, and logged). */
  String refusalOf(PeerFrame.Hello hello) {
    if (hello.version() != PeerCodec.VERSION) {
      return "peer protocol version " + hello.version() + " is not supported: this server speaks version "
          + PeerCodec.VERSION;
    }
    if (hello.ensembleFingerprint() != fingerprint) {
      return "it belongs to another ensemble: server " + options.selfId() + " is configured with "
          + describeMembers() + " (fingerprint " + Long.toHexString(fingerprint) + "), the caller's fingerprint is "
          + Long.toHexString(hello.ensembleFingerprint()) + "; every member must list the same server.N lines";
    }
    if (hello.senderId() == options.selfId() || !resets.containsKey(hello.senderId())) {
      return "server id " + hello.senderId() + " is not a peer of server " + options.selfId() + " in this ensemble ("
          + describeMembers() + ")";
    }
    if (hello.receiverId() != options.selfId()) {
      return "the caller dialled server " + hello.receiverId() + " but reached server " + options.selfId()
          + "; check the server.N lines";
    }
    return null;
  }

  /** Null if the acceptor's answer is the one expected from {@code peer}. */
  String problemWith(PeerFrame.Welcome w, int peer) {
    if (w.version() != PeerCodec.VERSION) {
      return "it speaks peer protocol version " + w.version() + ", this server " + PeerCodec.VERSION;
    }
    if (w.serverId() != peer || w.ensembleFingerprint() != fingerprint) {
      return "it answered as server " + w.serverId() + " with ensemble fingerprint "
          + Long.toHexString(w.ensembleFingerprint()) + ", expected server " + peer + " with "
          + Long.toHexString(fingerprint);
    }
    return null;
  }

  /** Refusals repeat with every redial of a misconfigured node: log each reason once per 10 s. */
  synchronized void logRefusal(String message) {
    long now = System.nanoTime();
    if (!message.equals(lastRefusal) || now - lastRefusalNanos > REFUSAL_LOG_INTERVAL_NANOS) {
      lastRefusal = message;
      lastRefusalNanos = now;
      LOG.warn(message);
    }
  }

  /** Event loop → core: one task per read; dropped there if its connection was reset since. */
  void deliver(LinkResets r, int generation, List<PeerMessage> batch, Runnable afterwards) {
    core.execute(() -> {
      try {
        if (r.deliverable(generation)) {
          for (PeerMessage m : batch) {
            receiver.onPeerMessage(m);
          }
        }
      } finally {
        afterwards.run();
      }
    });
  }

  void inboundClosed(PeerInbound conn) {
    inbounds.remove(conn);
  }

  // ---- shared with links and inbound connections ------------------------------------------

  PeerTransportOptions options() {
    return options;
  }

  Vertx vertx() {
    return vertx;
  }

  NetClient client() {
    return client;
  }

  PeerDirectory directory() {
    return directory;
  }

  long fingerprint() {
    return fingerprint;
  }

  Random random() {
    return random;
  }

  LinkResets resetsOf(int peer) {
    return resets.get(peer);
  }

  Logger log() {
    return LOG;
  }

  private String describeMembers() {
    return options.members().stream()
        .map(m -> m.id() + "=" + m.address() + (m.observer() ? ":observer" : ""))
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
