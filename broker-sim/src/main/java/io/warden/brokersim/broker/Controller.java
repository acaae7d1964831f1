package io.warden.brokersim.broker;

import io.warden.brokersim.broker.ControlPlane.LeaderAndIsr;
import io.warden.brokersim.broker.ControlPlane.PartitionView;
import io.warden.brokersim.broker.ControlPlane.StopReplica;
import io.warden.brokersim.broker.ControlPlane.UpdateMetadata;
import io.warden.brokersim.broker.BrokerSession.AsyncCall;
import io.warden.brokersim.broker.BrokerSession.Outcome;
import io.warden.brokersim.controller.LeaderElection;
import io.warden.brokersim.layout.ControllerInfo;
import io.warden.brokersim.layout.EntityConfig;
import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicAssignment;
import io.warden.brokersim.layout.TopicPartition;
import io.warden.client.NodeData;
import io.warden.client.Op;
import io.warden.client.OpResult;
import io.warden.client.WardenException;
import io.warden.client.Watcher;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.Stat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The controller module every broker runs (layout §2–§4). At most one broker's module is active:
 * the one whose multi created the ephemeral {@code /controller} and bumped {@code
 * /controller_epoch}. Every write it makes afterwards is a multi headed by a check on the
 * epoch znode's version, so once another broker wins an election the old controller's writes
 * fail (BADVERSION) and it resigns. All methods run on the broker's executor; watchers only
 * enqueue events (Kafka's ControllerEventManager rule). Work on many znodes — loading every
 * partition at failover, creating a topic's partitions, re-electing a dead broker's partitions —
 * goes out as pipelined batches ({@link BrokerSession#pipeline}), as Kafka's controller does, so
 * a fleet of 100,000 partitions fails over in seconds, not minutes.
 */
public final class Controller {
  private record Versioned(PartitionState state, int zkVersion) {
  }

  private final Broker broker;
  private final BrokerSession session;
  private boolean active;
  private int knownControllerId = -1;
  private int epoch = -1;
  private int epochZkVersion = -1;
  private long leaderElections;
  private final Map<Integer, Long> liveBrokerEpochs = new TreeMap<>();
  private final Map<String, TopicAssignment> topics = new TreeMap<>();
  private final Map<String, EntityConfig> topicConfigs = new HashMap<>();
  private final Map<TopicPartition, Versioned> states = new TreeMap<>();
  private final Set<String> topicsToDelete = new TreeSet<>();
  private volatile ControllerView view = ControllerView.inactive(-1);

  // Watchers are fields: the client treats an equal watcher on the same path as one
  // registration, so re-arming after every event never piles up duplicates.
  private final Watcher controllerWatcher = e -> {
    if (e.type() == EventType.NODE_DELETED) {
      enqueue("Reelect", this::reelect);
    } else if (e.type() == EventType.NODE_CREATED || e.type() == EventType.NODE_DATA_CHANGED) {
      enqueue("ControllerChange", this::maybeResign);
    }
  };
  private final Watcher brokerChangeWatcher = childWatcher("BrokerChange", this::onBrokerChange);
  private final Watcher topicChangeWatcher = childWatcher("TopicChange", this::onTopicChange);
  private final Watcher deleteTopicsWatcher = childWatcher("TopicDeletion", this::onTopicDeletion);
  private final Watcher isrChangeWatcher = childWatcher("IsrChangeNotification",
      this::onIsrChangeNotification);
  private final Map<String, Watcher> topicDataWatchers = new HashMap<>();

  @FunctionalInterface
  interface Handler {
    void run() throws ControllerMovedException, WardenException, InterruptedException;
  }

  Controller(Broker broker, BrokerSession session) {
    this.broker = broker;
    this.session = session;
  }

  public ControllerView view() {
    return view;
  }

  // ---- events ---------------------------------------------------------------------------------

  private Watcher childWatcher(String name, Handler h) {
    return e -> {
      if (e.type() == EventType.NODE_CHILDREN_CHANGED) {
        enqueue(name, () -> {
          if (active) {
            h.run();
          }
        });
      }
    };
  }

  private void enqueue(String name, Handler h) {
    broker.executor().submit(() -> runEvent(name, h));
  }

  /**
   * Runs one controller event. A ControllerMovedException means another broker won: resign. A
   * lost session is the broker's to handle (it re-registers and re-elects). Anything else is an
   * unexpected failure: Kafka's triggerControllerMove — resign and delete /controller.
   */
  void runEvent(String name, Handler h) {
    try {
      h.run();
    } catch (ControllerMovedException e) {
      broker.event(e.fenced() ? SimEvent.Kind.CONTROLLER_FENCED
          : SimEvent.Kind.CONTROLLER_ELECTION_LOST, name + ": " + e.getMessage());
      maybeResignQuietly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (WardenException e) {
      if (broker.state().isAlive()) {
        broker.error("controller event " + name + " failed", e);
        if (active) {
          triggerControllerMove();
        }
      }
    } finally {
      publish();
    }
  }

  /** Startup (and after every new session): watch /controller, then try to become controller. */
  void startup() {
    runEvent("Startup", this::elect);
  }

  /** Called by the broker when its session expired: an expired controller is no controller. */
  void onSessionExpired() {
    if (active) {
      resign("session expired");
    }
    publish();
  }

  private void reelect() throws ControllerMovedException, WardenException, InterruptedException {
    maybeResign();
    elect();
  }

  /** Layout §2.2 steps 3–6. */
  private void elect() throws ControllerMovedException, WardenException, InterruptedException {
    Optional<Integer> current = readControllerId(true);
    if (current.isPresent()) {
      knownControllerId = current.get();
      return;
    }
    NodeData epochNode = readOrCreateEpoch();
    int oldEpoch = Layout.decodeControllerEpoch(epochNode.data());
    int newEpoch = oldEpoch + 1;
    byte[] me = Layout.encodeController(ControllerInfo.zkController(broker.id(), broker.nowMs()));
    List<OpResult> results;
    try {
      results = session.call(c -> c.blocking().multi(List.of(
          Op.create(Layout.CONTROLLER, me, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL),
          Op.setData(Layout.CONTROLLER_EPOCH, Layout.encodeControllerEpoch(newEpoch),
              epochNode.stat().version()))));
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NODE_EXISTS || e.code() == ErrorCode.BAD_VERSION) {
        verifyElection(newEpoch);
        return;
      }
      throw e;
    }
    Stat epochStat = ((OpResult.SetDataResult) results.get(1)).stat();
    becomeController(newEpoch, epochStat.version(), epochStat.mzxid());
  }

  /**
   * A failed election multi may be our own retried success (the first attempt committed before
   * the connection dropped): then /controller names us and the epoch is the one we wrote.
   */
  private void verifyElection(int newEpoch)
      throws ControllerMovedException, WardenException, InterruptedException {
    Optional<Integer> current = readControllerId(true);
    if (current.isPresent() && current.get() == broker.id()) {
      NodeData e = session.call(c -> c.blocking().getData(Layout.CONTROLLER_EPOCH));
      if (Layout.decodeControllerEpoch(e.data()) == newEpoch) {
        becomeController(newEpoch, e.stat().version(), e.stat().mzxid());
        return;
      }
    }
    knownControllerId = current.orElse(-1);
    throw new ControllerMovedException("lost the election for epoch " + newEpoch
        + (current.isPresent() ? " to broker " + current.get() : ""), false);
  }

  private NodeData readOrCreateEpoch() throws WardenException, InterruptedException {
    try {
      return session.call(c -> c.blocking().getData(Layout.CONTROLLER_EPOCH));
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        throw e;
      }
    }
    try {
      session.call(c -> c.blocking().create(Layout.CONTROLLER_EPOCH,
          Layout.encodeControllerEpoch(0), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NODE_EXISTS) {
        throw e;
      }
    }
    return session.call(c -> c.blocking().getData(Layout.CONTROLLER_EPOCH));
  }

  /** exists + watch on /controller (armed whether or not it exists), then its broker id. */
  private Optional<Integer> readControllerId(boolean watch)
      throws WardenException, InterruptedException {
    Stat s = session.call(c -> watch ? c.blocking().exists(Layout.CONTROLLER, controllerWatcher)
        : c.blocking().exists(Layout.CONTROLLER));
    if (s == null) {
      return Optional.empty();
    }
    try {
      NodeData d = session.call(c -> c.blocking().getData(Layout.CONTROLLER));
      return Optional.of(Layout.decodeController(d.data()).brokerId());
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        return Optional.empty(); // deleted between the two reads; the watch fires
      }
      throw e;
    }
  }

  private void becomeController(int newEpoch, int newEpochZkVersion, long zxid)
      throws ControllerMovedException, WardenException, InterruptedException {
    active = true;
    knownControllerId = broker.id();
    epoch = newEpoch;
    epochZkVersion = newEpochZkVersion;
    broker.listener().controllerElected(broker.id(), epoch, zxid);
    broker.event(SimEvent.Kind.CONTROLLER_ELECTED, "epoch " + epoch + " (epoch zkVersion "
        + epochZkVersion + ", zxid 0x" + Long.toHexString(zxid) + ")");
    onControllerFailover();
  }

  private void maybeResign() throws WardenException, InterruptedException {
    boolean wasActive = active;
    Optional<Integer> current = readControllerId(true);
    knownControllerId = current.orElse(-1);
    if (wasActive && knownControllerId != broker.id()) {
      resign("controller is now " + (current.isPresent() ? "broker " + current.get() : "nobody"));
    }
  }

  private void maybeResignQuietly() {
    try {
      maybeResign();
    } catch (WardenException e) {
      if (active) {
        resign("cannot read /controller: " + e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void resign(String why) {
    active = false;
    liveBrokerEpochs.clear();
    topics.clear();
    topicConfigs.clear();
    states.clear();
    topicsToDelete.clear();
    topicDataWatchers.clear();
    broker.event(SimEvent.Kind.CONTROLLER_RESIGNED, "epoch " + epoch + ": " + why);
    publish();
  }

  /** Kafka's triggerControllerMove: resign and give the election to the others. */
  private void triggerControllerMove() {
    int myEpochZkVersion = epochZkVersion;
    resign("unexpected error");
    try {
      session.call(c -> c.blocking().multi(List.of(Op.check(Layout.CONTROLLER_EPOCH,
          myEpochZkVersion), Op.delete(Layout.CONTROLLER, Op.ANY_VERSION))));
    } catch (WardenException e) {
      broker.event(SimEvent.Kind.CONTROLLER_FENCED, "delete /controller after error: "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- fencing --------------------------------------------------------------------------------

  /**
   * Layout §2.5: a multi of {@code check /controller_epoch <epochZkVersion>} and the real op. A
   * failed check means a newer controller exists. Otherwise the real op's error is thrown as is.
   */
  private OpResult fenced(Op.Write op)
      throws ControllerMovedException, WardenException, InterruptedException {
    try {
      List<OpResult> r = session.call(c -> c.blocking().multi(List.of(
          Op.check(Layout.CONTROLLER_EPOCH, epochZkVersion), op)));
      broker.listener().controllerWrite(broker.id(), epoch, op.path(), zxidOf(r.get(1)));
      return r.get(1);
    } catch (WardenException e) {
      throw fencedOut(e, op);
    }
  }

  /** {@link #fenced} for many ops, pipelined: each op's result or error, in order. */
  private List<Outcome<OpResult>> fencedAll(List<? extends Op.Write> ops)
      throws ControllerMovedException, WardenException, InterruptedException {
    int version = epochZkVersion;
    List<Outcome<List<OpResult>>> answers = session.pipeline(ops.stream()
        .<AsyncCall<List<OpResult>>>map(op -> c -> c.multi(List.of(Op.check(Layout.CONTROLLER_EPOCH,
            version), op))).toList());
    List<Outcome<OpResult>> out = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Outcome<List<OpResult>> a = answers.get(i);
      if (a.error() != null) {
        WardenException e = fencedOut(a.error(), ops.get(i));
        out.add(new Outcome<>(null, e));
      } else {
        OpResult r = a.value().get(1);
        broker.listener().controllerWrite(broker.id(), epoch, ops.get(i).path(), zxidOf(r));
        out.add(new Outcome<>(r, null));
      }
    }
    return out;
  }

  /** Throws ControllerMovedException if the epoch check failed; else returns {@code e} to throw. */
  private WardenException fencedOut(WardenException e, Op.Write op) throws ControllerMovedException {
    if (!e.results().isEmpty() && e.results().get(0) instanceof OpResult.ErrorResult first
        && first.code() == ErrorCode.BAD_VERSION) {
      broker.listener().controllerWriteFenced(broker.id(), epoch, op.path());
      throw new ControllerMovedException("write to " + op.path() + " fenced: epoch " + epoch
          + " (zkVersion " + epochZkVersion + ") is stale", true);
    }
    return e;
  }

  /** The value, null for NO_NODE, or the error thrown. */
  private static <T> T presentOrNull(Outcome<T> o) throws WardenException {
    if (o.error() == null) {
      return o.value();
    }
    if (o.code() == ErrorCode.NO_NODE) {
      return null;
    }
    throw o.error();
  }

  /** Fails on the first error that {@code fine} does not accept. */
  private static void requireAll(List<Outcome<OpResult>> results, ErrorCode fine) throws WardenException {
    for (Outcome<OpResult> o : results) {
      if (o.error() != null && o.code() != fine) {
        throw o.error();
      }
    }
  }

  private static long zxidOf(OpResult r) {
    if (r instanceof OpResult.SetDataResult s) {
      return s.stat().mzxid();
    }
    if (r instanceof OpResult.CreateResult c && c.stat() != null) {
      return c.stat().czxid();
    }
    return -1;
  }

  private void fencedDeleteIfPresent(String path)
      throws ControllerMovedException, WardenException, InterruptedException {
    try {
      fenced(Op.delete(path, Op.ANY_VERSION));
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        throw e;
      }
    }
  }

  // ---- failover (layout §2.4) -----------------------------------------------------------------

  private void onControllerFailover()
      throws ControllerMovedException, WardenException, InterruptedException {
    long t0 = System.nanoTime();
    deleteIsrChangeNotifications(readIsrNotifications());
    refreshBrokers();
    long t1 = System.nanoTime();
    List<String> names = session.call(c -> c.blocking().getChildren(Layout.BROKER_TOPICS,
        topicChangeWatcher));
    loadTopics(names, true);
    readDeleteMarkers();
    long t2 = System.nanoTime();
    sendUpdateMetadata(liveBrokerEpochs.keySet());
    sendLeaderAndIsr(allPartitions(), liveBrokerEpochs.keySet());
    long t3 = System.nanoTime();
    long electionsBefore = leaderElections;
    electOfflineAndNewPartitions();
    processTopicDeletions();
    long t4 = System.nanoTime();
    // Kafka logs the same breakdown; at scale it says where a slow failover spends its time
    broker.event(SimEvent.Kind.CONTROLLER_FAILOVER_DONE, String.format(
        "epoch %d: %d live brokers read in %d ms, %d topics / %d partitions in %d ms, requests "
            + "to brokers built in %d ms, %d leaders elected in %d ms", epoch, liveBrokerEpochs.size(),
        (t1 - t0) / 1_000_000, topics.size(), states.size(), (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000, leaderElections - electionsBefore, (t4 - t3) / 1_000_000));
  }

  private void refreshBrokers() throws WardenException, InterruptedException {
    liveBrokerEpochs.clear();
    liveBrokerEpochs.putAll(readBrokers());
  }

  private Map<Integer, Long> readBrokers() throws WardenException, InterruptedException {
    List<String> ids = session.call(c -> c.blocking().getChildren(Layout.BROKER_IDS,
        brokerChangeWatcher));
    List<Integer> brokerIds = ids.stream().map(Layout::brokerIdOf).flatMap(Optional::stream).toList();
    List<Outcome<Stat>> stats = session.pipeline(brokerIds.stream()
        .<AsyncCall<Stat>>map(id -> c -> c.exists(Layout.brokerPath(id))).toList());
    Map<Integer, Long> out = new TreeMap<>();
    for (int i = 0; i < brokerIds.size(); i++) {
      Stat s = presentOrNull(stats.get(i));
      if (s != null) {
        out.put(brokerIds.get(i), s.czxid()); // broker epoch = czxid of its registration (§3.3)
      }
    }
    return out;
  }

  /**
   * Reads the assignment (watched) and config of each topic, and with {@code withStates} the
   * state of each partition — all pipelined. A topic created since this controller's failover
   * has no states yet, so its creation skips that read; a state a predecessor wrote anyway is
   * found when its create meets NODE_EXISTS.
   */
  private void loadTopics(List<String> names, boolean withStates) throws WardenException, InterruptedException {
    List<Outcome<NodeData>> assignments = readAll(names, t -> c -> c.getData(Layout.topicPath(t),
        topicDataWatcher(t)));
    List<Outcome<NodeData>> configs = readAll(names, t -> c -> c.getData(Layout.topicConfigPath(t)));
    List<TopicPartition> partitions = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String topic = names.get(i);
      NodeData d = presentOrNull(assignments.get(i));
      if (d == null) {
        continue; // deleted meanwhile
      }
      topics.put(topic, Layout.decodeTopic(d.data(), Layout.topicPath(topic)));
      NodeData config = presentOrNull(configs.get(i));
      topicConfigs.put(topic, config == null ? EntityConfig.of(Map.of())
          : Layout.decodeEntityConfig(config.data(), Layout.topicConfigPath(topic)));
      partitions.addAll(partitionsOf(topic));
    }
    if (withStates) {
      readStates(partitions).forEach((tp, v) -> {
        if (v.isPresent()) {
          states.put(tp, v.get());
        } else {
          states.remove(tp);
        }
      });
    }
  }

  private Watcher topicDataWatcher(String topic) {
    return topicDataWatchers.computeIfAbsent(topic, t -> e -> {
      if (e.type() == EventType.NODE_DATA_CHANGED) {
        enqueue("PartitionModifications", () -> {
          if (active) {
            onPartitionModifications(t);
          }
        });
      }
    });
  }

  private <K, T> List<Outcome<T>> readAll(List<K> keys, Function<K, AsyncCall<T>> call)
      throws WardenException, InterruptedException {
    return session.pipeline(keys.stream().map(call).toList());
  }

  /** The current state of each partition (empty when its znode is absent), pipelined. */
  private Map<TopicPartition, Optional<Versioned>> readStates(List<TopicPartition> tps)
      throws WardenException, InterruptedException {
    List<Outcome<NodeData>> answers = readAll(tps, tp -> c -> c.getData(Layout.partitionStatePath(tp)));
    Map<TopicPartition, Optional<Versioned>> out = new LinkedHashMap<>();
    for (int i = 0; i < tps.size(); i++) {
      TopicPartition tp = tps.get(i);
      NodeData d = presentOrNull(answers.get(i));
      out.put(tp, d == null ? Optional.empty() : Optional.of(new Versioned(
          Layout.decodePartitionState(d.data(), Layout.partitionStatePath(tp)), d.stat().version())));
    }
    return out;
  }

  private List<TopicPartition> allPartitions() {
    List<TopicPartition> all = new ArrayList<>();
    topics.keySet().forEach(t -> all.addAll(partitionsOf(t)));
    return all;
  }

  private List<TopicPartition> partitionsOf(String topic) {
    TopicAssignment a = topics.get(topic);
    if (a == null) {
      return List.of();
    }
    return a.partitions().keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
  }

  private List<Integer> replicasOf(TopicPartition tp) {
    return topics.get(tp.topic()).replicas(tp.partition());
  }

  // ---- partition state machine ----------------------------------------------------------------

  private void electOfflineAndNewPartitions()
      throws ControllerMovedException, WardenException, InterruptedException {
    List<TopicPartition> fresh = new ArrayList<>();
    List<TopicPartition> offline = new ArrayList<>();
    for (String t : topics.keySet()) {
      if (topicsToDelete.contains(t)) {
        continue;
      }
      for (TopicPartition tp : partitionsOf(t)) {
        Versioned v = states.get(tp);
        if (v == null) {
          fresh.add(tp);
        } else if (!isLive(v.state().leader())) {
          offline.add(tp);
        }
      }
    }
    onNewPartitions(fresh);
    reconcile(offline, liveBrokerEpochs.keySet());
  }

  /**
   * New → Online: leader = first live replica, ISR = live replicas, leader epoch 0 (§4.1). The
   * parents go first, a layer at a time (a create needs its parent), then the states; a state
   * that already exists was written by a previous controller and is read instead.
   */
  private void onNewPartitions(List<TopicPartition> tps)
      throws ControllerMovedException, WardenException, InterruptedException {
    Map<TopicPartition, PartitionState> planned = new LinkedHashMap<>();
    for (TopicPartition tp : tps) {
      Optional<LeaderElection.Choice> choice = LeaderElection.newPartition(replicasOf(tp),
          liveBrokerEpochs.keySet());
      if (choice.isEmpty()) {
        broker.event(SimEvent.Kind.PARTITION_OFFLINE, tp + " is new but no replica is live");
      } else {
        planned.put(tp, new PartitionState(choice.get().leader(), 0, epoch, choice.get().isr()));
      }
    }
    if (planned.isEmpty()) {
      return;
    }
    List<TopicPartition> order = List.copyOf(planned.keySet());
    requireAll(fencedAll(order.stream().map(tp -> Layout.partitionsPath(tp.topic())).distinct()
        .map(Controller::createEmpty).toList()), ErrorCode.NODE_EXISTS);
    requireAll(fencedAll(order.stream().map(tp -> createEmpty(Layout.partitionPath(tp))).toList()),
        ErrorCode.NODE_EXISTS);
    List<Outcome<OpResult>> created = fencedAll(order.stream().map(tp -> Op.create(
        Layout.partitionStatePath(tp), Layout.encodePartitionState(planned.get(tp)),
        Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)).toList());
    List<TopicPartition> existing = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      TopicPartition tp = order.get(i);
      Outcome<OpResult> o = created.get(i);
      if (o.code() == ErrorCode.NODE_EXISTS) {
        existing.add(tp);
        continue;
      }
      if (o.error() != null) {
        throw o.error();
      }
      int version = o.value() instanceof OpResult.CreateResult c && c.stat() != null ? c.stat().version() : 0;
      PartitionState s = planned.get(tp);
      recordState(tp, s, version);
      leaderElections++;
      broker.event(SimEvent.Kind.LEADER_ELECTED, tp + " new: leader " + s.leader() + " isr " + s.isr());
    }
    readStates(existing).forEach((tp, v) -> v.ifPresent(x -> states.put(tp, x)));
    sendLeaderAndIsr(order, liveBrokerEpochs.keySet());
  }

  private static Op.Write createEmpty(String path) {
    return Op.create(path, null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }

  /**
   * Brings partitions in line with the live set {@code live} (layout §3.5): a partition whose
   * leader is gone gets the first live ISR replica in assignment order (leader epoch + 1); with
   * none and unclean election off it stays offline with leader -1 and its last ISR member kept;
   * a live leader keeps leading but loses dead replicas from its ISR. Fresh reads, conditional
   * writes, both pipelined; a partition whose write meets BADVERSION (its leader changed the
   * ISR meanwhile) is read and decided again, up to 5 times.
   */
  private void reconcile(List<TopicPartition> tps, Set<Integer> live)
      throws ControllerMovedException, WardenException, InterruptedException {
    List<TopicPartition> todo = tps;
    for (int attempt = 0; attempt < 5 && !todo.isEmpty(); attempt++) {
      List<TopicPartition> toWrite = new ArrayList<>();
      List<Versioned> before = new ArrayList<>();
      List<PartitionState> after = new ArrayList<>();
      for (var e : readStates(todo).entrySet()) {
        if (e.getValue().isEmpty()) {
          continue;
        }
        TopicPartition tp = e.getKey();
        Versioned current = e.getValue().get();
        PartitionState s = current.state();
        if (s.controllerEpoch() > epoch) {
          throw new ControllerMovedException(tp + " was written by controller epoch "
              + s.controllerEpoch() + " > ours " + epoch, true);
        }
        Optional<PartitionState> next = decide(tp, s, live);
        if (next.isEmpty()) {
          states.put(tp, current);
        } else {
          toWrite.add(tp);
          before.add(current);
          after.add(next.get());
        }
      }
      List<Outcome<OpResult>> written = fencedAll(java.util.stream.IntStream.range(0, toWrite.size())
          .mapToObj(i -> Op.setData(Layout.partitionStatePath(toWrite.get(i)),
              Layout.encodePartitionState(after.get(i)), before.get(i).zkVersion())).toList());
      List<TopicPartition> conflicts = new ArrayList<>();
      List<TopicPartition> changed = new ArrayList<>();
      for (int i = 0; i < toWrite.size(); i++) {
        Outcome<OpResult> o = written.get(i);
        TopicPartition tp = toWrite.get(i);
        if (o.code() == ErrorCode.BAD_VERSION) {
          conflicts.add(tp);
        } else if (o.error() != null) {
          throw o.error();
        } else {
          recordState(tp, after.get(i), ((OpResult.SetDataResult) o.value()).stat().version());
          describeDecision(tp, before.get(i).state(), after.get(i));
          changed.add(tp);
        }
      }
      sendLeaderAndIsr(changed, liveBrokerEpochs.keySet());
      todo = conflicts;
    }
    for (TopicPartition tp : todo) {
      broker.event(SimEvent.Kind.ERROR, tp + ": gave up after 5 conflicting updates");
    }
  }

  private Optional<PartitionState> decide(TopicPartition tp, PartitionState s, Set<Integer> live) {
    List<Integer> liveIsr = s.isr().stream().filter(live::contains).toList();
    if (live.contains(s.leader())) {
      return liveIsr.size() == s.isr().size() ? Optional.empty()
          : Optional.of(s.elect(s.leader(), liveIsr, epoch));
    }
    boolean unclean = topicConfigs.getOrDefault(tp.topic(), EntityConfig.of(Map.of()))
        .uncleanLeaderElectionEnabled();
    Optional<LeaderElection.Choice> choice = LeaderElection.offline(replicasOf(tp), s.isr(), live,
        unclean);
    if (choice.isPresent()) {
      PartitionState n = s.elect(choice.get().leader(), choice.get().isr(), epoch);
      return Optional.of(choice.get().unclean() ? new PartitionState(n.leader(), n.leaderEpoch(),
          n.controllerEpoch(), n.isr(), PartitionState.LeaderRecoveryState.RECOVERING) : n);
    }
    // No eligible leader: the last ISR member is kept (§3.5 step 3), preferring the old leader.
    List<Integer> keep = liveIsr.isEmpty()
        ? List.of(s.isr().contains(s.leader()) ? s.leader() : s.isr().get(0)) : liveIsr;
    if (!s.hasLeader() && keep.equals(s.isr())) {
      return Optional.empty();
    }
    return Optional.of(s.elect(PartitionState.NO_LEADER, keep, epoch));
  }

  private void describeDecision(TopicPartition tp, PartitionState before, PartitionState after) {
    if (after.hasLeader() && after.leader() != before.leader()) {
      leaderElections++;
      broker.event(SimEvent.Kind.LEADER_ELECTED, tp + ": leader " + before.leader() + " -> "
          + after.leader() + ", leader_epoch " + after.leaderEpoch() + ", isr " + after.isr());
    } else if (!after.hasLeader()) {
      broker.event(SimEvent.Kind.PARTITION_OFFLINE, tp + ": no live ISR replica, isr "
          + after.isr() + ", leader_epoch " + after.leaderEpoch());
    } else {
      broker.event(SimEvent.Kind.ISR_CHANGED, tp + ": controller shrank isr " + before.isr()
          + " -> " + after.isr());
    }
  }

  /** Caches a state this controller wrote; the caller sends the LeaderAndIsr batch. */
  private void recordState(TopicPartition tp, PartitionState s, int zkVersion) {
    states.put(tp, new Versioned(s, zkVersion));
    broker.listener().partitionStateWritten(broker.id(), tp, s, zkVersion);
  }

  private boolean isLive(int brokerId) {
    return liveBrokerEpochs.containsKey(brokerId);
  }

  // ---- broker changes (§3.4–3.6) --------------------------------------------------------------

  private void onBrokerChange() throws ControllerMovedException, WardenException,
      InterruptedException {
    Map<Integer, Long> now = readBrokers();
    Set<Integer> dead = new TreeSet<>(liveBrokerEpochs.keySet());
    dead.removeAll(now.keySet());
    Set<Integer> added = new TreeSet<>(now.keySet());
    added.removeAll(liveBrokerEpochs.keySet());
    Set<Integer> bounced = new TreeSet<>();
    for (var e : now.entrySet()) {
      Long cached = liveBrokerEpochs.get(e.getKey());
      if (cached != null && e.getValue() > cached) {
        bounced.add(e.getKey()); // re-registered before we saw it go: failure, then startup
      }
    }
    if (dead.isEmpty() && added.isEmpty() && bounced.isEmpty()) {
      return;
    }
    broker.event(SimEvent.Kind.BROKER_CHANGE, "new " + added + ", dead " + dead + ", bounced "
        + bounced + ", live " + now.keySet());
    Set<Integer> failed = new TreeSet<>(dead);
    failed.addAll(bounced);
    if (!failed.isEmpty()) {
      liveBrokerEpochs.keySet().removeAll(failed);
      onBrokerFailure(failed);
    }
    liveBrokerEpochs.clear();
    liveBrokerEpochs.putAll(now);
    Set<Integer> started = new TreeSet<>(added);
    started.addAll(bounced);
    if (!started.isEmpty()) {
      onBrokerStartup(started);
    }
  }

  private void onBrokerFailure(Set<Integer> failed)
      throws ControllerMovedException, WardenException, InterruptedException {
    Set<Integer> live = Set.copyOf(liveBrokerEpochs.keySet());
    List<TopicPartition> touched = new ArrayList<>();
    for (var e : states.entrySet()) {
      PartitionState s = e.getValue().state();
      if ((failed.contains(s.leader()) || s.isr().stream().anyMatch(failed::contains))
          && !topicsToDelete.contains(e.getKey().topic())) {
        touched.add(e.getKey());
      }
    }
    reconcile(touched, live);
    sendUpdateMetadata(live);
  }

  private void onBrokerStartup(Set<Integer> started)
      throws ControllerMovedException, WardenException, InterruptedException {
    sendUpdateMetadata(liveBrokerEpochs.keySet());
    List<TopicPartition> hosted = new ArrayList<>();
    for (String t : topics.keySet()) {
      for (TopicPartition tp : partitionsOf(t)) {
        if (replicasOf(tp).stream().anyMatch(started::contains)) {
          hosted.add(tp);
        }
      }
    }
    sendLeaderAndIsr(hosted, started);
    electOfflineAndNewPartitions();
    processTopicDeletions(); // deletions may have waited for these brokers
  }

  // ---- topics (§4) ----------------------------------------------------------------------------

  private void onTopicChange() throws ControllerMovedException, WardenException,
      InterruptedException {
    List<String> names = session.call(c -> c.blocking().getChildren(Layout.BROKER_TOPICS,
        topicChangeWatcher));
    Set<String> gone = new TreeSet<>(topics.keySet());
    names.forEach(gone::remove);
    gone.forEach(this::forgetTopic);
    List<String> added = names.stream().filter(t -> !topics.containsKey(t)).toList();
    loadTopics(added, false);
    List<TopicPartition> fresh = new ArrayList<>();
    for (String t : added) {
      if (topics.containsKey(t)) {
        broker.event(SimEvent.Kind.TOPIC_CREATED, t + " " + topics.get(t).partitions().size()
            + " partitions");
        partitionsOf(t).stream().filter(tp -> !states.containsKey(tp)).forEach(fresh::add);
      }
    }
    onNewPartitions(fresh);
  }

  private void onPartitionModifications(String topic)
      throws ControllerMovedException, WardenException, InterruptedException {
    if (!topics.containsKey(topic)) {
      return;
    }
    loadTopics(List.of(topic), true);
    onNewPartitions(partitionsOf(topic).stream().filter(tp -> !states.containsKey(tp)).toList());
  }

  private void forgetTopic(String topic) {
    topics.remove(topic);
    topicConfigs.remove(topic);
    topicDataWatchers.remove(topic);
    states.keySet().removeIf(tp -> tp.topic().equals(topic));
  }

  private void readDeleteMarkers() throws WardenException, InterruptedException {
    topicsToDelete.clear();
    topicsToDelete.addAll(session.call(c -> c.blocking().getChildren(Layout.DELETE_TOPICS,
        deleteTopicsWatcher)));
  }

  private void onTopicDeletion() throws ControllerMovedException, WardenException,
      InterruptedException {
    readDeleteMarkers();
    processTopicDeletions();
  }

  /**
   * Layout §4.3. A topic is deleted once all its replicas are on live brokers (they get
   * StopReplica with delete; in the simulator delivery is the success). Then the znodes go,
   * children first, each delete fenced: partition states and parents, the topic, its config and
   * finally the marker.
   */
  private void processTopicDeletions()
      throws ControllerMovedException, WardenException, InterruptedException {
    for (String t : List.copyOf(topicsToDelete)) {
      if (!topics.containsKey(t)) {
        fencedDeleteIfPresent(Layout.deleteTopicMarkerPath(t)); // marker for no topic
        topicsToDelete.remove(t);
        continue;
      }
      Set<Integer> replicas = new TreeSet<>();
      partitionsOf(t).forEach(tp -> replicas.addAll(replicasOf(tp)));
      if (!liveBrokerEpochs.keySet().containsAll(replicas)) {
        broker.event(SimEvent.Kind.TOPIC_DELETED, t + " waits: replicas on dead brokers");
        continue; // ineligible until they return
      }
      for (int b : replicas) {
        broker.plane().send(b, new StopReplica(broker.id(), epoch, liveBrokerEpochs.get(b),
            Set.copyOf(partitionsOf(t)), true));
      }
      deleteTopicZnodes(t);
      topicsToDelete.remove(t);
      forgetTopic(t);
      broker.listener().topicDeleted(t);
      broker.event(SimEvent.Kind.TOPIC_DELETED, t);
    }
  }

  private void deleteTopicZnodes(String t)
      throws ControllerMovedException, WardenException, InterruptedException {
    List<TopicPartition> tps = partitionsOf(t);
    requireAll(fencedAll(tps.stream().map(tp -> Op.delete(Layout.partitionStatePath(tp), Op.ANY_VERSION))
        .toList()), ErrorCode.NO_NODE);
    requireAll(fencedAll(tps.stream().map(tp -> Op.delete(Layout.partitionPath(tp), Op.ANY_VERSION))
        .toList()), ErrorCode.NO_NODE);
    fencedDeleteIfPresent(Layout.partitionsPath(t));
    fencedDeleteIfPresent(Layout.topicPath(t));
    fencedDeleteIfPresent(Layout.topicConfigPath(t));
    fencedDeleteIfPresent(Layout.deleteTopicMarkerPath(t));
  }

  // ---- ISR change notifications (§4.4a) -------------------------------------------------------

  private List<String> readIsrNotifications() throws WardenException, InterruptedException {
    return session.call(c -> c.blocking().getChildren(Layout.ISR_CHANGE_NOTIFICATION,
        isrChangeWatcher));
  }

  private void deleteIsrChangeNotifications(List<String> children)
      throws ControllerMovedException, WardenException, InterruptedException {
    requireAll(fencedAll(children.stream().map(child -> Op.delete(Layout.ISR_CHANGE_NOTIFICATION + "/"
        + child, Op.ANY_VERSION)).toList()), ErrorCode.NO_NODE);
  }

  private void onIsrChangeNotification()
      throws ControllerMovedException, WardenException, InterruptedException {
    List<String> children = readIsrNotifications();
    List<String> paths = children.stream().map(child -> Layout.ISR_CHANGE_NOTIFICATION + "/" + child)
        .toList();
    List<Outcome<NodeData>> notes = readAll(paths, path -> c -> c.getData(path));
    Set<TopicPartition> changed = new TreeSet<>();
    for (int i = 0; i < paths.size(); i++) {
      NodeData d = presentOrNull(notes.get(i));
      if (d != null) {
        changed.addAll(Layout.decodeIsrChange(d.data(), paths.get(i)));
      }
    }
    readStates(changed.stream().filter(tp -> topics.containsKey(tp.topic())).toList())
        .forEach((tp, v) -> v.ifPresent(x -> states.put(tp, x)));
    sendUpdateMetadata(liveBrokerEpochs.keySet());
    deleteIsrChangeNotifications(children);
    broker.event(SimEvent.Kind.ISR_NOTIFICATION, "processed " + children + " for " + changed);
  }

  // ---- requests to brokers --------------------------------------------------------------------

  private void sendLeaderAndIsr(List<TopicPartition> tps, Set<Integer> targets) {
    Map<Integer, Map<TopicPartition, PartitionView>> perBroker = new HashMap<>();
    for (TopicPartition tp : tps) {
      Versioned v = states.get(tp);
      if (v == null || !topics.containsKey(tp.topic())) {
        continue;
      }
      List<Integer> replicas = replicasOf(tp);
      for (int r : replicas) {
        if (targets.contains(r) && isLive(r)) {
          perBroker.computeIfAbsent(r, x -> new HashMap<>())
              .put(tp, new PartitionView(v.state(), v.zkVersion(), replicas));
        }
      }
    }
    perBroker.forEach((b, parts) -> broker.plane().send(b,
        new LeaderAndIsr(broker.id(), epoch, liveBrokerEpochs.get(b), parts)));
  }

  private void sendUpdateMetadata(Set<Integer> targets) {
    Set<Integer> live = Set.copyOf(liveBrokerEpochs.keySet());
    for (int b : new HashSet<>(targets)) {
      Long be = liveBrokerEpochs.get(b);
      if (be != null) {
        broker.plane().send(b, new UpdateMetadata(broker.id(), epoch, be, live));
      }
    }
  }

  // ---- fault injection ------------------------------------------------------------------------

  /**
   * What a paused controller does when it wakes up (§8 scenario 3): it carries on with the write
   * it was making — re-writing a partition state it manages — with the epoch it still believes
   * in. If another controller was elected meanwhile the check fails and it resigns.
   */
  void zombieWrite() {
    runEvent("ZombieWrite", () -> {
      if (!active || states.isEmpty()) {
        broker.event(SimEvent.Kind.CONTROLLER_RESIGNED, "woke up but was not controller");
        return;
      }
      var e = states.entrySet().iterator().next();
      fenced(Op.setData(Layout.partitionStatePath(e.getKey()),
          Layout.encodePartitionState(e.getValue().state()), Op.ANY_VERSION));
    });
  }

  private void publish() {
    int offline = 0;
    for (var e : states.entrySet()) {
      if (!topicsToDelete.contains(e.getKey().topic()) && !isLive(e.getValue().state().leader())) {
        offline++;
      }
    }
    view = active ? new ControllerView(true, broker.id(), epoch, offline, states.size(),
        leaderElections) : ControllerView.inactive(knownControllerId);
  }
}
