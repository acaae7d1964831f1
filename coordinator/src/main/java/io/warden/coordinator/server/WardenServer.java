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
import io.warden.coordinator.node.Clock;
import io.warden.coordinator.node.LogStore;
import io.warden.coordinator.node.NodeOptions;
import io.warden.coordinator.node.NodeRuntime;
import io.warden.coordinator.node.SnapshotStore;
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
  /** How often the node loop runs its timers. */
  static final long LOOP_TICK_MS = 50;
  private static final long START_TIMEOUT_S = 600;

  private final WardenConfig config;
  private final RocksStorage storage;
  private final Vertx vertx;
  private final NodeRuntime runtime;
  private final ClientServer clientServer;
  private final AdminHttpServer adminServer;
  private final int clientPort;
  private final int adminPort;

  private WardenServer(WardenConfig config, RocksStorage storage, Vertx vertx, NodeRuntime runtime,
      ClientServer clientServer, AdminHttpServer adminServer, int clientPort, int adminPort) {
    this.config = config;
    this.storage = storage;
    this.vertx = vertx;
    this.runtime = runtime;
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
    if (!config.isStandalone()) {
      throw new IllegalArgumentException("this build runs standalone servers only: the configuration lists "
          + config.servers().size() + " servers; replication comes with the ensemble work");
    }
    createDataDir(config.dataDir());
    RocksStorage storage = RocksStorage.open(config.dataDir().resolve("rocksdb"),
        StorageOptions.DEFAULTS.withSnapshotsRetained(config.snapRetainCount()));
    Vertx vertx = null;
    NodeRuntime runtime = null;
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vertx = Vertx.builder()
          .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
          .withMetrics(new MicrometerMetricsFactory(registry))
          .build();
      MicrometerNodeMetrics metrics = new MicrometerNodeMetrics(registry);
      NodeOptions options = adjustOptions.apply(nodeOptions(config));
      Stores stores = wrapStores.wrap(new Stores(storage, storage));
      runtime = new NodeRuntime(options, stores.log(), stores.snapshots(), Clock.SYSTEM, metrics, LOOP_TICK_MS);
      metrics.bindStatus(runtime::status, storage::sizeBytes);

      // conf reports the port actually bound (ZooKeeper does too), which differs with clientPort=0
      AtomicInteger boundClientPort = new AtomicInteger(config.clientPort());
      AdminCommands commands = new AdminCommands(runtime,
          () -> config.toBuilder().clientPort(boundClientPort.get()).build().toConfText());
      Set<String> whitelist = config.fourLetterWords().stream().map(FourLetterWord::word).collect(Collectors.toSet());
      ClientServer clientServer = new ClientServer(vertx, runtime, limits(config),
          new FourLetterWordHandler(commands, whitelist));
      await(runtime.start(clientServer), "replaying the log");
      int clientPort = await(clientServer.listen(config.clientPortAddress(), config.clientPort(),
          config.clientPortListenBacklog()), "binding the client port");
      boundClientPort.set(clientPort);
      AdminHttpServer admin = null;
      int adminPort = -1;
      if (config.adminEnabled()) {
        admin = new AdminHttpServer(vertx, runtime, commands, registry, config.adminCommandUrl());
        adminPort = await(admin.listen(config.adminServerAddress(), config.adminServerPort()), "binding the admin port");
      }
      LOG.info("Warden {} serving clients on {}:{}{} (data in {})", WardenVersion.get(), config.clientPortAddress(),
          clientPort, admin == null ? "" : ", admin on http://" + config.adminServerAddress() + ":" + adminPort,
          config.dataDir());
      return new WardenServer(config, storage, vertx, runtime, clientServer, admin, clientPort, adminPort);
    } catch (RuntimeException e) {
      if (runtime != null) {
        runtime.close();
      }
      if (vertx != null) {
        vertx.close();
      }
      storage.close();
      throw e;
    }
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
    runtime.close();
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
