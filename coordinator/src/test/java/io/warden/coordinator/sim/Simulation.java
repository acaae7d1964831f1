package io.warden.coordinator.sim;

import io.warden.coordinator.node.ClientTransport;
import io.warden.coordinator.node.Outbound;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One deterministic run: N real {@link io.warden.coordinator.node.NodeLoop}s, their storage
 * threads, the network between them and the clients, all driven from one thread by one event
 * queue in virtual time. Everything random comes from {@link SimConfig#seed()} through one
 * {@link Random} per concern (network, disks, nemesis, clients, each node's Raft and
 * passwords), and nothing iterates a hash-ordered collection into the schedule, so a seed
 * replays exactly (the trace hash proves it).
 *
 * <p>A run has two phases. In the fault phase the {@link Nemesis} crashes, partitions, pauses,
 * skews clocks, transfers leadership and changes membership while {@link SimClient}s work; the
 * {@link Checker} checks every safety invariant after every event. Then everything heals and
 * the liveness phase demands a serving leader and full convergence within ten (maximal)
 * election timeouts.
 *
 * <p>Like NodeRuntime's core thread, the simulation runs a node's event (one task on its core
 * queue: a tick, a peer message, a storage completion, a client frame) and then calls
 * {@code flush()}.
 */
final class Simulation {
  /** What one run produced. */
  record Result(long seed, Canary canary, long traceHash, String failure, boolean livenessFailure, Stats stats,
      List<String> traceTail) {
    boolean ok() {
      return failure == null;
    }
  }

  /** Counters for the summary line. */
  static final class Stats {
    long events;
    long clientOps;
    long crashes;
    long partitions;
    long snapshotInstalls;
    long leaderChanges;
    long pauses;
    long transfers;
    long membershipChanges;

    void add(Stats o) {
      events += o.events;
      clientOps += o.clientOps;
      crashes += o.crashes;
      partitions += o.partitions;
      snapshotInstalls += o.snapshotInstalls;
      leaderChanges += o.leaderChanges;
      pauses += o.pauses;
      transfers += o.transfers;
      membershipChanges += o.membershipChanges;
    }
  }

  /** A safety or liveness failure: stops the run. */
  static final class Violation extends RuntimeException {
    Violation(String message) {
      super(message);
    }
  }

  private static final long MAX_EVENTS = 3_000_000;

  private final SimConfig config;
  private final Canary canary;
  private final EventQueue queue = new EventQueue();
  private final Trace trace;
  private final Stats stats = new Stats();
  private final Random networkRandom;
  private final Random clientDelayRandom;
  private final SimNetwork network;
  private final List<SimNode> nodes = new ArrayList<>();
  private final List<SimClient> clients = new ArrayList<>();
  private final Checker checker;
  private final Nemesis nemesis;
  /** Client connections: id → (client, node, incarnation), and per-direction FIFO clocks. */
  private final Map<Long, Conn> conns = new LinkedHashMap<>();
  private long nextConnId = 1;
  private long now;
  private boolean livenessPhase;

  private static final class Conn {
    final SimClient client;
    final int node;
    final int incarnation;
    long lastToNode;
    long lastToClient;
    boolean closed;

    Conn(SimClient client, int node, int incarnation) {
      this.client = client;
      this.node = node;
      this.incarnation = incarnation;
    }
  }

  Simulation(SimConfig config, Canary canary, boolean echo) {
    this.config = config;
    this.canary = canary;
    this.trace = new Trace(200, echo);
    long seed = config.seed();
    this.networkRandom = new Random(seed * 0x9E3779B97F4A7C15L + 1);
    this.clientDelayRandom = new Random(seed * 0x9E3779B97F4A7C15L + 2);
    Random clockRandom = new Random(seed * 0x9E3779B97F4A7C15L + 3);
    this.network = new SimNetwork(this, config.nodeCount());
    for (int id = 1; id <= config.nodeCount(); id++) {
      SimClock clock = new SimClock(this::now, clockRandom.nextInt(1_000_000) * 1_000_000L,
          1_700_000_000_000L + clockRandom.nextInt(100_000));
      nodes.add(new SimNode(this, id, clock, new Random(seed * 0x9E3779B97F4A7C15L + 100 + id)));
    }
    this.checker = new Checker(this);
    this.nemesis = new Nemesis(this, new Random(seed * 0x9E3779B97F4A7C15L + 4));
    for (int i = 1; i <= config.clients(); i++) {
      clients.add(new SimClient(this, i, new Random(seed * 0x9E3779B97F4A7C15L + 1000 + i)));
    }
  }

  /** Runs to completion; never throws for a failure of the system under test. */
  Result run() {
    String failure = null;
    boolean liveness = false;
    try {
      for (SimNode n : nodes) {
        n.start();
      }
      for (SimClient c : clients) {
        c.start();
      }
      nemesis.start();
      long faultEnd = config.faultPhaseMs() * 1_000_000L;
      schedule(faultEnd, EventQueue.Kind.PHASE, 0, 0, "heal", this::heal);
      loop(Long.MAX_VALUE);
      if (!checker.converged()) {
        liveness = true;
        failure = "liveness: no convergence within 10 election timeouts of healing: " + checker.describeCluster();
      }
    } catch (Violation v) {
      failure = v.getMessage();
      liveness = v.getMessage().startsWith("liveness");
    } catch (RuntimeException | AssertionError e) {
      failure = "crashed: " + e + stackTop(e);
    }
    trace.mix(failure == null ? 0 : failure.hashCode());
    return new Result(config.seed(), canary, trace.hash(), failure, liveness, stats,
        failure == null ? List.of() : trace.tail());
  }

  private static String stackTop(Throwable e) {
    StringBuilder s = new StringBuilder();
    StackTraceElement[] st = e.getStackTrace();
    for (int i = 0; i < Math.min(8, st.length); i++) {
      s.append("\n    at ").append(st[i]);
    }
    if (e.getCause() != null) {
      s.append("\n  caused by ").append(e.getCause());
    }
    return s.toString();
  }

  private void loop(long untilNanos) {
    while (!queue.isEmpty()) {
      EventQueue.Event e = queue.poll();
      if (e.timeNanos > untilNanos) {
        break;
      }
      now = e.timeNanos;
      if (++stats.events > MAX_EVENTS) {
        throw new Violation("liveness: event budget exhausted (" + MAX_EVENTS + ")");
      }
      SimNode n = e.node == 0 ? null : node(e.node);
      if (n != null) {
        if (!n.up || (e.incarnation != EventQueue.ANY_INCARNATION && e.incarnation != n.incarnation)) {
          continue; // the process it belonged to is gone
        }
        if (n.pausedUntilNanos > now) {
          queue.defer(e, n.pausedUntilNanos);
          continue;
        }
      }
      e.action.run();
      if (n != null && n.up) {
        do {
          n.loop.flush(); // a long backlog takes several flushes (a real core ticks in between)
        } while (n.loop.hasWorkPending());
      }
      trace.record(e, n == null || !n.up ? 0 : n.raft().term(), n == null || !n.up ? 0 : n.raft().commitIndex(),
          n == null || !n.up ? 0 : n.loop.stateMachine().appliedIndex());
      checker.afterEvent(n);
      nemesis.afterEvent();
      if (livenessPhase && checker.converged()) {
        return;
      }
    }
  }

  /** The end of the fault phase: everything heals; the cluster must converge in time. */
  private void heal() {
    note("heal: network, clocks, restarts; clients stop writing");
    nemesis.stop();
    network.healAll();
    network.setWeather(SimNetwork.Weather.CALM);
    long resume = now;
    for (SimNode n : nodes) {
      n.clock.setRate(1.0);
      n.setSlowDisk(false);
      if (!n.up) {
        n.start();
      }
      resume = Math.max(resume, n.pausedUntilNanos);
    }
    for (SimClient c : clients) {
      c.quiesce();
    }
    livenessPhase = true;
    long deadline = resume + 10 * 2 * config.electionTimeoutMs() * 1_000_000L;
    schedule(deadline, EventQueue.Kind.PHASE, 0, 0, "liveness deadline", () -> {
      if (!checker.converged()) {
        throw new Violation("liveness: no serving leader with every node converged 10 election timeouts after healing: "
            + checker.describeCluster());
      }
    });
  }

  // ---- services for the parts ------------------------------------------------------------

  long now() {
    return now;
  }

  SimConfig config() {
    return config;
  }

  Canary canary() {
    return canary;
  }

  Stats stats() {
    return stats;
  }

  Checker checker() {
    return checker;
  }

  Nemesis nemesis() {
    return nemesis;
  }

  SimNetwork network() {
    return network;
  }

  /** The network's random source (drops, duplicates, delays). */
  Random random() {
    return networkRandom;
  }

  List<SimNode> nodes() {
    return nodes;
  }

  List<SimClient> clients() {
    return clients;
  }

  SimNode node(int id) {
    return nodes.get(id - 1);
  }

  boolean inLivenessPhase() {
    return livenessPhase;
  }

  void schedule(long atNanos, EventQueue.Kind kind, int node, int incarnation, Object detail, Runnable action) {
    queue.add(Math.max(atNanos, now), kind, node, incarnation, detail, action);
  }

  void note(String text) {
    trace.note(now, text);
  }

  // ---- client connections ---------------------------------------------------------------

  /** A client dials {@code nodeId}: a refused dial (node down) reports a close. */
  long connect(SimClient client, int nodeId, Runnable onOpen) {
    long id = nextConnId++;
    SimNode n = node(nodeId);
    Conn c = new Conn(client, nodeId, n.up ? n.incarnation : -2);
    conns.put(id, c);
    if (!n.up) {
      c.closed = true;
      schedule(now + 1_000_000 + clientDelayRandom.nextInt(5_000_000), EventQueue.Kind.NODE_TO_CLIENT, 0, 0,
          "refused c" + id, () -> client.onClosed(id, "connection refused"));
      return id;
    }
    toNode(id, "open", () -> {
      node(nodeId).loop.onConnectionOpened(id, new java.net.InetSocketAddress("10.0.0." + client.id, 40000));
      onOpen.run();
    });
    return id;
  }

  /** A frame from the client, delivered in order on its connection (lost if the node died). */
  void toNode(long connId, Object what, Runnable action) {
    Conn c = conns.get(connId);
    if (c == null || c.closed) {
      return;
    }
    long at = Math.max(c.lastToNode, now + 20_000 + clientDelayRandom.nextInt(400_000));
    c.lastToNode = at;
    schedule(at, EventQueue.Kind.CLIENT_TO_NODE, c.node, c.incarnation, what, action);
  }

  /** The client hangs up. */
  void hangUp(long connId) {
    Conn c = conns.get(connId);
    if (c == null || c.closed) {
      return;
    }
    toNode(connId, "hang up c" + connId, () -> node(c.node).loop.onConnectionClosed(connId));
    c.closed = true;
    conns.remove(connId);
  }

  /** A node's process died: its client connections break. */
  void nodeCrashed(int nodeId) {
    for (Map.Entry<Long, Conn> e : new ArrayList<>(conns.entrySet())) {
      Conn c = e.getValue();
      if (c.node == nodeId && !c.closed) {
        c.closed = true;
        long id = e.getKey();
        deliverToClient(id, c, "reset", () -> c.client.onClosed(id, "connection reset"));
        conns.remove(id);
      }
    }
  }

  private void deliverToClient(long connId, Conn c, Object what, Runnable action) {
    long at = Math.max(c.lastToClient, now + 20_000 + clientDelayRandom.nextInt(400_000));
    c.lastToClient = at;
    schedule(at, EventQueue.Kind.NODE_TO_CLIENT, 0, 0, what, action);
  }

  /** A trace detail built only when printed. */
  private static Object describe(SimNode node, long connId, List<Outbound> messages) {
    return new Object() {
      @Override
      public String toString() {
        StringBuilder s = new StringBuilder("n" + node.id + "->c" + connId);
        for (Outbound m : messages) {
          if (m instanceof Outbound.Reply r) {
            s.append(" reply x").append(r.xid()).append(" z").append(r.zxid()).append(" e").append(r.err());
          } else if (m instanceof Outbound.Event e) {
            s.append(" event z").append(e.zxid());
          } else {
            s.append(" handshake");
          }
        }
        return s.toString();
      }
    };
  }

  /** The ClientTransport a node sends through: checked, then delivered in order. */
  ClientTransport clientTransport(SimNode node) {
    return new ClientTransport() {
      @Override
      public void send(long connectionId, List<Outbound> messages) {
        Conn c = conns.get(connectionId);
        checker.onOutbound(node, messages);
        if (c == null || c.closed) {
          return;
        }
        deliverToClient(connectionId, c, describe(node, connectionId, messages),
            () -> c.client.onMessages(connectionId, messages));
      }

      @Override
      public void close(long connectionId, List<Outbound> finalMessages, String reason) {
        Conn c = conns.get(connectionId);
        checker.onOutbound(node, finalMessages);
        if (c == null || c.closed) {
          return;
        }
        c.closed = true;
        conns.remove(connectionId);
        deliverToClient(connectionId, c, "c" + connectionId + " closed: " + reason, () -> {
          if (!finalMessages.isEmpty()) {
            c.client.onMessages(connectionId, finalMessages);
          }
          c.client.onClosed(connectionId, reason);
        });
      }
    };
  }
}
