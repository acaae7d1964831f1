package io.warden.coordinator.node;

import io.warden.coordinator.fsm.FsmImage;
import io.warden.coordinator.fsm.StateMachine;
import io.warden.coordinator.raft.Membership;
import io.warden.coordinator.raft.PersistBatch;
import io.warden.coordinator.raft.RaftCore;
import io.warden.coordinator.raft.RaftMessage;
import io.warden.coordinator.raft.RaftOptions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link NodeLoop} on real threads (see coordinator/THREADING.md):
 * <ul>
 *   <li>{@code warden-core-N} — owns the loop; everything reaches it through {@link #execute}. It
 *       is a single-threaded executor the caller supplies: in a server, a network event loop of
 *       its own, so the peer connections live on the thread that consumes and produces their
 *       messages (see WardenServer);</li>
 *   <li>{@code warden-log-N} — appends and fsyncs log batches ({@link LogStore#append});</li>
 *   <li>{@code warden-snapshot-N} — writes snapshots and compacts the log.</li>
 * </ul>
 * Any exception on these threads stops the node: a coordinator that cannot trust its own state
 * must not keep answering.
 */
public final class NodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);
  private static final long STATUS_PUBLISH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /**
   * How often the log thread records the commit index for the next restart (LogStore.recordCommit):
   * a restart re-learns at most this much of its log from the leader instead of applying it early.
   */
  private static final long COMMIT_HINT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final NodeOptions options;
  private final LogStore logStore;
  private final SnapshotStore snapshotStore;
  private final Clock clock;
  private final NodeMetrics metrics;
  private final long loopTickNanos;
  private final RaftOptions raftOptions;
  private final Membership bootstrapMembership;
  private final ScheduledExecutorService core;
  private final BlockingQueue<PersistBatch> persistQueue = new LinkedBlockingQueue<>();
  private final BlockingQueue<Runnable> snapshotQueue = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> serving = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Thread logThread;
  private final Thread snapshotThread;
  private volatile boolean running = true;
  private volatile NodeStatus status;
  /** Whether the loop serves clients now (an ensemble member stops while it has no quorum). */
  private volatile boolean servingNow;
  private NodeLoop loop;
  /** The thread the core executor runs on, once it ran a task (close must not wait for itself). */
  private volatile Thread coreThread;
  // core thread only
  private boolean flushScheduled;
  private long nextTickNanos;
  private long nextPublishNanos;
  private final OutgoingSnapshots outgoing = new OutgoingSnapshots();
  private final IncomingSnapshot incoming = new IncomingSnapshot();

  /**
   * @param core the node's core thread: a single-threaded executor that runs tasks in submission
   *     order; this runtime is its only user of timers, and does not shut it down
   * @param loopTickMs how often the loop's timers run (one Raft tick)
   * @param bootstrapMembership the ensemble as configured; stored at first start, and a data
   *     directory that stored another one is refused
   */
  public NodeRuntime(ScheduledExecutorService core, NodeOptions options, LogStore logStore,
      SnapshotStore snapshotStore, Clock clock, NodeMetrics metrics, long loopTickMs, RaftOptions raftOptions,
      Membership bootstrapMembership) {
    this.core = core;
    this.options = options;
    this.raftOptions = raftOptions;
    this.bootstrapMembership = bootstrapMembership;
    this.logStore = logStore;
    this.snapshotStore = snapshotStore;
    this.clock = clock;
    this.metrics = metrics;
    this.loopTickNanos = TimeUnit.MILLISECONDS.toNanos(loopTickMs);
    int id = options.serverId();
    this.logThread = new Thread(this::runLog, "warden-log-" + id);
    this.snapshotThread = new Thread(this::runSnapshots, "warden-snapshot-" + id);
  }

  /**
   * Recovers state from storage (newest snapshot, then the log after it) and starts the
   * threads. Blocking: call it from a thread that may block (never an event loop). The
   * returned future completes when the node serves clients.
   */
  public CompletableFuture<Void> start(ClientTransport transport) {
    return start(transport, PeerTransport.NONE);
  }

  public CompletableFuture<Void> start(ClientTransport transport, PeerTransport peers) {
    long t0 = clock.monoNanos();
    NodeRecovery.Recovered r = NodeRecovery.recover(options.serverId(), options.extendedTypes(), raftOptions,
        new SecureRandom(), bootstrapMembership, logStore, snapshotStore, null);
    StateMachine fsm = r.fsm();
    RaftCore raft = r.raft();
    long snapshotIndex = r.snapshotIndex();
    LOG.info("recovered in {} ms: snapshot at index {} ({} znodes, {} sessions), {} log entries after it, term {}",
        elapsedMs(t0), snapshotIndex, fsm.tree().nodeCount(), fsm.sessions().size(),
        raft.lastIndex() - snapshotIndex, raft.term());
    loop = new NodeLoop(options, clock, new SecureRandom(), raft, fsm, snapshotIndex, new ThreadedStorage(),
        transport, peers, metrics);
    logThread.start();
    snapshotThread.start();
    execute(() -> {
      loop.start();
      nextTickNanos = clock.monoNanos() + loopTickNanos;
      core.schedule(this::tick, loopTickNanos, TimeUnit.NANOSECONDS);
    });
    return serving;
  }

  /**
   * Runs {@code task} on the core thread, after everything submitted before it; the loop
   * flushes once after the tasks that are queued together. Dropped once the node has stopped.
   */
  public void execute(Runnable task) {
    try {
      core.execute(() -> runTask(task));
    } catch (RejectedExecutionException e) {
      LOG.debug("core thread of node {} stopped; task dropped", options.serverId());
    }
  }

  /** Runs {@code query} against the loop on the core thread. */
  public <T> CompletableFuture<T> query(Function<NodeLoop, T> query) {
    CompletableFuture<T> f = new CompletableFuture<>();
    execute(() -> {
      try {
        f.complete(query.apply(loop));
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /**
   * The loop itself, for tasks already running on the core thread (see {@link #execute});
   * touching it from any other thread is a bug.
   */
  public NodeLoop loop() {
    return loop;
  }

  /** The newest published status (at most ~100 ms old); null before the loop runs. */
  public NodeStatus status() {
    return status;
  }

  /** Whether the node serves clients right now (any thread; updated every loop iteration). */
  public boolean isServing() {
    return servingNow && running;
  }

  /** Completes (exceptionally, if the node failed) when the node's threads have stopped. */
  public CompletableFuture<Void> terminated() {
    return terminated;
  }

  @Override
  public void close() {
    running = false;
    awaitCoreIdle();
    logThread.interrupt();
    snapshotThread.interrupt();
    joinQuietly(logThread);
    joinQuietly(snapshotThread);
    terminated.complete(null);
    serving.completeExceptionally(new IllegalStateException("node closed"));
  }

  // ---- the core thread: tasks, then one flush; timers -----------------------------------

  /** Runs {@code task} unless the node stopped, then queues the flush it may need. */
  private void runTask(Runnable task) {
    coreThread = Thread.currentThread();
    if (!running) {
      return;
    }
    try {
      task.run();
    } catch (Throwable t) {
      fail("core thread", t);
      return;
    }
    scheduleFlush(false);
  }

  /**
   * Queues one flush, unless one is queued already. Normally as a task behind the tasks already
   * queued, so the tasks that arrive together (a socket read's messages, a burst of requests)
   * share it. {@code afterSocketPoll}: as a timer instead, which an event loop takes only after
   * it has polled its sockets (Netty runs the tasks queued meanwhile first, but not timers).
   */
  private void scheduleFlush(boolean afterSocketPoll) {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    try {
      if (afterSocketPoll) {
        core.schedule(this::flush, 0, TimeUnit.NANOSECONDS);
      } else {
        core.execute(this::flush);
      }
    } catch (RejectedExecutionException e) {
      flushScheduled = false; // stopped
    }
  }

  private void flush() {
    flushScheduled = false;
    if (!running) {
      return;
    }
    try {
      loop.flush();
      servingNow = loop.isServing();
      if (servingNow && !serving.isDone()) {
        serving.complete(null);
        LOG.info("serving: applied index {}", loop.stateMachine().appliedIndex());
      }
      long now = clock.monoNanos();
      if (now >= nextPublishNanos) {
        status = loop.status();
        nextPublishNanos = now + STATUS_PUBLISH_NANOS;
      }
      if (loop.hasWorkPending()) {
        // Committed entries still to apply (a restart's backlog: tens of thousands). Go round
        // again after a socket poll, so peer messages and handshakes are not held up until the
        // whole backlog is applied (they were, for 0.8 s of a 1M-znode restart).
        scheduleFlush(true);
      }
    } catch (Throwable t) {
      fail("core thread", t);
    }
  }

  /** One loop tick, then the next: never a burst of ticks to catch up after a stall (a GC pause). */
  private void tick() {
    runTask(loop::tick);
    if (!running) {
      return;
    }
    long now = clock.monoNanos();
    nextTickNanos = Math.max(nextTickNanos + loopTickNanos, now);
    try {
      core.schedule(this::tick, Math.max(0, nextTickNanos - now), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("core thread of node {} stopped", options.serverId());
    }
  }

  /** Waits until the core thread has finished what it is running (tasks after it see !running). */
  private void awaitCoreIdle() {
    if (Thread.currentThread() == coreThread) {
      return; // closed by a task: nothing else runs meanwhile
    }
    CompletableFuture<Void> idle = new CompletableFuture<>();
    try {
      core.execute(() -> idle.complete(null));
      idle.get(10, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      // already stopped: nothing runs
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      LOG.warn("core thread of node {} did not finish its task within 10 s of close", options.serverId());
    }
  }

  // ---- the log and snapshot threads ------------------------------------------------------

  private void runLog() {
    long recordedCommit = 0;
    long recordedAtNanos = clock.monoNanos();
    try {
      while (running) {
        PersistBatch b = persistQueue.take();
        long t0 = clock.monoNanos();
        logStore.append(b.hardState(), b.truncateFromIndex(), b.entries());
        long bytes = 0;
        for (var e : b.entries()) {
          bytes += e.sizeBytes();
        }
        long t1 = clock.monoNanos();
        metrics.fsynced(t1 - t0, b.entries().size(), bytes);
        execute(() -> loop.onPersisted(b));
        // after the hand-off, off the write's path; a few times a second is plenty for a hint
        if (b.commitIndex() > recordedCommit && t1 - recordedAtNanos >= COMMIT_HINT_INTERVAL_NANOS) {
          logStore.recordCommit(b.commitIndex());
          recordedCommit = b.commitIndex();
          recordedAtNanos = t1;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      fail("log writer", t);
    }
  }

  private void runSnapshots() {
    try {
      while (running) {
        snapshotQueue.take().run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      fail("snapshot writer", t);
    }
  }

  private void fail(String where, Throwable t) {
    if (!running) {
      return; // shutting down: interrupted I/O is expected
    }
    LOG.error("{} failed; stopping node {}: {}", where, options.serverId(), t.toString(), t);
    running = false;
    logThread.interrupt();
    snapshotThread.interrupt();
    serving.completeExceptionally(t);
    terminated.completeExceptionally(t);
  }

  /** The loop's storage, backed by the log and snapshot threads. */
  private final class ThreadedStorage implements StorageIo {
    @Override
    public void persist(PersistBatch batch) {
      persistQueue.add(batch);
    }

    @Override
    public void snapshot(FsmImage image, long term, byte[] membership) {
      snapshotQueue.add(() -> {
        long t0 = clock.monoNanos();
        SnapshotMeta meta;
        try (SnapshotStore.SnapshotSink sink = snapshotStore.begin(image.index(), term, membership)) {
          image.write(options.snapshotChunkBytes(), sink::writeChunk);
          meta = sink.commit();
        }
        logStore.compactPrefix(image.index());
        metrics.snapshotSaved(clock.monoNanos() - t0, meta.sizeBytes());
        LOG.info("snapshot at index {}: {} znodes, {} bytes in {} ms", image.index(), image.tree().nodeCount(),
            meta.sizeBytes(), elapsedMs(t0));
        execute(() -> loop.onSnapshotSaved(image.index()));
      });
    }

    @Override
    public void readSnapshotChunk(int peer, long snapshotIndex, int chunk) {
      snapshotQueue.add(() -> outgoing.read(peer, snapshotIndex, chunk));
    }

    @Override
    public void storeSnapshotChunk(RaftMessage.SnapshotChunk chunk) {
      snapshotQueue.add(() -> incoming.store(chunk));
    }
  }

  /** Leader side of snapshot transfers: one open reader per peer (snapshot thread only). */
  private final class OutgoingSnapshots {
    private record Reader(SnapshotStore.SnapshotSource source, long index, int nextChunk) {
    }

    private final Map<Integer, Reader> readers = new HashMap<>();

    void read(int peer, long snapshotIndex, int chunk) {
      Reader r = readers.remove(peer);
      if (r != null && (r.index() != snapshotIndex || r.nextChunk() != chunk)) {
        r.source().close();
        r = null;
      }
      if (r == null) {
        Optional<SnapshotStore.SnapshotSource> latest = snapshotStore.openLatest();
        if (latest.isEmpty() || latest.get().meta().index() != snapshotIndex) {
          latest.ifPresent(SnapshotStore.SnapshotSource::close);
          execute(() -> loop.onSnapshotChunkUnavailable(peer));
          return;
        }
        r = new Reader(latest.get(), snapshotIndex, 0);
        while (r.nextChunk() < chunk && r.source().hasNext()) {
          r.source().nextChunk();
          r = new Reader(r.source(), r.index(), r.nextChunk() + 1);
        }
      }
      if (!r.source().hasNext()) {
        r.source().close();
        execute(() -> loop.onSnapshotChunkUnavailable(peer));
        return;
      }
      byte[] data = r.source().nextChunk();
      boolean last = !r.source().hasNext();
      SnapshotMeta meta = r.source().meta();
      if (last) {
        r.source().close();
      } else {
        readers.put(peer, new Reader(r.source(), r.index(), chunk + 1));
      }
      execute(() -> loop.onSnapshotChunkRead(peer, meta, chunk, data, last));
    }
  }

  /** Follower side: the snapshot being received (snapshot thread only). */
  private final class IncomingSnapshot {
    private SnapshotStore.SnapshotSink sink;
    private long index = -1;

    void store(RaftMessage.SnapshotChunk c) {
      try {
        if (c.chunk() == 0) {
          abort();
          sink = snapshotStore.begin(c.snapshotIndex(), c.snapshotTerm(), c.membership());
          index = c.snapshotIndex();
        }
        if (sink == null || index != c.snapshotIndex()) {
          throw new IllegalStateException("chunk " + c.chunk() + " of snapshot " + c.snapshotIndex()
              + " without its beginning");
        }
        sink.writeChunk(c.data());
        if (!c.last()) {
          execute(() -> loop.onSnapshotChunkStored(c));
          return;
        }
        sink.commit();
        sink = null;
        logStore.compactPrefix(c.snapshotIndex());
        FsmImage.Restored restored;
        try (SnapshotStore.SnapshotSource src = snapshotStore.openLatest().orElseThrow()) {
          restored = NodeRecovery.readImage(src);
        }
        LOG.info("installed snapshot at index {} from server {}", c.snapshotIndex(), c.from());
        execute(() -> loop.onSnapshotReceived(c, restored));
      } catch (StorageException e) {
        throw e; // the disk itself failed: fatal
      } catch (RuntimeException e) {
        abort();
        execute(() -> loop.onSnapshotReceiveFailed(c, e));
      }
    }

    private void abort() {
      if (sink != null) {
        sink.abort();
        sink = null;
      }
      index = -1;
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private long elapsedMs(long t0) {
    return (clock.monoNanos() - t0) / 1_000_000;
  }

  private static void joinQuietly(Thread t) {
    try {
      if (t.isAlive()) {
        t.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
