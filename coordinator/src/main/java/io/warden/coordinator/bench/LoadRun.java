package io.warden.coordinator.bench;

import io.warden.client.Op;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One load run against any ZooKeeper-protocol server, through Warden's asynchronous client: the
 * same client drives Warden and ZooKeeper, so a comparison measures the servers.
 *
 * <p>Threads: each session's replies complete on that session's event thread, which records the
 * latency and sends the session's next request (a lane of the K in flight); the calling thread
 * only sets up, waits and cleans up. Shared counters are a {@link Recorder}, adders and atomics.
 *
 * <p>Every run works under its own root node ({@code /warden-bench-<random>}), deleted at the end
 * unless {@link BenchSettings#keep()}.
 */
public final class LoadRun {
  /** Set ops in one {@link BenchOp#MULTI} request. */
  public static final int MULTI_OPS = 5;
  /** Requests in flight while creating and deleting the run's nodes. */
  private static final int SETUP_WINDOW = 256;
  /** How long any single setup step or the end of the run may take before the tool gives up. */
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  private final BenchSettings settings;
  private final List<WardenClient> clients;
  private final Runnable atStart;
  private final String root;
  private final String[] nodes;
  private final byte[] value;
  private final AtomicLong created = new AtomicLong();
  private final Recorder latencyMicros = new Recorder(3);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicLong lastAckNanos = new AtomicLong();
  private final AtomicLong maxAckGapNanos = new AtomicLong();
  /** Per pre-connected session: its last successful reply (fan-out and churn leave them unused). */
  private final Map<WardenClient, AtomicLong> lastAckBySession = new java.util.IdentityHashMap<>();
  private final AtomicLong maxSessionGapNanos = new AtomicLong();
  private long measureFromNanos;
  private long endNanos;

  private LoadRun(BenchSettings settings, List<WardenClient> clients, Runnable atStart) {
    this.settings = settings;
    this.atStart = atStart;
    this.clients = clients;
    this.root = "/warden-bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    this.nodes = new String[settings.op().needsNodes() ? settings.znodes() : 0];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = root + "/n" + i;
    }
    this.value = new byte[settings.valueBytes()];
    ThreadLocalRandom.current().nextBytes(value);
  }

  /** Connects, sets up, runs, cleans up and closes; BenchException says what went wrong. */
  public static BenchResult run(BenchSettings settings) throws BenchException, InterruptedException {
    return run(settings, () -> { });
  }

  /**
   * Like {@link #run(BenchSettings)}; {@code atStart} runs on the calling thread when the load
   * starts (after connecting and setting up), e.g. to schedule a fault during the run.
   */
  public static BenchResult run(BenchSettings settings, Runnable atStart)
      throws BenchException, InterruptedException {
    List<WardenClient> clients = connect(settings);
    try {
      LoadRun run = new LoadRun(settings, clients, atStart);
      run.setUp();
      BenchResult result = settings.op() == BenchOp.WATCH_FANOUT ? run.fanOut() : run.load();
      if (!settings.keep()) {
        run.cleanUp();
      }
      return result;
    } finally {
      closeAll(clients);
    }
  }

  private static List<WardenClient> connect(BenchSettings s) throws BenchException, InterruptedException {
    List<WardenClient> clients = new ArrayList<>();
    boolean ok = false;
    try {
      for (int i = 0; i < s.clients(); i++) {
        clients.add(WardenClient.builder(s.connectFor(i)).sessionTimeout(SESSION_TIMEOUT).build());
      }
      long deadline = System.nanoTime() + s.connectTimeout().toNanos();
      for (int i = 0; i < clients.size(); i++) {
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        if (!clients.get(i).awaitConnected(left)) {
          throw new BenchException("cannot connect to " + s.connect() + " within "
              + s.connectTimeout().toMillis() + " ms (" + i + " of " + s.clients()
              + " sessions connected)");
        }
      }
      ok = true;
      return clients;
    } catch (IllegalArgumentException e) {
      throw new BenchException("invalid --connect '" + s.connect() + "': " + e.getMessage());
    } catch (WardenException e) {
      throw new BenchException("cannot connect to " + s.connect() + ": " + e.getMessage());
    } finally {
      if (!ok) {
        closeAll(clients);
      }
    }
  }

  private static void closeAll(List<WardenClient> clients) throws InterruptedException {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (WardenClient c : clients) {
      closing.add(c.closeAsync().toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(SESSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // a session that cannot close cleanly expires on the server; nothing else to undo
    }
  }

  private void setUp() throws BenchException, InterruptedException {
    awaitStep(clients.get(0).create(root, new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
        "create " + root);
    pipeline(nodes.length, i -> client(i).create(nodes[i], value, Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT), "create the " + nodes.length + " nodes");
  }

  private void cleanUp() throws BenchException, InterruptedException {
    pipeline(nodes.length, i -> deleteIfThere(client(i), nodes[i]), "delete the nodes");
    int made = (int) created.get();
    pipeline(made, i -> deleteIfThere(client(i), createdPath(i)), "delete the created nodes");
    awaitStep(deleteIfThere(clients.get(0), fanOutNode()), "delete " + fanOutNode());
    awaitStep(deleteIfThere(clients.get(0), root), "delete " + root);
  }

  private static CompletionStage<Void> deleteIfThere(WardenClient client, String path) {
    return client.delete(path, WardenClient.ANY_VERSION).exceptionally(e -> {
      if (code(e) == ErrorCode.NO_NODE) {
        return null;
      }
      throw e instanceof CompletionException ce ? ce : new CompletionException(e);
    });
  }

  private WardenClient client(int i) {
    return clients.get(i % clients.size());
  }

  private String createdPath(long i) {
    return root + "/c" + i;
  }

  private String fanOutNode() {
    return root + "/w";
  }

  /** Runs {@code count} requests with at most {@link #SETUP_WINDOW} in flight; fails on the first error. */
  private static void pipeline(int count, IntFunction<CompletionStage<?>> request, String what)
      throws BenchException, InterruptedException {
    Semaphore window = new Semaphore(SETUP_WINDOW);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = 0; i < count && failure.get() == null; i++) {
      acquire(window, 1, what);
      request.apply(i).whenComplete((v, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
        window.release();
      });
    }
    acquire(window, SETUP_WINDOW, what);
    if (failure.get() != null) {
      throw new BenchException("cannot " + what + ": " + describe(failure.get()));
    }
  }

  private static void acquire(Semaphore window, int permits, String what)
      throws BenchException, InterruptedException {
    if (!window.tryAcquire(permits, STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new BenchException("cannot " + what + ": no reply within " + STEP_TIMEOUT.toSeconds() + " s");
    }
  }

  private static <T> T awaitStep(CompletionStage<T> stage, String what)
      throws BenchException, InterruptedException {
    try {
      return stage.toCompletableFuture().get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new BenchException("cannot " + what + ": " + describe(e.getCause()));
    } catch (TimeoutException e) {
      throw new BenchException("cannot " + what + ": no reply within " + STEP_TIMEOUT.toSeconds() + " s");
    }
  }

  private void startClock() {
    measureFromNanos = System.nanoTime() + settings.warmup().toNanos();
    endNanos = measureFromNanos + settings.duration().toNanos();
    lastAckNanos.set(measureFromNanos);
    clients.forEach(c -> lastAckBySession.put(c, new AtomicLong(measureFromNanos)));
    atStart.run();
  }

  private BenchResult load() throws BenchException, InterruptedException {
    CountDownLatch lanesDone = new CountDownLatch(settings.clients() * settings.inflight());
    startClock();
    for (WardenClient c : clients) {
      for (int k = 0; k < settings.inflight(); k++) {
        new Lane(c, lanesDone).next();
      }
    }
    long waitMs = settings.warmup().plus(settings.duration()).plus(STEP_TIMEOUT).toMillis();
    if (!lanesDone.await(waitMs, TimeUnit.MILLISECONDS)) {
      throw new BenchException(lanesDone.getCount() + " requests got no reply within "
          + STEP_TIMEOUT.toSeconds() + " s after the end of the run");
    }
    return result();
  }

  private BenchResult result() {
    // a stall that lasts until the end of the run is a gap too
    ackGap(endNanos);
    if (settings.op() != BenchOp.WATCH_FANOUT && settings.op() != BenchOp.SESSION_CHURN) {
      lastAckBySession.values().forEach(last -> sessionGap(last, endNanos));
    }
    Histogram h = latencyMicros.getIntervalHistogram();
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((code, n) -> errorCounts.put(code, n.sum()));
    return BenchResult.of(settings, h, settings.duration().toNanos() / 1e9, errorCounts,
        maxAckGapNanos.get(), maxSessionGapNanos.get());
  }

  /** One of the K request slots of a session: sends, and on each reply sends again until the end. */
  private final class Lane {
    private final WardenClient client;
    private final CountDownLatch done;

    Lane(WardenClient client, CountDownLatch done) {
      this.client = client;
      this.done = done;
    }

    void next() {
      long sentNanos = System.nanoTime();
      if (sentNanos - endNanos >= 0) {
        done.countDown();
        return;
      }
      CompletionStage<?> reply;
      try {
        reply = send(client);
      } catch (RuntimeException e) {
        // the client refuses synchronously only when closed: this lane is over
        error(e);
        done.countDown();
        return;
      }
      reply.whenComplete((v, e) -> {
        if (e == null) {
          long doneNanos = System.nanoTime();
          if (success(sentNanos, doneNanos)) {
            sessionGap(lastAckBySession.get(client), doneNanos);
          }
        } else {
          error(e);
        }
        next();
      });
    }
  }

  private CompletionStage<?> send(WardenClient c) {
    return switch (settings.op()) {
      case CREATE -> c.create(createdPath(created.getAndIncrement()), value,
          Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      case SET -> c.setData(randomNode(), value, WardenClient.ANY_VERSION);
      case GET -> c.getData(randomNode());
      case EXISTS -> c.exists(randomNode());
      case MULTI -> c.multi(multiOps());
      case MIXED -> ThreadLocalRandom.current().nextDouble() < settings.readRatio()
          ? c.getData(randomNode()) : c.setData(randomNode(), value, WardenClient.ANY_VERSION);
      case WATCH_FANOUT -> throw new IllegalStateException("fan-out rounds are not lanes");
      case SESSION_CHURN -> churn();
    };
  }

  /** A session from connect to close, with one ephemeral node in between. */
  private CompletionStage<?> churn() {
    long n = created.getAndIncrement();
    WardenClient session = WardenClient.builder(settings.connectFor((int) (n % Integer.MAX_VALUE)))
        .sessionTimeout(SESSION_TIMEOUT).build();
    return session.connected()
        .thenCompose(c -> c.create(createdPath(n), null, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL))
        .thenCompose(path -> session.closeAsync())
        .whenComplete((v, e) -> {
          if (e != null) {
            session.closeAsync(); // a failed session must not linger (its threads, its node)
          }
        });
  }

  private List<Op.Write> multiOps() {
    List<Op.Write> ops = new ArrayList<>(MULTI_OPS);
    for (int i = 0; i < MULTI_OPS; i++) {
      ops.add(Op.setData(randomNode(), value, Op.ANY_VERSION));
    }
    return ops;
  }

  private String randomNode() {
    return nodes[ThreadLocalRandom.current().nextInt(nodes.length)];
  }

  /** Records a reply inside the measured interval; false if it fell outside. */
  private boolean success(long sentNanos, long doneNanos) {
    if (sentNanos - measureFromNanos >= 0 && doneNanos - endNanos <= 0) {
      latencyMicros.recordValue(Math.max(1, (doneNanos - sentNanos) / 1000));
      ackGap(doneNanos);
      return true;
    }
    return false;
  }

  private void sessionGap(AtomicLong last, long ackNanos) {
    long previous = last.getAndAccumulate(ackNanos, Math::max);
    if (ackNanos > previous) {
      maxSessionGapNanos.accumulateAndGet(ackNanos - previous, Math::max);
    }
  }

  private void ackGap(long ackNanos) {
    long previous = lastAckNanos.getAndAccumulate(ackNanos, Math::max);
    if (ackNanos > previous) {
      maxAckGapNanos.accumulateAndGet(ackNanos - previous, Math::max);
    }
  }

  private void error(Throwable e) {
    ErrorCode code = code(e);
    String name = code != null ? code.name() : unwrap(e).getClass().getSimpleName();
    errors.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  /**
   * Watch fan-out: every session leaves a data watch on one node, then one set fires them all;
   * a round's latency is from sending the set until the last session is notified. Rounds run
   * back to back until the end of the run (each round re-arms every watch first, not timed).
   */
  private BenchResult fanOut() throws BenchException, InterruptedException {
    String node = fanOutNode();
    awaitStep(clients.get(0).create(node, value, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
        "create " + node);
    startClock();
    while (System.nanoTime() - endNanos < 0) {
      CountDownLatch notified = new CountDownLatch(clients.size());
      AtomicLong lastNotifiedNanos = new AtomicLong();
      pipeline(clients.size(), i -> clients.get(i).getData(node, event -> {
        lastNotifiedNanos.accumulateAndGet(System.nanoTime(), Math::max);
        notified.countDown();
      }), "watch " + node);
      long sentNanos = System.nanoTime();
      try {
        awaitStep(clients.get(0).setData(node, value, WardenClient.ANY_VERSION), "set " + node);
      } catch (BenchException e) {
        error(new IllegalStateException(e.getMessage()));
        continue;
      }
      if (!notified.await(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BenchException(notified.getCount() + " of " + clients.size()
            + " watches did not fire within " + STEP_TIMEOUT.toSeconds() + " s");
      }
      success(sentNanos, lastNotifiedNanos.get());
    }
    return result();
  }

  static ErrorCode code(Throwable e) {
    return unwrap(e) instanceof WardenException we ? we.code() : null;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable e) {
    Throwable t = unwrap(e);
    return t instanceof WardenException ? t.getMessage() : t.toString();
  }
}
