package io.warden.client;

import io.warden.client.internal.AuthInfo;
import io.warden.client.internal.ClientConfig;
import io.warden.client.internal.ClientCore;
import io.warden.client.internal.ConnectString;
import io.warden.client.internal.Ops;
import io.warden.protocol.Acl;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.ClientInfo;
import io.warden.protocol.CreateMode;
import io.warden.protocol.Stat;
import io.warden.protocol.WatcherType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * An asynchronous client for ZooKeeper-protocol servers (Apache ZooKeeper 3.5–3.9 and Warden).
 *
 * <pre>{@code
 * WardenClient client = WardenClient.builder("zk1:2181,zk2:2181/app")
 *     .sessionTimeout(Duration.ofSeconds(30))
 *     .build();
 * client.awaitConnected(Duration.ofSeconds(10));
 * client.create("/a", data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
 *     .thenCompose(path -> client.getData(path));
 * }</pre>
 *
 * <p>Every operation returns a {@link CompletionStage} that completes on the client's event
 * thread, in the order the replies arrived, interleaved with watch events in wire order; it
 * fails with {@link WardenException} for ZooKeeper error codes (NoNode, ConnectionLoss, ...).
 * Invalid arguments (paths, TTLs) throw {@link IllegalArgumentException} before anything is
 * sent, and any call on a closed client throws {@link IllegalStateException}. Requests are
 * pipelined and answered in order. {@link #blocking()} gives the same operations as blocking
 * calls. Threads and locks are described in client/CONCURRENCY.md.
 *
 * <p>Connection handling follows the Java client: hosts are tried in a shuffled order, a lost
 * connection is re-established (SUSPENDED, then RECONNECTED) with the same session, credentials
 * and watches; when the session has expired the client is LOST and stays so — build a new one.
 */
public final class WardenClient implements AutoCloseable {
  /** Matches any version in delete, setData, setAcl. */
  public static final int ANY_VERSION = -1;

  private final ClientCore core;
  private final Ops ops;
  private final BlockingWardenClient blocking;
  private final RetryPolicy retryPolicy;

  private WardenClient(ClientCore core, RetryPolicy retryPolicy) {
    this.core = core;
    this.retryPolicy = retryPolicy;
    this.ops = core.ops();
    this.blocking = new BlockingWardenClient(core);
  }

  public static Builder builder(String connectString) {
    return new Builder(connectString);
  }

  /** The same operations as blocking calls (safe to use from watchers and callbacks). */
  public BlockingWardenClient blocking() {
    return blocking;
  }

  /**
   * The retry policy from the builder (default {@link RetryPolicy#standard()}). The client never
   * retries by itself; recipes use it for their idempotent steps.
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  // ---- create -------------------------------------------------------------------------------

  /** Creates a node; the stage gives the actual path (with the sequence suffix, if any). */
  public CompletionStage<String> create(String path, byte[] data, List<Acl> acl,
      CreateMode mode) {
    return core.async(ops.create(path, data, acl, mode, -1));
  }

  /** Creates a node in a TTL mode (PERSISTENT_WITH_TTL or PERSISTENT_SEQUENTIAL_WITH_TTL). */
  public CompletionStage<String> create(String path, byte[] data, List<Acl> acl, CreateMode mode,
      long ttlMs) {
    return core.async(ops.create(path, data, acl, mode, ttlMs));
  }

  /** Creates a node and returns its path and Stat (create2). */
  public CompletionStage<Created> createWithStat(String path, byte[] data, List<Acl> acl,
      CreateMode mode) {
    return core.async(ops.createWithStat(path, data, acl, mode, -1));
  }

  public CompletionStage<Created> createWithStat(String path, byte[] data, List<Acl> acl,
      CreateMode mode, long ttlMs) {
    return core.async(ops.createWithStat(path, data, acl, mode, ttlMs));
  }

  // ---- reads and writes ---------------------------------------------------------------------

  public CompletionStage<Void> delete(String path, int version) {
    return core.async(ops.delete(path, version));
  }

  /** The node's Stat, or null if it does not exist (not an exception). */
  public CompletionStage<Stat> exists(String path) {
    return core.async(ops.exists(path, null));
  }

  /**
   * Like {@link #exists(String)}, leaving a one-shot watch: on the node if it exists (data
   * change, deletion), else for its creation.
   */
  public CompletionStage<Stat> exists(String path, Watcher watcher) {
    return core.async(ops.exists(path, Objects.requireNonNull(watcher, "watcher")));
  }

  public CompletionStage<NodeData> getData(String path) {
    return core.async(ops.getData(path, null));
  }

  /** Reads and leaves a one-shot data watch, set only if the read succeeds. */
  public CompletionStage<NodeData> getData(String path, Watcher watcher) {
    return core.async(ops.getData(path, Objects.requireNonNull(watcher, "watcher")));
  }

  public CompletionStage<Stat> setData(String path, byte[] data, int version) {
    return core.async(ops.setData(path, data, version));
  }

  public CompletionStage<NodeAcl> getAcl(String path) {
    return core.async(ops.getAcl(path));
  }

  /** Sets the ACL if the node's ACL version ({@code aversion}) matches {@code aclVersion}. */
  public CompletionStage<Stat> setAcl(String path, List<Acl> acl, int aclVersion) {
    return core.async(ops.setAcl(path, acl, aclVersion));
  }

  public CompletionStage<List<String>> getChildren(String path) {
    return core.async(ops.getChildren(path, null));
  }

  /** Lists and leaves a one-shot child watch, set only if the listing succeeds. */
  public CompletionStage<List<String>> getChildren(String path, Watcher watcher) {
    return core.async(ops.getChildren(path, Objects.requireNonNull(watcher, "watcher")));
  }

  public CompletionStage<NodeChildren> getChildrenWithStat(String path) {
    return core.async(ops.getChildrenWithStat(path, null));
  }

  public CompletionStage<NodeChildren> getChildrenWithStat(String path, Watcher watcher) {
    return core.async(ops.getChildrenWithStat(path, Objects.requireNonNull(watcher, "watcher")));
  }

  /** The number of all descendants of the node (3.6+ servers). */
  public CompletionStage<Integer> getAllChildrenNumber(String path) {
    return core.async(ops.getAllChildrenNumber(path));
  }

  /** Every ephemeral node of this session (3.6+ servers). */
  public CompletionStage<List<String>> getEphemerals() {
    return core.async(ops.getEphemerals("/"));
  }

  /** This session's ephemerals whose path starts with {@code prefixPath} (string prefix). */
  public CompletionStage<List<String>> getEphemerals(String prefixPath) {
    return core.async(ops.getEphemerals(prefixPath));
  }

  /** Completes once the connected server has caught up with the leader as of this call. */
  public CompletionStage<Void> sync(String path) {
    return core.async(ops.sync(path));
  }

  /**
   * Applies {@code ops} atomically. On failure the stage fails with the first failing op's code
   * and path; {@link WardenException#results()} holds every op's result (reference §8.3).
   */
  public CompletionStage<List<OpResult>> multi(List<? extends Op.Write> ops) {
    if (ops.isEmpty()) {
      return CompletableFuture.completedStage(List.of()); // never sent, as in the Java client
    }
    return core.async(this.ops.multi(ops));
  }

  /** Reads independently (3.6+ servers); failed reads are ErrorResults, not an exception. */
  public CompletionStage<List<OpResult>> multiRead(List<? extends Op.Read> ops) {
    if (ops.isEmpty()) {
      return CompletableFuture.completedStage(List.of());
    }
    return core.async(this.ops.multiRead(ops));
  }

  // ---- watches ------------------------------------------------------------------------------

  /** A persistent or persistent-recursive watch (3.6+ servers); it stays until removed. */
  public CompletionStage<Void> addWatch(String path, Watcher watcher, AddWatchMode mode) {
    return core.async(ops.addWatch(path, watcher, mode));
  }

  /**
   * Removes one watcher of the kinds {@code type} covers (DATA covers data and exist watches,
   * ANY every kind). It gets a *_WATCH_REMOVED event; the server's watch is removed when no
   * local watcher of that kind is left. Fails with NO_WATCHER if it was not registered.
   */
  public CompletionStage<Void> removeWatches(String path, Watcher watcher, WatcherType type) {
    return core.removeWatches(path, Objects.requireNonNull(watcher, "watcher"), type, false);
  }

  /** Removes every watcher of the kinds {@code type} covers, on the server and locally. */
  public CompletionStage<Void> removeAllWatches(String path, WatcherType type) {
    return core.removeWatches(path, null, type, false);
  }

  // ---- session ------------------------------------------------------------------------------

  /**
   * Adds credentials (e.g. {@code "digest", "user:password"}), re-sent after every reconnect. The
   * stage completes when the server accepts them; if it rejects them the client ends in
   * AUTH_FAILED, as the Java client does.
   */
  public CompletionStage<Void> addAuth(String scheme, byte[] credentials) {
    return core.addAuth(new AuthInfo(scheme, credentials), false);
  }

  /** The identities of this connection (3.7+ servers). */
  public CompletionStage<List<ClientInfo>> whoAmI() {
    return core.async(ops.whoAmI());
  }

  /** Completes (with this client) the first time the client connects; fails if it ends first. */
  public CompletionStage<WardenClient> connected() {
    return core.connected().thenApply(v -> this);
  }

  /**
   * Waits until connected. Returns false when {@code timeout} elapses first; throws
   * WardenException if the client has ended (LOST, AUTH_FAILED or CLOSED).
   */
  public boolean awaitConnected(Duration timeout) throws InterruptedException, WardenException {
    return core.awaitConnected(Objects.requireNonNull(timeout, "timeout"));
  }

  /** The current state; null before the first connection. */
  public ConnectionState state() {
    return core.state();
  }

  /** The session id, 0 before the first connection. */
  public long sessionId() {
    return core.sessionId();
  }

  /** The timeout the server granted, zero before the first connection. */
  public Duration negotiatedSessionTimeout() {
    return Duration.ofMillis(core.negotiatedTimeoutMs());
  }

  /**
   * True from the moment {@link #close()} is called; operations then fail with
   * IllegalStateException (the state becomes CLOSED once the session is closed).
   */
  public boolean isClosed() {
    return core.isCloseRequested();
  }

  public void addStateListener(ConnectionStateListener listener) {
    core.addStateListener(listener);
  }

  public void removeStateListener(ConnectionStateListener listener) {
    core.removeStateListener(listener);
  }

  /**
   * Closes the session (closeSession, so its ephemerals go at once) and the connection. Every
   * later operation throws IllegalStateException. The stage completes when CLOSED.
   */
  public CompletionStage<Void> closeAsync() {
    return core.closeAsync();
  }

  /** Like {@link #closeAsync()}, waiting until CLOSED (at most about 2/3 of the timeout). */
  @Override
  public void close() {
    try {
      core.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "WardenClient[" + core.hosts() + ", session 0x" + Long.toHexString(sessionId()) + ", "
        + state() + "]";
  }

  /**
   * Builds a {@link WardenClient}. Every setting is validated when set and again in
   * {@link #build()}; invalid values throw IllegalArgumentException with the reason.
   */
  public static final class Builder {
    private final ConnectString connectString;
    private Duration sessionTimeout = Duration.ofSeconds(30);
    private Duration connectionTimeout;
    private Duration requestTimeout;
    private final List<AuthInfo> auths = new ArrayList<>();
    private boolean canBeReadOnly;
    private int maxFrameBytes = 0xFFFFF;
    private LongSupplier nanoTime = System::nanoTime;
    private Long randomSeed;
    private final List<ConnectionStateListener> stateListeners = new ArrayList<>();
    private RetryPolicy retryPolicy = RetryPolicy.standard();

    private Builder(String connectString) {
      this.connectString = ConnectString.parse(connectString);
    }

    /** Requested session timeout (default 30 s); the server clamps it (2–20 ticks by default). */
    public Builder sessionTimeout(Duration timeout) {
      this.sessionTimeout = positiveMillis(timeout, "sessionTimeout");
      return this;
    }

    /**
     * Bound on one connection attempt, TCP connect plus handshake. Default: ZooKeeper's rule,
     * the session timeout divided by the number of servers.
     */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = positiveMillis(timeout, "connectionTimeout");
      return this;
    }

    /**
     * Fail a request with REQUEST_TIMEOUT if no reply came within this time, and drop the
     * connection it was sent on (replies are ordered, so everything behind it is stuck). Default:
     * none, like ZooKeeper (a request then waits until answered or the connection is lost).
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positiveMillis(timeout, "requestTimeout");
      return this;
    }

    /** Credentials sent after every (re)connect, before anything else. */
    public Builder auth(String scheme, byte[] credentials) {
      auths.add(new AuthInfo(scheme, credentials));
      return this;
    }

    /** Convenience for the digest scheme: {@code user:password}. */
    public Builder digestAuth(String userColonPassword) {
      return auth("digest", userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** Accept servers in read-only mode (default false: they are refused). */
    public Builder canBeReadOnly(boolean canBeReadOnly) {
      this.canBeReadOnly = canBeReadOnly;
      return this;
    }

    /** The largest frame accepted from a server (jute.maxbuffer, default 0xFFFFF bytes). */
    public Builder maxFrameBytes(int maxFrameBytes) {
      if (maxFrameBytes < 1024) {
        throw new IllegalArgumentException("maxFrameBytes must be >= 1024, was " + maxFrameBytes);
      }
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    /** Monotonic time source in nanoseconds (default System::nanoTime); for tests. */
    public Builder ticker(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /** Seeds the host shuffle and the reconnect jitter, for reproducible tests. */
    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    /**
     * A listener registered before the client starts connecting, so it sees every state change
     * including the first CONNECTED (one added later with addStateListener may miss it).
     */
    public Builder stateListener(ConnectionStateListener listener) {
      stateListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * How recipes (and callers using {@link WardenClient#retryPolicy()}) retry idempotent steps
     * after ConnectionLoss; default {@link RetryPolicy#standard()}, {@link RetryPolicy#none()} to
     * see every transient failure.
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /** Builds the client, which starts connecting at once on its own thread. */
    public WardenClient build() {
      long seed = randomSeed != null ? randomSeed : System.nanoTime();
      ClientConfig config = new ClientConfig(connectString, (int) sessionTimeout.toMillis(),
          connectionTimeout == null ? 0 : (int) connectionTimeout.toMillis(),
          requestTimeout == null ? 0 : requestTimeout.toMillis(), auths, canBeReadOnly,
          maxFrameBytes, nanoTime, seed);
      return new WardenClient(new ClientCore(config, List.copyOf(stateListeners)), retryPolicy);
    }

    private static Duration positiveMillis(Duration d, String name) {
      if (d == null) {
        throw new IllegalArgumentException(name + " is null");
      }
      if (d.isNegative() || d.isZero() || d.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms, was " + d);
      }
      if (d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " is too long: " + d);
      }
      return d;
    }
  }
}
