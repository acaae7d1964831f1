package io.warden.coordinator.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.warden.coordinator.admin.AdminCommands;
import io.warden.coordinator.admin.AdminHttpServer;
import io.warden.coordinator.admin.FourLetterWordHandler;
import io.warden.coordinator.admin.MicrometerNodeMetrics;
import io.warden.coordinator.admin.WardenVersion;
import io.warden.coordinator.config.FourLetterWord;
import io.warden.coordinator.config.SuperDigest;
import io.warden.coordinator.config.WardenConfig;
import io.warden.coordinator.net.ClientServer;
import io.warden.coordinator.net.PeerCodec;
import io.warden.coordinator.net.PeerDirectory;
import io.warden.coordinator.net.PeerReceiver;
import io.warden.coordinator.net.PeerTransportOptions;
import io.warden.coordinator.net.TcpPeerTransport;
import io.warden.coordinator.node.Clock;
import io.warden.coordinator.node.LogStore;
import io.warden.coordinator.node.NodeOptions;
import io.warden.coordinator.node.NodeRuntime;
import io.warden.coordinator.node.PeerMessage;
import io.warden.coordinator.node.SnapshotStore;
import io.warden.coordinator.raft.RaftOptions;
import io.warden.coordinator.storage.RocksStorage;
import io.warden.coordinator.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Warden server, assembled: storage → node → client port → admin. Used by
 * {@code warden server} and embedded by tests (everything binds port 0 when asked to).
 * {@link #start} blocks until the node has replayed its log and the ports are open; call it
 * from a thread that may block.
 */
public final class WardenServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WardenServer.class);
  /** How often the node loop runs its timers: one Raft tick (election and heartbeat are whole ticks). */
  static final int LOOP_TICK_MS = 10;
  private static final long START_TIMEOUT_S = 600;

  private final WardenConfig config;
  private final RocksStorage storage;
  private final Vertx vertx;
  private final CoreEventLoop core;
  private final NodeRuntime runtime;
  private final TcpPeerTransport peers;
  private final ClientServer clientServer;
  private final AdminHttpServer adminServer;
  private final int clientPort;
  private final int adminPort;
  private final int peerPort;

  private WardenServer(WardenConfig config, RocksStorage storage, Vertx vertx, CoreEventLoop core,
      NodeRuntime runtime, TcpPeerTransport peers, ClientServer clientServer, AdminHttpServer adminServer, int clientPort, int adminPort,
      int peerPort) {
    this.config = config;
    this.storage = storage;
    this.vertx = vertx;
    this.core = core;
    this.runtime = runtime;
    this.peers = peers;
    this.peerPort = peerPort;
    this.clientServer = clientServer;
    this.adminServer = adminServer;
    this.clientPort = clientPort;
    this.adminPort = adminPort;
  }

  public static WardenServer start(WardenConfig config) {
    return start(config, UnaryOperator.identity(), s -> s);
  }

  /**
   * Starts a server; tests may wrap the stores (e.g. to prove that nothing is acknowledged
   * before it is durable) and adjust the node options.
   */
  public static WardenServer start(WardenConfig config, UnaryOperator<NodeOptions> adjustOptions,
      StoreWrapper wrapStores) {
    return start(config, adjustOptions, wrapStores, null);
  }

  /**
   * As above; {@code directory} (null: the server.N lines) tells where to dial each peer, for
   * tests that bind every peer port to 0 and publish the ports they got.
   */
  public static WardenServer start(WardenConfig config, UnaryOperator<NodeOptions> adjustOptions,
      StoreWrapper wrapStores, PeerDirectory directory) {
    Ensemble ensemble = Ensemble.of(config);
    createDataDir(config.dataDir());
    RocksStorage storage = RocksStorage.open(config.dataDir().resolve("rocksdb"),
        StorageOptions.DEFAULTS.withSnapshotsRetained(config.snapRetainCount()));
    Vertx vertx = null;
    CoreEventLoop core = null;
    NodeRuntime runtime = null;
    TcpPeerTransport peers = null;
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vertx = Vertx.builder()
          .with(new VertxOptions()
              .setPreferNativeTransport(true)
              .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
          .withMetrics(new MicrometerMetricsFactory(registry))
          .build();
      if (vertx.isNativeTransportEnabled()) {
        LOG.info("network I/O on the native transport");
      } else {
        Throwable cause = vertx.unavailableNativeTransportCause();
        LOG.info("network I/O on Java NIO (no native transport here: {})",
            cause == null ? "none for this platform" : cause.toString());
      }
      MicrometerNodeMetrics metrics = new MicrometerNodeMetrics(registry);
      NodeOptions options = adjustOptions.apply(nodeOptions(config));
      RaftOptions raftOptions = raftOptions(config);
      Stores stores = wrapStores.wrap(new Stores(storage, storage));
      core = CoreEventLoop.create(vertx, config.serverId());
      NodeRuntime node = new NodeRuntime(core.executor(), options, stores.log(), stores.snapshots(), Clock.SYSTEM,
          metrics, LOOP_TICK_MS, raftOptions, ensemble.membership());
      runtime = node;
      metrics.bindStatus(node::status, storage::sizeBytes);

      // conf reports the port actually bound (ZooKeeper does too), which differs with clientPort=0
      AtomicInteger boundClientPort = new AtomicInteger(config.clientPort());
      AdminCommands commands = new AdminCommands(node,
          () -> config.toBuilder().clientPort(boundClientPort.get()).build().toConfText());
      Set<String> whitelist = config.fourLetterWords().stream().map(FourLetterWord::word).collect(Collectors.toSet());
      ClientServer clientServer = new ClientServer(vertx, node, limits(config),
          new FourLetterWordHandler(commands, whitelist));
      int peerPort = -1;
      if (ensemble.replicated()) {
        PeerTransportOptions peerOptions = PeerTransportOptions.defaults(config.serverId(), ensemble.endpoints(),
            ensemble.listenHost(config), ensemble.self().quorumPort(),
            PeerCodec.frameBytesMax(config.juteMaxBufferBytes(), raftOptions.maxBytesPerAppend(),
                options.snapshotChunkBytes()),
            config.heartbeatIntervalMs(), config.electionTimeoutMs());
        peers = new TcpPeerTransport(vertx, core.context(), peerOptions, node::execute, new PeerReceiver() {
          @Override
          public void onPeerMessage(PeerMessage message) {
            node.loop().onPeerMessage(message);
          }

          @Override
          public void onPeerLinkReset(int peer) {
            node.loop().onPeerLinkReset(peer);
          }
        }, directory != null ? directory : PeerDirectory.of(ensemble.endpoints()));
        CompletableFuture<Void> serving = node.start(clientServer, peers);
        peerPort = await(peers.start(), "binding the peer port");
        metrics.bindPeers(node::status, ensemble.peerIds());
        // an ensemble serves once a quorum has elected a leader; that may be long after start
        serving.thenRun(() -> LOG.info("server {} joined a working quorum", config.serverId()));
      } else {
        await(node.start(clientServer), "replaying the log");
      }
      int clientPort = await(clientServer.listen(config.clientPortAddress(), config.clientPort(),
          config.clientPortListenBacklog()), "binding the client port");
      boundClientPort.set(clientPort);
      AdminHttpServer admin = null;
      int adminPort = -1;
      if (config.adminEnabled()) {
        admin = new AdminHttpServer(vertx, node, commands, registry, config.adminCommandUrl());
        adminPort = await(admin.listen(config.adminServerAddress(), config.adminServerPort()), "binding the admin port");
      }
      LOG.info("Warden {} {} on {}:{}{}{} (data in {})", WardenVersion.get(),
          ensemble.replicated() ? "server " + config.serverId() + " of " + ensemble.describe() + ", clients"
              : "serving clients",
          config.clientPortAddress(), clientPort,
          ensemble.replicated() ? ", peers on " + ensemble.listenHost(config) + ":" + peerPort : "",
          admin == null ? "" : ", admin on http://" + config.adminServerAddress() + ":" + adminPort,
          config.dataDir());
      return new WardenServer(config, storage, vertx, core, node, peers, clientServer, admin, clientPort, adminPort,
          peerPort);
    } catch (RuntimeException e) {
      if (peers != null) {
        awaitQuietly(peers.close());
      }
      if (runtime != null) {
        runtime.close();
      }
      if (core != null) {
        core.close();
      }
      if (vertx != null) {
        vertx.close();
      }
      storage.close();
      throw e;
    }
  }

  /** Raft timing from the configuration, in whole loop ticks. */
  static RaftOptions raftOptions(WardenConfig c) {
    RaftOptions d = RaftOptions.defaults();
    return new RaftOptions(Math.max(2, c.electionTimeoutMs() / LOOP_TICK_MS),
        Math.max(1, c.heartbeatIntervalMs() / LOOP_TICK_MS), d.maxEntriesPerAppend(), d.maxBytesPerAppend(),
        d.maxInflightAppends(), d.preVote(), d.checkQuorum());
  }

  /** Maps the configuration onto the node's options (one place, so nothing is forgotten). */
  static NodeOptions nodeOptions(WardenConfig c) {
    long maxLogBytes = c.snapSizeLimitKb() == 0 ? Long.MAX_VALUE : c.snapSizeLimitKb() * 1024;
    return new NodeOptions(c.serverId(), c.tickTimeMs(), c.minSessionTimeoutMs(), c.maxSessionTimeoutMs(),
        c.snapCount(), maxLogBytes, 1 << 20, c.reaperIntervalMs(), c.reaperMaxPerInterval(),
        c.maxWatchesPerConnection(), c.extendedTypesEnabled(), c.superDigest().map(SuperDigest::value).orElse(null),
        4096, 100, 10_000);
  }

  static ClientServer.Limits limits(WardenConfig c) {
    // Decoding allows jute.maxbuffer plus ZooKeeper's equal "extrasize" slack (reference §1).
    return new ClientServer.Limits(c.juteMaxBufferBytes(), c.juteMaxBufferBytes() * 2, c.maxClientCnxns(),
        c.maxCnxns(), c.maxInflightPerConnection(), c.globalOutstandingLimit(), c.sessionlessConnectionTimeoutMs());
  }

  public int clientPort() {
    return clientPort;
  }

  /** The bound peer (quorum) port; -1 for a standalone server. */
  public int peerPort() {
    return peerPort;
  }

  /** -1 when the admin server is disabled. */
  public int adminPort() {
    return adminPort;
  }

  /** {@code host:port} for clients (loopback when bound to every interface). */
  public String connectString() {
    String host = config.clientPortAddress().equals(WardenConfig.WILDCARD_ADDRESS) ? "127.0.0.1" : config.clientPortAddress();
    return host + ":" + clientPort;
  }

  public NodeRuntime runtime() {
    return runtime;
  }

  public WardenConfig config() {
    return config;
  }

  /** Completes when the node stops; exceptionally if it failed (storage error, broken invariant). */
  public CompletableFuture<Void> terminated() {
    return runtime.terminated();
  }

  @Override
  public void close() {
    awaitQuietly(clientServer.close());
    if (adminServer != null) {
      awaitQuietly(adminServer.close());
    }
    if (peers != null) {
      awaitQuietly(peers.close());
    }
    runtime.close();
    core.close();
    awaitQuietly(vertx.close());
    storage.close();
    LOG.info("Warden server on port {} stopped", clientPort);
  }

  /** The two stores a node runs on; tests substitute wrappers. */
  public record Stores(LogStore log, SnapshotStore snapshots) {
  }

  /** Wraps the real stores (identity in production). */
  @FunctionalInterface
  public interface StoreWrapper {
    Stores wrap(Stores stores);
  }

  private static void createDataDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create dataDir " + dir + ": " + e.getMessage(), e);
    }
  }

  private static <T> T await(Future<T> f, String what) {
    return await(f.toCompletionStage().toCompletableFuture(), what);
  }

  private static <T> T await(CompletableFuture<T> f, String what) {
    try {
      return f.get(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("failed while " + what + ": " + cause, cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + START_TIMEOUT_S + " s while " + what, e);
    }
  }

  private static void awaitQuietly(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("while closing: {}", e.toString());
    }
  }
}
