package io.warden.brokersim.broker;

import io.warden.brokersim.broker.ControlPlane.ControlRequest;
import io.warden.brokersim.broker.ControlPlane.LeaderAndIsr;
import io.warden.brokersim.broker.ControlPlane.PartitionView;
import io.warden.brokersim.broker.ControlPlane.StopReplica;
import io.warden.brokersim.broker.ControlPlane.UpdateMetadata;
import io.warden.brokersim.layout.BrokerRegistration;
import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import io.warden.client.ConnectionState;
import io.warden.client.NodeData;
import io.warden.client.Op;
import io.warden.client.OpResult;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated Kafka broker (ZooKeeper mode): its own session, its ephemeral registration (the
 * broker epoch is the registration's czxid), its controller module, and — for the partitions it
 * leads — the leader's ISR maintenance with version-checked writes and batched isr_change
 * notifications (IBP < 2.7-IV2, layout §4.4a). Everything runs on its {@link BrokerExecutor};
 * other threads only submit to it and read volatile snapshots.
 */
public final class Broker {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

  /** A partition this broker leads, as the last LeaderAndIsr (or its own ISR write) left it. */
  public record LedPartition(PartitionState state, int zkVersion, List<Integer> replicas) {
  }

  /** A control request this broker refused, and why (STALE_CONTROLLER_EPOCH, STALE_BROKER_EPOCH). */
  public record Rejection(String reason, ControlRequest request) {
  }

  private final int id;
  private final BrokerConfig config;
  private final ControlPlane plane;
  private final SimListener listener;
  private final LongSupplier clockMs;
  private final BrokerExecutor executor;
  private final BrokerSession session;
  private final Controller controller;
  private final CompletableFuture<Long> started = new CompletableFuture<>();
  private final List<Rejection> rejections = new CopyOnWriteArrayList<>();

  private volatile BrokerState state = BrokerState.STARTING;
  private volatile long brokerEpoch = -1;
  private volatile long registeredSessionId;
  private volatile Map<TopicPartition, LedPartition> ledView = Map.of();
  // executor-owned
  private final Map<TopicPartition, LedPartition> led = new HashMap<>();
  private Set<Integer> liveBrokers = Set.of();
  private Set<Integer> lagging = Set.of();
  private int maxControllerEpochSeen = -1;
  private final Set<TopicPartition> pendingIsrChanges = new TreeSet<>();
  private final Map<TopicPartition, Integer> staleAtVersion = new HashMap<>();
  private long lastIsrChangeMs;
  private long lastIsrNotificationMs;
  private long failedIsrUpdates;
  private ScheduledFuture<?> isrTask;

  public Broker(int id, BrokerConfig config, ControlPlane plane, SimListener listener,
      ScheduledExecutorService timer, LongSupplier clockMs) {
    if (id < 0) {
      throw new IllegalArgumentException("broker id must be >= 0, was " + id);
    }
    this.id = id;
    this.config = config;
    this.plane = plane;
    this.listener = listener;
    this.clockMs = clockMs;
    this.executor = new BrokerExecutor("broker-" + id, timer,
        t -> error("unexpected failure on the broker thread", t));
    this.session = new BrokerSession("broker " + id, config,
        gen -> executor.submit(() -> reinitialize(gen)),
        s -> event(SimEvent.Kind.SESSION_STATE, s.name()));
    this.controller = new Controller(this, session);
  }

  // ---- observers ------------------------------------------------------------------------------

  public int id() {
    return id;
  }

  public BrokerState state() {
    return state;
  }

  /** The czxid of the current registration, -1 before the first one. */
  public long brokerEpoch() {
    return brokerEpoch;
  }

  public long sessionId() {
    return session.sessionId();
  }

  public ConnectionState connectionState() {
    return session.state();
  }

  public ControllerView controllerView() {
    return controller.view();
  }

  public Map<TopicPartition, LedPartition> ledPartitions() {
    return ledView;
  }

  /** True when this broker leads {@code tp} and {@code brokerId} is one of its replicas. */
  public boolean replicasContain(TopicPartition tp, int brokerId) {
    LedPartition p = ledView.get(tp);
    return p != null && p.replicas().contains(brokerId);
  }

  public List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  /** Completes with the first broker epoch, or fails (duplicate id, unreachable ensemble). */
  public CompletableFuture<Long> started() {
    return started;
  }

  // ---- life cycle -----------------------------------------------------------------------------

  /** Kafka's startup sequence (layout §3.1), on the broker's executor. */
  public CompletableFuture<Long> start() {
    executor.submit(this::startup);
    return started;
  }

  private void startup() {
    try {
      session.ensure();
      createTopLevelPaths();
      getOrCreateClusterId();
      register();
      state = BrokerState.RUNNING;
      controller.startup();
      isrTask = executor.schedule(this::isrTick, config.isrCheckIntervalMs());
      started.complete(brokerEpoch);
    } catch (DuplicateBrokerIdException e) {
      fail(e);
    } catch (WardenException e) {
      fail(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.completeExceptionally(e);
    }
  }

  private void fail(Exception e) {
    state = BrokerState.FAILED;
    event(SimEvent.Kind.BROKER_START_FAILED, e.getMessage());
    session.close();
    executor.shutdownNow();
    started.completeExceptionally(e);
  }

  private void createTopLevelPaths() throws WardenException, InterruptedException {
    for (String p : Layout.TOP_LEVEL_PATHS) {
      createRecursive(p, null);
    }
  }

  /** Kafka's recursive create: try; on NONODE create the parent and retry; NODEEXISTS is fine. */
  private void createRecursive(String path, byte[] data)
      throws WardenException, InterruptedException {
    try {
      session.call(c -> c.blocking().create(path, data, Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT));
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        createRecursive(path.substring(0, path.lastIndexOf('/')), null);
        createRecursive(path, data);
      } else if (e.code() != ErrorCode.NODE_EXISTS) {
        throw e;
      }
    }
  }

  private void getOrCreateClusterId() throws WardenException, InterruptedException {
    try {
      session.call(c -> c.blocking().getData(Layout.CLUSTER_ID));
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        throw e;
      }
      String clusterId = Layout.newClusterId(new Random(clockMs.getAsLong() ^ id));
      createRecursive(Layout.CLUSTER_ID, Layout.encodeClusterId(clusterId)); // loser re-reads
    }
  }

  /**
   * The "checked ephemeral" registration (layout §3.2): create with null data and setData
   * version 0 in one multi, so the node's version is 1 and its czxid the broker epoch.
   */
  private void register() throws WardenException, InterruptedException,
      DuplicateBrokerIdException {
    String path = Layout.brokerPath(id);
    byte[] data = Layout.encodeBroker(BrokerRegistration.simulated("broker-" + id + ".sim",
        9092, clockMs.getAsLong()));
    for (int attempt = 0; attempt < 5; attempt++) {
      long mySession = session.ensure().sessionId();
      try {
        List<OpResult> r = session.call(c -> c.blocking().multi(List.of(
            Op.create(path, null, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL),
            Op.setData(path, data, 0))));
        registered(((OpResult.SetDataResult) r.get(1)).stat(), mySession);
        return;
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NODE_EXISTS) {
          throw e;
        }
      }
      NodeData existing;
      try {
        existing = session.call(c -> c.blocking().getData(path));
      } catch (WardenException e) {
        if (e.code() == ErrorCode.NO_NODE) {
          continue; // vanished meanwhile: create again
        }
        throw e;
      }
      long owner = existing.stat().ephemeralOwner();
      if (owner == mySession) {
        registered(existing.stat(), mySession); // our retried create had committed
        return;
      }
      if (owner == registeredSessionId && registeredSessionId != 0) {
        // a leftover of our own expired session (ZOOKEEPER-2985): remove it and retry
        deleteIfVersion(path, existing.stat().version());
        continue;
      }
      throw new DuplicateBrokerIdException(id, owner);
    }
    throw new WardenException(ErrorCode.NODE_EXISTS, path, "registration kept conflicting");
  }

  private void deleteIfVersion(String path, int version) throws WardenException,
      InterruptedException {
    try {
      session.call(c -> {
        c.blocking().delete(path, version);
        return null;
      });
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NO_NODE && e.code() != ErrorCode.BAD_VERSION) {
        throw e;
      }
    }
  }

  private void registered(Stat stat, long sessionId) {
    long previous = brokerEpoch;
    brokerEpoch = stat.czxid();
    registeredSessionId = sessionId;
    event(SimEvent.Kind.BROKER_REGISTERED, "epoch (czxid) 0x" + Long.toHexString(brokerEpoch)
        + (previous >= 0 ? ", was 0x" + Long.toHexString(previous) : "") + ", version "
        + stat.version() + ", session 0x" + Long.toHexString(sessionId));
  }

  /**
   * After the session of generation {@code gen} expired (layout §2.6): resign, build a new
   * session, register again (a new czxid, so a new broker epoch), re-run the election.
   */
  private void reinitialize(int gen) {
    if (!state.isAlive() || gen < session.generation() && registeredSessionId == sessionId()) {
      return; // a newer session already replaced it and registered
    }
    state = BrokerState.REINITIALIZING;
    event(SimEvent.Kind.SESSION_EXPIRED, "session generation " + gen + " expired; re-registering");
    controller.onSessionExpired();
    led.clear();
    publishLed();
    try {
      session.ensure();
      register();
      state = BrokerState.RUNNING;
      controller.startup();
    } catch (DuplicateBrokerIdException e) {
      fail(e);
    } catch (WardenException e) {
      error("re-registration failed; retrying", e);
      executor.schedule(() -> reinitialize(session.generation()), config.sessionTimeout()
          .toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- control requests from the controller ---------------------------------------------------

  /** Delivery of a controller request (any thread); handled on the broker's executor. */
  public void deliver(ControlRequest request) {
    executor.submit(() -> handle(request));
  }

  private void handle(ControlRequest r) {
    if (!state.isAlive()) {
      return;
    }
    if (r.controllerEpoch() < maxControllerEpochSeen) {
      reject("STALE_CONTROLLER_EPOCH: " + r.controllerEpoch() + " < " + maxControllerEpochSeen, r);
      return;
    }
    if (r.brokerEpoch() < brokerEpoch) {
      reject("STALE_BROKER_EPOCH: 0x" + Long.toHexString(r.brokerEpoch()) + " < 0x"
          + Long.toHexString(brokerEpoch), r);
      return;
    }
    maxControllerEpochSeen = r.controllerEpoch();
    if (r instanceof LeaderAndIsr l) {
      onLeaderAndIsr(l);
    } else if (r instanceof UpdateMetadata u) {
      liveBrokers = u.liveBrokers();
      maintainIsr();
    } else if (r instanceof StopReplica s) {
      s.partitions().forEach(led::remove);
    }
    publishLed();
  }

  private void reject(String reason, ControlRequest r) {
    rejections.add(new Rejection(reason, r));
    event(SimEvent.Kind.REQUEST_REJECTED, r.getClass().getSimpleName() + " from controller "
        + r.controllerId() + ": " + reason);
  }

  private void onLeaderAndIsr(LeaderAndIsr l) {
    for (Map.Entry<TopicPartition, PartitionView> e : l.partitions().entrySet()) {
      PartitionView v = e.getValue();
      LedPartition mine = led.get(e.getKey());
      if (mine != null && v.state().leaderEpoch() < mine.state().leaderEpoch()) {
        continue; // an older decision than the one we act on
      }
      if (v.state().leader() == id) {
        led.put(e.getKey(), new LedPartition(v.state(), v.zkVersion(), v.replicas()));
      } else {
        led.remove(e.getKey());
      }
    }
    maintainIsr();
  }

  // ---- leader-side ISR maintenance (§4.4a) ----------------------------------------------------

  /** Fault injection: followers in {@code laggingBrokers} stop fetching (leaders shrink them). */
  public void setLagging(Set<Integer> laggingBrokers) {
    Set<Integer> copy = Set.copyOf(laggingBrokers);
    executor.submit(() -> {
      lagging = copy;
      maintainIsr();
    });
  }

  private void isrTick() {
    if (!state.isAlive()) {
      return;
    }
    maintainIsr();
    maybeNotifyIsrChanges();
    isrTask = executor.schedule(this::isrTick, config.isrCheckIntervalMs());
  }

  /**
   * Shrinks lagging followers out of, and expands caught-up live followers into, the ISR of each
   * partition this broker leads. Dead followers are the controller's to remove (§3.5).
   */
  private void maintainIsr() {
    for (TopicPartition tp : new ArrayList<>(led.keySet())) {
      LedPartition p = led.get(tp);
      List<Integer> isr = new ArrayList<>(p.state().isr());
      isr.removeIf(r -> r != id && lagging.contains(r));
      for (int r : p.replicas()) {
        if (!isr.contains(r) && liveBrokers.contains(r) && !lagging.contains(r)) {
          isr.add(r);
        }
      }
      Integer stale = staleAtVersion.get(tp);
      if (!isr.equals(p.state().isr()) && (stale == null || stale != p.zkVersion())) {
        writeIsr(tp, p, isr);
      }
    }
    publishLed();
  }

  private void writeIsr(TopicPartition tp, LedPartition p, List<Integer> newIsr) {
    PartitionState next = p.state().withIsr(newIsr);
    String path = Layout.partitionStatePath(tp);
    try {
      Stat s = session.call(c -> c.blocking().setData(path, Layout.encodePartitionState(next),
          p.zkVersion()));
      isrWritten(tp, p, next, s.version());
    } catch (WardenException e) {
      if (e.code() == ErrorCode.BAD_VERSION) {
        try {
          onStaleIsrWrite(tp, p, next);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      } else if (e.code() == ErrorCode.NO_NODE) {
        led.remove(tp); // topic deleted
      } else if (state.isAlive()) {
        error("ISR update of " + tp + " failed", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** BADVERSION: success only if the znode already holds what we wrote (a retried write). */
  private void onStaleIsrWrite(TopicPartition tp, LedPartition p, PartitionState next)
      throws InterruptedException {
    String path = Layout.partitionStatePath(tp);
    try {
      NodeData d = session.call(c -> c.blocking().getData(path));
      if (Layout.decodePartitionState(d.data(), path).equals(next)) {
        isrWritten(tp, p, next, d.stat().version());
        return;
      }
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        error("re-reading " + tp + " after BADVERSION failed", e);
      }
    }
    failedIsrUpdates++;
    event(SimEvent.Kind.ISR_UPDATE_FAILED, tp + ": cached zkVersion " + p.zkVersion()
        + " not equal to that in zookeeper, skip updating ISR to " + next.isr());
    // Keep the old ISR and wait for a LeaderAndIsr with a fresh zkVersion; retrying with the
    // same stale version every tick would only fail again.
    staleAtVersion.put(tp, p.zkVersion());
  }

  private void isrWritten(TopicPartition tp, LedPartition p, PartitionState next, int version) {
    led.put(tp, new LedPartition(next, version, p.replicas()));
    pendingIsrChanges.add(tp);
    lastIsrChangeMs = clockMs.getAsLong();
    listener.partitionStateWritten(id, tp, next, version);
    event(SimEvent.Kind.ISR_CHANGED, tp + ": leader changed isr " + p.state().isr() + " -> "
        + next.isr() + " (zkVersion " + version + ")");
  }

  /** One notification per quiet period, or when the last one is too old (Kafka's 5 s / 60 s). */
  private void maybeNotifyIsrChanges() {
    if (pendingIsrChanges.isEmpty()) {
      return;
    }
    long now = clockMs.getAsLong();
    if (now - lastIsrChangeMs < config.isrQuietMs()
        && now - lastIsrNotificationMs < config.isrMaxDelayMs()) {
      return;
    }
    List<TopicPartition> batch = List.copyOf(pendingIsrChanges);
    try {
      String created = session.call(c -> c.blocking().create(Layout.isrChangeSequentialPath(),
          Layout.encodeIsrChange(batch), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
      pendingIsrChanges.clear();
      lastIsrNotificationMs = now;
      event(SimEvent.Kind.ISR_NOTIFICATION, created + " for " + batch);
    } catch (WardenException e) {
      error("writing an ISR change notification failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long failedIsrUpdates() {
    return failedIsrUpdates;
  }

  private void publishLed() {
    ledView = Map.copyOf(led);
  }

  // ---- fault injection (called by the fleet, which also breaks the broker's link) -------------

  /** A crash: the session is dropped without closeSession; the ensemble expires it later. */
  public void crash() {
    state = BrokerState.KILLED;
    event(SimEvent.Kind.FAULT, "killed (session abandoned, not closed)");
    cancelIsrTask();
    session.abandon();
    executor.shutdownNow();
    started.completeExceptionally(new IllegalStateException("broker " + id + " was killed"));
  }

  /** A clean shutdown: the session is closed, so the registration disappears at once. */
  public void stop() {
    state = BrokerState.STOPPED;
    cancelIsrTask();
    session.close();
    executor.shutdownNow();
    event(SimEvent.Kind.FAULT, "stopped cleanly (session closed)");
  }

  private void cancelIsrTask() {
    ScheduledFuture<?> t = isrTask;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** A stop-the-world pause of the broker's thread (GC): events queue up, none run. */
  public void pauseEvents() {
    executor.pause();
  }

  public void resumeEvents() {
    executor.resume();
  }

  public boolean eventsPaused() {
    return executor.isPaused();
  }

  /** Wakes a paused controller that was in the middle of a partition-state write (§8.3). */
  public void resumeWithZombieWrite() {
    executor.submitFirst(controller::zombieWrite);
    executor.resume();
  }

  // ---- for the controller module ------------------------------------------------------------

  BrokerExecutor executor() {
    return executor;
  }

  SimListener listener() {
    return listener;
  }

  ControlPlane plane() {
    return plane;
  }

  long nowMs() {
    return clockMs.getAsLong();
  }

  void event(SimEvent.Kind kind, String detail) {
    SimEvent e = new SimEvent(clockMs.getAsLong(), id, kind, detail);
    LOG.debug("{}", e);
    listener.event(e);
  }

  void error(String what, Throwable t) {
    LOG.warn("broker {}: {}", id, what, t);
    event(SimEvent.Kind.ERROR, what + ": " + t);
  }

  @Override
  public String toString() {
    return "Broker[" + id + ", " + state + ", epoch 0x" + Long.toHexString(brokerEpoch) + "]";
  }
}
