package io.warden.brokersim.fleet;

import io.warden.brokersim.broker.Broker;
import io.warden.brokersim.broker.BrokerConfig;
import io.warden.brokersim.broker.ControlPlane;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.broker.SimListener;
import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * N simulated brokers in one JVM, each with its own session through its own {@link FaultyLink},
 * plus an admin session (topic commands, snapshots) and the fault-injection API. The fleet also
 * delivers the controller's requests to brokers ({@link ControlPlane}) and fans every broker's
 * reports out to its listeners.
 */
public final class Fleet implements AutoCloseable, ControlPlane {
  private static final int EVENT_HISTORY_MAX = 10_000;

  private final FleetConfig config;
  private final List<InetSocketAddress> upstreams;
  private final ScheduledExecutorService timer;
  private final LongSupplier clockMs = System::currentTimeMillis;
  private final Map<Integer, Broker> brokers = new ConcurrentHashMap<>();
  private final Map<Integer, FaultyLink> links = new ConcurrentHashMap<>();
  private final List<SimListener> listeners = new CopyOnWriteArrayList<>();
  private final java.util.Deque<SimEvent> history = new java.util.concurrent.ConcurrentLinkedDeque<>();
  // ConcurrentLinkedDeque.size() walks the deque; a scale run reports 100,000s of events
  private final java.util.concurrent.atomic.AtomicInteger historySize = new java.util.concurrent.atomic.AtomicInteger();
  private final SimListener fanOut;
  private final String adminConnect;
  private volatile WardenClient admin;
  private volatile boolean closed;
  private final TopicAdmin topics;
  private volatile Set<Integer> lagging = Set.of();

  private Fleet(FleetConfig config, WardenClient admin) {
    this.config = config;
    this.upstreams = parseHosts(config.ensemble());
    this.adminConnect = config.ensemble() + config.chroot();
    this.admin = admin;
    this.topics = new TopicAdmin(() -> adminClient().blocking(), new Random(config.seed()));
    this.timer = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "fleet-timer");
      t.setDaemon(true);
      return t;
    });
    this.fanOut = new FanOut();
  }

  /**
   * Connects the admin session (creating the chroot first with a short-lived session, as Kafka
   * does) — no broker is started yet. Fails with a clear message if the ensemble is unreachable.
   */
  public static Fleet create(FleetConfig config, SimListener... listeners)
      throws WardenException, InterruptedException {
    parseHosts(config.ensemble()); // fail on a malformed connect string before any connection
    if (!config.chroot().isEmpty()) {
      try (WardenClient root = connect(config.ensemble(), config.sessionTimeout())) {
        createPath(root, config.chroot());
      }
    }
    Fleet f = new Fleet(config, connect(config.ensemble() + config.chroot(), config.sessionTimeout()));
    f.listeners.addAll(List.of(listeners));
    return f;
  }

  private static WardenClient newAdmin(String connectString, Duration sessionTimeout) {
    return WardenClient.builder(connectString).sessionTimeout(sessionTimeout).build();
  }

  private static WardenClient connect(String connectString, Duration sessionTimeout)
      throws WardenException, InterruptedException {
    WardenClient c = newAdmin(connectString, sessionTimeout);
    Duration wait = sessionTimeout.multipliedBy(2);
    if (!c.awaitConnected(wait)) {
      c.close();
      throw new WardenException(ErrorCode.CONNECTION_LOSS, null, "cannot reach the ensemble at "
          + connectString + " within " + wait.toMillis() + " ms");
    }
    return c;
  }

  private static void createPath(WardenClient c, String path)
      throws WardenException, InterruptedException {
    StringBuilder p = new StringBuilder();
    for (String part : path.substring(1).split("/")) {
      p.append('/').append(part);
      try {
        c.blocking().create(p.toString(), null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NODE_EXISTS) {
          throw e;
        }
      }
    }
  }

  static List<InetSocketAddress> parseHosts(String ensemble) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String hp : ensemble.split(",")) {
      int colon = hp.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("bad host:port '" + hp + "' in '" + ensemble + "'");
      }
      try {
        int port = Integer.parseInt(hp.substring(colon + 1));
        if (port <= 0 || port > 65535) {
          throw new NumberFormatException();
        }
        out.add(InetSocketAddress.createUnresolved(hp.substring(0, colon), port));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in '" + hp + "'");
      }
    }
    return out.stream().map(a -> new InetSocketAddress(a.getHostString(), a.getPort())).toList();
  }

  public FleetConfig config() {
    return config;
  }

  public void addListener(SimListener l) {
    listeners.add(l);
  }

  public TopicAdmin topics() {
    return topics;
  }

  // ---- brokers --------------------------------------------------------------------------------

  /** Starts broker {@code id} (a new process: fresh link and session); completes on registration. */
  public CompletableFuture<Long> startBroker(int id) {
    Broker old = brokers.get(id);
    if (old != null && old.state().isAlive()) {
      throw new IllegalStateException("broker " + id + " is running");
    }
    Optional.ofNullable(links.remove(id)).ifPresent(FaultyLink::close);
    String connectString = config.ensemble();
    if (config.relayed()) {
      FaultyLink link = FaultyLink.open("link-" + id, upstreams);
      links.put(id, link);
      connectString = link.connectString();
    }
    Broker b = newBroker(id, connectString);
    brokers.put(id, b);
    return b.start();
  }

  /**
   * Starts a second broker with an id that is already in use, outside the fleet's bookkeeping
   * (§8 scenario 5): its startup must fail.
   */
  public Broker startImpostor(int id) {
    FaultyLink link = FaultyLink.open("impostor-link-" + id, upstreams);
    Broker b = newBroker(id, link.connectString());
    b.start().whenComplete((e, t) -> link.close());
    return b;
  }

  private Broker newBroker(int id, String connectString) {
    BrokerConfig bc = new BrokerConfig(connectString + config.chroot(),
        config.sessionTimeout(), config.isrCheckIntervalMs(), config.isrQuietMs(),
        config.isrMaxDelayMs(), BrokerConfig.KAFKA_MAX_IN_FLIGHT_REQUESTS);
    Broker b = new Broker(id, bc, this, fanOut, timer, clockMs);
    b.setLagging(lagging);
    return b;
  }

  /** Starts brokers 1..N and waits until all are registered. */
  public void startAll(Duration timeout) throws InterruptedException {
    List<CompletableFuture<Long>> all = new ArrayList<>();
    for (int id = 1; id <= config.brokers(); id++) {
      all.add(startBroker(id));
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the fleet did not start within " + timeout.toMillis()
          + " ms: " + e, e);
    }
  }

  public Optional<Broker> broker(int id) {
    return Optional.ofNullable(brokers.get(id));
  }

  public List<Broker> brokers() {
    return brokers.values().stream().sorted(java.util.Comparator.comparingInt(Broker::id)).toList();
  }

  @Override
  public void send(int targetBrokerId, ControlRequest request) {
    Broker b = brokers.get(targetBrokerId);
    if (b != null && b.state().isAlive()) {
      b.deliver(request);
    }
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Crashes broker {@code id}: its link is cut and its session abandoned, left to expire. */
  public void killBroker(int id) {
    Broker b = require(id);
    fault(id, "kill broker " + id);
    FaultyLink link = links.get(id);
    if (link != null) {
      link.mode(LinkMode.CUT);
    }
    b.crash();
  }

  /**
   * Hangs broker {@code id}'s network: its pings stop until the ensemble expires its session
   * (seen as its registration disappearing), then the link heals and the broker finds its
   * session expired and re-registers with a new epoch.
   */
  public void hangBroker(int id) throws WardenException, InterruptedException {
    require(id);
    FaultyLink link = requireLink(id, "hang");
    fault(id, "hang broker " + id + " until its session expires");
    link.mode(LinkMode.BLACKHOLE);
    healWhenRegistrationGone(id, link);
  }

  private void healWhenRegistrationGone(int id, FaultyLink link)
      throws WardenException, InterruptedException {
    var stat = adminClient().blocking().exists(Layout.brokerPath(id), e -> {
      if (e.type() == EventType.NODE_DELETED) {
        link.mode(LinkMode.OPEN);
        fault(id, "link of broker " + id + " healed after its session expired");
      } else if (e.type() != EventType.NONE) {
        timer.execute(() -> rearm(id, link));
      }
    });
    if (stat == null) {
      link.mode(LinkMode.OPEN);
    }
  }

  private void rearm(int id, FaultyLink link) {
    try {
      healWhenRegistrationGone(id, link);
    } catch (WardenException e) {
      link.mode(LinkMode.OPEN); // cannot watch any more: heal rather than hang forever
      fault(id, "could not watch broker " + id + " (" + e.getMessage() + "); link healed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The id of the active controller according to the ensemble. */
  public Optional<Integer> activeController() throws WardenException, InterruptedException {
    return snapshot().controllerId();
  }

  public int killController() throws WardenException, InterruptedException {
    int id = activeController().orElseThrow(() -> new IllegalStateException("no controller"));
    killBroker(id);
    return id;
  }

  /**
   * Freezes the active controller (a long GC pause): its thread stops and its link holds every
   * byte, so its session expires while it still believes it is controller. Returns its id.
   */
  public int pauseController() throws WardenException, InterruptedException {
    int id = activeController().orElseThrow(() -> new IllegalStateException("no controller"));
    pauseController(id);
    return id;
  }

  /** {@link #pauseController()} when the caller already knows the controller is broker {@code id}. */
  public void pauseController(int id) {
    Broker b = require(id);
    FaultyLink link = requireLink(id, "pause");
    fault(id, "pause controller " + id);
    b.pauseEvents();
    link.mode(LinkMode.BLACKHOLE);
  }

  /** Wakes a paused broker; it first finishes the controller write it was making. */
  public void resumeAsZombie(int id) {
    Broker b = require(id);
    FaultyLink link = requireLink(id, "resume");
    fault(id, "resume paused broker " + id);
    link.mode(LinkMode.OPEN);
    b.resumeWithZombieWrite();
  }

  /** Stops broker {@code id} cleanly (its session is closed). */
  public void stopBroker(int id) {
    Broker b = require(id);
    fault(id, "stop broker " + id);
    b.stop();
    Optional.ofNullable(links.remove(id)).ifPresent(FaultyLink::close);
  }

  /** Followers in {@code ids} stop fetching: their leaders shrink them out of the ISR. */
  public void setLagging(Set<Integer> ids) {
    lagging = Set.copyOf(ids);
    fault(-1, "lagging followers: " + ids);
    brokers.values().forEach(b -> b.setLagging(lagging));
  }

  private Broker require(int id) {
    Broker b = brokers.get(id);
    if (b == null) {
      throw new IllegalArgumentException("no broker " + id);
    }
    return b;
  }

  private FaultyLink requireLink(int id, String fault) {
    FaultyLink link = links.get(id);
    if (link == null) {
      throw new IllegalStateException("cannot " + fault + " broker " + id + ": it has no relay link"
          + " (this fleet connects brokers straight to the ensemble)");
    }
    return link;
  }

  private void fault(int brokerId, String what) {
    fanOut.event(new SimEvent(clockMs.getAsLong(), brokerId, SimEvent.Kind.FAULT, what));
  }

  // ---- observation ----------------------------------------------------------------------------

  public ClusterSnapshot snapshot() throws WardenException, InterruptedException {
    return ClusterSnapshot.read(adminClient().blocking());
  }

  /**
   * The fleet's admin session (topic commands, snapshots, watches of faults). If the ensemble
   * expired it — the fleet's machine was cut off longer than the session timeout — the next
   * caller gets a new one, as Kafka's admin tools reconnect; watches set through the old one are
   * gone with it.
   */
  public WardenClient adminClient() {
    WardenClient c = admin;
    if (c.state() != ConnectionState.LOST || closed) {
      return c;
    }
    synchronized (this) {
      if (admin.state() == ConnectionState.LOST && !closed) {
        admin.closeAsync();
        admin = newAdmin(adminConnect, config.sessionTimeout());
        fanOut.event(new SimEvent(clockMs.getAsLong(), -1, SimEvent.Kind.SESSION_EXPIRED,
            "the fleet's admin session expired; opened a new one"));
      }
      return admin;
    }
  }

  public List<SimEvent> events() {
    return List.copyOf(history);
  }

  @Override
  public void close() {
    for (Broker b : brokers.values()) {
      if (b.state().isAlive()) {
        b.stop();
      }
    }
    links.values().forEach(FaultyLink::close);
    closed = true;
    admin.close();
    timer.shutdownNow();
  }

  private final class FanOut implements SimListener {
    @Override
    public void event(SimEvent e) {
      history.addLast(e);
      if (historySize.incrementAndGet() > EVENT_HISTORY_MAX && history.pollFirst() != null) {
        historySize.decrementAndGet();
      }
      listeners.forEach(l -> l.event(e));
    }

    @Override
    public void controllerElected(int brokerId, int epoch, long zxid) {
      listeners.forEach(l -> l.controllerElected(brokerId, epoch, zxid));
    }

    @Override
    public void controllerWrite(int brokerId, int epoch, String path, long zxid) {
      listeners.forEach(l -> l.controllerWrite(brokerId, epoch, path, zxid));
    }

    @Override
    public void controllerWriteFenced(int brokerId, int epoch, String path) {
      listeners.forEach(l -> l.controllerWriteFenced(brokerId, epoch, path));
    }

    @Override
    public void partitionStateWritten(int writer, TopicPartition tp, PartitionState s, int v) {
      listeners.forEach(l -> l.partitionStateWritten(writer, tp, s, v));
    }

    @Override
    public void topicDeleted(String topic) {
      listeners.forEach(l -> l.topicDeleted(topic));
    }
  }
}
