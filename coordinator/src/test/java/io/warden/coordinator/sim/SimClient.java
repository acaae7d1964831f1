package io.warden.coordinator.sim;

import io.warden.coordinator.node.Outbound;
import io.warden.protocol.Acl;
import io.warden.protocol.CheckVersionRequest;
import io.warden.protocol.ConnectRequest;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.CreateMode;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.CreateResponse;
import io.warden.protocol.DeleteRequest;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.GetDataResponse;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.MultiOp;
import io.warden.protocol.MultiRequest;
import io.warden.protocol.MultiResponse;
import io.warden.protocol.OpCode;
import io.warden.protocol.OpResult;
import io.warden.protocol.SetDataRequest;
import io.warden.protocol.SetDataResponse;
import io.warden.protocol.SyncRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated ZooKeeper client talking to a node through its client seam (the calls the
 * network layer makes: onConnectionOpened, onHandshake, onRequest, onConnectionClosed; and the
 * ClientTransport messages back). It creates a session, pipelines creates (persistent,
 * ephemeral, sequential), versioned setData, multi, deletes, reads and syncs, pings when idle,
 * sometimes goes silent (its session must expire), closes its session, or hangs up and resumes
 * the session on another node — as Curator-based brokers do.
 *
 * <p>What it observes feeds the checker: acknowledged writes (with their zxid), sequential
 * names, the zxids of every reply of its session (never decreasing), and its session's fate.
 */
final class SimClient {
  private enum State { IDLE, CONNECTING, CONNECTED }

  private record Op(int opcode, JuteRecord body, boolean sequential) {
  }

  final int id;
  private final Simulation sim;
  private final Random random;
  private State state = State.IDLE;
  private long connId;
  private int nodeId;
  private long sessionId;
  private byte[] password = new byte[16];
  private int timeoutMs;
  private long lastZxid;
  private int nextXid = 1;
  private int counter;
  private final Map<Integer, Op> outstanding = new LinkedHashMap<>();
  private final List<String> ownNodes = new ArrayList<>();
  private final Map<String, Integer> knownVersions = new LinkedHashMap<>();
  /** No new writes (the liveness phase): reads and pings only. */
  private boolean quiet;
  /** Silent until this time: no pings, no requests — the session should expire. */
  private long silentUntilNanos;
  private long lastSentNanos;
  private long nextOpTimer;

  SimClient(Simulation sim, int id, Random random) {
    this.sim = sim;
    this.id = id;
    this.random = random;
    this.timeoutMs = sim.config().minSessionTimeoutMs()
        + random.nextInt(sim.config().maxSessionTimeoutMs() - sim.config().minSessionTimeoutMs() + 1);
  }

  void start() {
    after(random.nextInt(50_000_000), "start", this::dial);
  }

  void quiesce() {
    quiet = true;
    silentUntilNanos = 0;
  }

  // ---- connection ------------------------------------------------------------------------

  private void dial() {
    if (state != State.IDLE) {
      return;
    }
    state = State.CONNECTING;
    nodeId = 1 + random.nextInt(sim.config().nodeCount());
    long myConn = sim.connect(this, nodeId, () -> { });
    connId = myConn;
    ConnectRequest req = new ConnectRequest(0, lastZxid, timeoutMs, sessionId, password, false, true);
    int target = nodeId;
    sim.toNode(myConn, "handshake s" + Long.toHexString(sessionId),
        () -> sim.node(target).loop.onHandshake(myConn, req));
  }

  void onClosed(long conn, String reason) {
    if (conn != connId) {
      return;
    }
    outstanding.clear(); // their fate is unknown (ConnectionLoss)
    state = State.IDLE;
    connId = 0;
    after(5_000_000 + random.nextInt(100_000_000), "redial", this::dial);
  }

  void onMessages(long conn, List<Outbound> messages) {
    if (conn != connId) {
      return;
    }
    for (Outbound m : messages) {
      if (m instanceof Outbound.Handshake h) {
        onHandshake(h.response());
      } else if (m instanceof Outbound.Reply r) {
        onReply(r);
      } else if (m instanceof Outbound.Event e) {
        observeZxid(e.zxid(), "watch event");
      }
    }
  }

  private void onHandshake(ConnectResponse r) {
    if (r.sessionId() == 0 || r.timeoutMs() == 0) {
      // our session is gone (expired or closed): start a new one on the next dial
      sim.checker().sessionLost(sessionId);
      sessionId = 0;
      password = new byte[16];
      lastZxid = Math.max(lastZxid, 0);
      ownNodes.clear();
      return; // the node closes the connection
    }
    if (sessionId != 0 && r.sessionId() != sessionId) {
      throw new Simulation.Violation("client " + id + " resumed session " + Long.toHexString(sessionId)
          + " but got " + Long.toHexString(r.sessionId()));
    }
    if (sessionId == 0) {
      sim.checker().sessionCreated(r.sessionId(), r.timeoutMs());
    }
    sessionId = r.sessionId();
    password = r.password();
    state = State.CONNECTED;
    scheduleNext();
  }

  // ---- requests --------------------------------------------------------------------------

  private void scheduleNext() {
    long timer = ++nextOpTimer;
    after(2_000_000 + random.nextInt(60_000_000), "op", () -> {
      if (timer == nextOpTimer && state == State.CONNECTED) {
        act();
        scheduleNext();
      }
    });
  }

  private void act() {
    if (sim.now() < silentUntilNanos) {
      return;
    }
    int roll = random.nextInt(1000);
    if (!quiet && !sim.inLivenessPhase() && sim.config().swarm().silentClients() && roll < 3) {
      silentUntilNanos = sim.now() + (timeoutMs + 500L) * 1_000_000L;
      sim.note("client " + id + " goes silent");
      return;
    }
    if (roll < 15) {
      hangUpAndMove();
      return;
    }
    boolean idle = sim.now() - lastSentNanos > timeoutMs * 1_000_000L / 3;
    if (outstanding.size() >= 4) {
      if (idle) {
        send(OpCode.PING, null, false);
      }
      return;
    }
    if (quiet) {
      send(OpCode.GET_DATA, new GetDataRequest(shared(), false), false);
      return;
    }
    if (roll < 22) {
      send(OpCode.CLOSE_SESSION, null, false);
    } else if (roll < 200) {
      send(OpCode.CREATE, create("/c" + id + "_" + counter++, CreateMode.PERSISTENT), false);
    } else if (roll < 330) {
      send(OpCode.CREATE, create("/e" + id + "_" + counter++, CreateMode.EPHEMERAL), false);
    } else if (roll < 450) {
      CreateMode mode = random.nextBoolean() ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.EPHEMERAL_SEQUENTIAL;
      send(OpCode.CREATE, create("/s-", mode), true);
    } else if (roll < 600) {
      String path = shared();
      int version = knownVersions.containsKey(path) && random.nextInt(4) != 0 ? knownVersions.get(path) : -1;
      send(OpCode.SET_DATA, new SetDataRequest(path, bytes("v" + counter++), version), false);
    } else if (roll < 680) {
      send(OpCode.CREATE, create(shared(), CreateMode.PERSISTENT), false);
    } else if (roll < 780) {
      String path = shared();
      List<MultiOp> ops = List.of(
          new MultiOp(OpCode.CREATE, create("/m" + id + "_" + counter++, CreateMode.PERSISTENT)),
          new MultiOp(OpCode.CREATE, create("/s-", CreateMode.PERSISTENT_SEQUENTIAL)),
          new MultiOp(OpCode.SET_DATA, new SetDataRequest(path, bytes("m" + counter), -1)),
          new MultiOp(OpCode.CHECK, new CheckVersionRequest(shared(), knownVersions.getOrDefault(path, -1))));
      send(OpCode.MULTI, new MultiRequest(ops), true);
    } else if (roll < 840 && !ownNodes.isEmpty()) {
      String victim = ownNodes.remove(random.nextInt(ownNodes.size()));
      send(OpCode.DELETE, new DeleteRequest(victim, -1), false);
    } else if (roll < 870) {
      send(OpCode.SYNC, new SyncRequest("/"), false);
    } else {
      send(OpCode.GET_DATA, new GetDataRequest(shared(), false), false);
    }
  }

  private void hangUpAndMove() {
    sim.hangUp(connId);
    onClosed(connId, "client moves to another server");
  }

  private void send(int opcode, JuteRecord body, boolean sequential) {
    int xid = nextXid++;
    outstanding.put(xid, new Op(opcode, body, sequential));
    lastSentNanos = sim.now();
    if (opcode != OpCode.PING) {
      sim.stats().clientOps++;
    }
    int target = nodeId;
    long conn = connId;
    sim.toNode(conn, OpCode.name(opcode) + " x" + xid + " s" + Long.toHexString(sessionId),
        () -> {
          sim.checker().heardAt(target, conn, sessionId);
          sim.node(target).loop.onRequest(conn, xid, opcode, body, null, sim.node(target).clock.monoNanos());
        });
  }

  private void onReply(Outbound.Reply r) {
    Op op = outstanding.remove(r.xid());
    if (op == null) {
      throw new Simulation.Violation("client " + id + " got a reply to unknown xid " + r.xid());
    }
    observeZxid(r.zxid(), OpCode.name(op.opcode()) + " x" + r.xid());
    ErrorCode err = ErrorCode.of(r.err());
    if (isLoggedWrite(op.opcode()) && err != ErrorCode.CONNECTION_LOSS && err != ErrorCode.SESSION_EXPIRED
        && err != ErrorCode.MARSHALLING_ERROR) {
      sim.checker().writeAcknowledged(nodeId, sessionId, op.opcode(), r.zxid());
    }
    if (err != ErrorCode.OK) {
      if (op.opcode() == OpCode.SET_DATA && err == ErrorCode.BAD_VERSION) {
        knownVersions.remove(((SetDataRequest) op.body()).path());
      }
      return;
    }
    switch (op.opcode()) {
      case OpCode.CREATE -> {
        String path = ((CreateResponse) r.body()).path();
        if (op.sequential()) {
          sim.checker().sequentialName(path);
        }
        if (!path.startsWith("/shared")) {
          ownNodes.add(path);
        }
      }
      case OpCode.SET_DATA -> knownVersions.put(((SetDataRequest) op.body()).path(),
          ((SetDataResponse) r.body()).stat().version());
      case OpCode.GET_DATA -> knownVersions.put(((GetDataRequest) op.body()).path(),
          ((GetDataResponse) r.body()).stat().version());
      case OpCode.MULTI -> {
        for (OpResult res : ((MultiResponse) r.body()).results()) {
          if (res instanceof OpResult.CreateResult c && c.path().startsWith("/s-")) {
            sim.checker().sequentialName(c.path());
          }
        }
      }
      case OpCode.CLOSE_SESSION -> {
        sim.checker().sessionClosedByClient(sessionId);
        sessionId = 0;
        password = new byte[16];
        ownNodes.clear();
      }
      default -> {
      }
    }
  }

  /** Replies and events of one session never go back in zxid, across reconnections too. */
  private void observeZxid(long zxid, String what) {
    if (zxid < 0) {
      return;
    }
    if (zxid < lastZxid) {
      throw new Simulation.Violation("per-session zxids went backwards: client " + id + " session "
          + Long.toHexString(sessionId) + " saw zxid " + lastZxid + ", then " + zxid + " (" + what + ") from node "
          + nodeId);
    }
    lastZxid = zxid;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private void after(long delayNanos, String what, Runnable action) {
    sim.schedule(sim.now() + delayNanos, EventQueue.Kind.CLIENT_TIMER, 0, 0, "client " + id + " " + what, action);
  }

  private String shared() {
    return "/shared" + random.nextInt(4);
  }

  private static CreateRequest create(String path, CreateMode mode) {
    return new CreateRequest(path, bytes(path), Acl.OPEN_ACL_UNSAFE, mode.flag());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static boolean isLoggedWrite(int opcode) {
    return switch (opcode) {
      case OpCode.CREATE, OpCode.DELETE, OpCode.SET_DATA, OpCode.MULTI, OpCode.CLOSE_SESSION -> true;
      default -> false;
    };
  }
}
