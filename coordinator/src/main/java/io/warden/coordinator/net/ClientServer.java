package io.warden.coordinator.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.warden.coordinator.node.ClientTransport;
import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.node.NodeRuntime;
import io.warden.coordinator.node.Outbound;
import io.warden.protocol.ConnectRequest;
import io.warden.protocol.JuteRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port: a Vert.x TCP server speaking the ZooKeeper protocol. Event loops frame,
 * decode and encode; the node's core thread does everything else (DESIGN.md D9). It is also
 * the node's {@link ClientTransport}: the core hands it messages, which it moves onto the
 * owning connection's event loop.
 */
public final class ClientServer implements ClientTransport {
  private static final Logger LOG = LoggerFactory.getLogger(ClientServer.class);

  /** Limits enforced at the edge (DESIGN.md D10). */
  public record Limits(
      int frameBytesMax,
      int bufferBytesMax,
      int maxConnectionsPerIp,
      int maxConnectionsTotal,
      int inflightMax,
      int globalInflightMax,
      long sessionlessTimeoutMs) {
  }

  /** Answers a four-letter word (implemented by the admin layer); text, then the connection closes. */
  public interface FourLetterWords {
    /** Null if {@code word} is not a command at all (the connection just closes). */
    Future<String> run(String word);
  }

  private final Vertx vertx;
  private final NodeRuntime runtime;
  private final Limits limits;
  private final FourLetterWords fourLetterWords;
  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<Long, ClientChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
  private final AtomicInteger globalInflight = new AtomicInteger();
  private NetServer server;

  public ClientServer(Vertx vertx, NodeRuntime runtime, Limits limits, FourLetterWords fourLetterWords) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.limits = limits;
    this.fourLetterWords = fourLetterWords;
  }

  /**
   * Binds the port; the future gives the actual port (0 binds an ephemeral one).
   *
   * @param acceptBacklog the listen backlog, or -1 for the operating system's default
   */
  public Future<Integer> listen(String host, int port, int acceptBacklog) {
    NetServerOptions options = new NetServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setReuseAddress(true);
    if (acceptBacklog > 0) {
      options.setAcceptBacklog(acceptBacklog);
    }
    server = vertx.createNetServer(options);
    server.connectHandler(this::accept);
    return server.listen().map(NetServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int connectionCount() {
    return channels.size();
  }

  private void accept(NetSocket socket) {
    long id = nextId.getAndIncrement();
    ClientChannel ch = new ClientChannel(id, socket, Vertx.currentContext(), this);
    String ip = ch.remote == null ? "?" : ch.remote.getAddress().getHostAddress();
    AtomicInteger count = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
    if (limits.maxConnectionsTotal() > 0 && channels.size() >= limits.maxConnectionsTotal()) {
      LOG.warn("too many connections: max is {}; refusing {}", limits.maxConnectionsTotal(), ip);
      socket.close();
      return;
    }
    if (limits.maxConnectionsPerIp() > 0 && count.incrementAndGet() > limits.maxConnectionsPerIp()) {
      count.decrementAndGet();
      LOG.warn("too many connections from {}: max is {}", ip, limits.maxConnectionsPerIp());
      socket.close();
      return;
    } else if (limits.maxConnectionsPerIp() <= 0) {
      count.incrementAndGet();
    }
    channels.put(id, ch);
    ch.start();
    runtime.execute(() -> loopOf().onConnectionOpened(id, ch.remote));
  }

  // ---- from channels (event loop) → core thread ------------------------------------------

  Runnable handshake(ClientChannel ch, ConnectRequest req) {
    return () -> loopOf().onHandshake(ch.id, req);
  }

  Runnable request(ClientChannel ch, int xid, int opcode, JuteRecord body, String error, long receivedNanos) {
    return () -> loopOf().onRequest(ch.id, xid, opcode, body, error, receivedNanos);
  }

  /** One core-thread task per read batch, however many frames it held. */
  void deliver(List<Runnable> actions) {
    if (actions.size() == 1) {
      runtime.execute(actions.get(0));
    } else if (!actions.isEmpty()) {
      List<Runnable> copy = List.copyOf(actions);
      runtime.execute(() -> copy.forEach(Runnable::run));
    }
  }

  void channelClosed(ClientChannel ch) {
    if (channels.remove(ch.id) != null) {
      String ip = ch.remote == null ? "?" : ch.remote.getAddress().getHostAddress();
      AtomicInteger count = perIp.get(ip);
      if (count != null) {
        count.decrementAndGet();
      }
      runtime.execute(() -> loopOf().onConnectionClosed(ch.id));
    }
  }

  void runFourLetterWord(ClientChannel ch, String word) {
    Future<String> f = fourLetterWords == null ? null : fourLetterWords.run(word);
    if (f == null) {
      ch.closeNow("not a four-letter word: " + word);
      return;
    }
    f.onComplete(ar -> ch.context.runOnContext(v ->
        ch.writeTextAndClose(ar.succeeded() ? ar.result() : "error: " + ar.cause().getMessage() + "\n")));
  }

  // ---- ClientTransport (core thread) → event loops ---------------------------------------

  @Override
  public void send(long connectionId, List<Outbound> messages) {
    ClientChannel ch = channels.get(connectionId);
    if (ch != null) {
      ch.context.runOnContext(v -> ch.write(messages, false, null));
    }
  }

  @Override
  public void close(long connectionId, List<Outbound> finalMessages, String reason) {
    ClientChannel ch = channels.get(connectionId);
    if (ch != null) {
      if (reason != null) {
        LOG.info("closing connection {} from {}: {}", connectionId, ch.remote, reason);
      }
      ch.context.runOnContext(v -> ch.write(finalMessages, true, null));
    }
  }

  // ---- shared limits ------------------------------------------------------------------------

  Limits limits() {
    return limits;
  }

  Vertx vertx() {
    return vertx;
  }

  void inflightChanged(int delta) {
    globalInflight.addAndGet(delta);
  }

  boolean globalInflightExceeded() {
    return globalInflight.get() >= limits.globalInflightMax();
  }

  private NodeLoop loopOf() {
    return runtime.loop();
  }
}
