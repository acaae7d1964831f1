package io.warden.coordinator.node;

import io.warden.coordinator.fsm.Applied;
import io.warden.coordinator.fsm.Command;
import io.warden.coordinator.fsm.CommandCodec;
import io.warden.coordinator.fsm.FsmImage;
import io.warden.coordinator.fsm.Outcome;
import io.warden.coordinator.fsm.StateMachine;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.raft.PersistBatch;
import io.warden.coordinator.raft.RaftCore;
import io.warden.coordinator.session.Session;
import io.warden.coordinator.session.SessionExpiry;
import io.warden.coordinator.tree.Change;
import io.warden.coordinator.util.Check;
import io.warden.coordinator.watch.Notification;
import io.warden.coordinator.watch.WatchRegistry;
import io.warden.protocol.AuthPacket;
import io.warden.protocol.ConnectRequest;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.DigestAuth;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Id;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.KeeperState;
import io.warden.protocol.OpCode;
import io.warden.protocol.WatcherEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One node's core: it owns Raft, the state machine, sessions, watches and every client
 * connection's request queue, and runs on exactly one thread (DESIGN.md D9; no locks). It has
 * no threads, sockets or disks of its own: inputs arrive as method calls (client frames,
 * storage completions, ticks), outputs leave through {@link ClientTransport} and
 * {@link StorageIo}. The simulation drives the same class with virtual time.
 *
 * <p>Ordering rules, in the spirit of ZooKeeper's CommitProcessor header:
 * <ol>
 *   <li>A connection's requests execute in arrival order. A write is proposed on arrival and
 *       executes when its entry is applied; a read executes only when every earlier request of
 *       the connection has executed, so it sees that session's earlier writes and none of its
 *       later ones.</li>
 *   <li>Replies leave in arrival order; a read's reply leaves in the same step that executed
 *       it, so nothing can slip between them.</li>
 *   <li>Applying an entry fires the watches of every local connection before the entry's own
 *       reply is queued; a connection's messages are flushed in production order, so a watch
 *       event always precedes any later reply (reference §4.3).</li>
 *   <li>Nothing is applied before it is fsynced (Raft only yields durable committed entries),
 *       so no reply reflects state that a crash could lose.</li>
 * </ol>
 */
public final class NodeLoop {
  /** Why an index is awaited: which connection (if any) to answer when it applies. */
  private record Pending(long connectionId, Slot slot) {
  }

  private final NodeOptions options;
  private final Clock clock;
  private final Random passwordSource;
  private final RaftCore raft;
  private final StateMachine fsm;
  private final StorageIo storage;
  private final ClientTransport transport;
  private final NodeMetrics metrics;
  private final WatchRegistry watches = new WatchRegistry();
  private final LocalRequests local;
  private final SessionExpiry expiry;

  private final Map<Long, ClientConnection> connections = new HashMap<>();
  /** Which local connection currently carries each session. */
  private final Map<Long, Long> sessionOwner = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Set<ClientConnection> dirty = new LinkedHashSet<>();

  private boolean persistInFlight;
  private boolean snapshotInFlight;
  private long lastSnapshotIndex;
  private boolean reapInFlight;
  private long nextReapMs;
  /** The node serves clients once it has re-applied everything up to this index. */
  private long readyAtIndex = Long.MAX_VALUE;
  private boolean serving;

  private long packetsReceived;
  private long packetsSent;
  private long minLatencyMs = Long.MAX_VALUE;
  private long maxLatencyMs;
  private long totalLatencyMs;
  private long completedRequests;

  /**
   * @param fsm restored from the newest snapshot (or fresh)
   * @param raft built from the stored hard state and log after that snapshot
   * @param passwordSource a SecureRandom in production; seeded in simulation
   */
  public NodeLoop(NodeOptions options, Clock clock, Random passwordSource, RaftCore raft, StateMachine fsm,
      long snapshotIndex, StorageIo storage, ClientTransport transport, NodeMetrics metrics) {
    Check.argument(fsm.appliedIndex() == snapshotIndex, "fsm at %d but snapshot at %d", fsm.appliedIndex(), snapshotIndex);
    this.options = options;
    this.clock = clock;
    this.passwordSource = passwordSource;
    this.raft = raft;
    this.fsm = fsm;
    this.storage = storage;
    this.transport = transport;
    this.metrics = metrics;
    this.local = new LocalRequests(watches, options.maxWatchesPerConnection());
    this.expiry = new SessionExpiry(options.tickMs());
    this.lastSnapshotIndex = snapshotIndex;
  }

  // ---- lifecycle ------------------------------------------------------------------------

  /** Starts Raft; the node serves once the stored log is re-applied (see {@link #isServing()}). */
  public void start() {
    raft.start();
    readyAtIndex = raft.lastIndex();
    nextReapMs = monoMs() + options.reaperIntervalMs();
    flush();
  }

  public boolean isServing() {
    return serving;
  }

  // ---- inputs from the network (core thread) ------------------------------------------

  public void onConnectionOpened(long connectionId, InetSocketAddress remote) {
    ClientConnection c = new ClientConnection(connectionId, remote, clock.wallMs());
    connections.put(connectionId, c);
    if (!serving) {
      close(c, "not serving yet: replaying the log");
    }
  }

  /** The first frame: create or resume a session (reference §3.2). */
  public void onHandshake(long connectionId, ConnectRequest req) {
    ClientConnection c = connections.get(connectionId);
    if (c == null || c.state != ConnectionState.AWAITING_HANDSHAKE) {
      return;
    }
    packetsReceived++;
    c.readOnlyByte = req.hasReadOnlyByte();
    if (req.lastZxidSeen() > fsm.appliedIndex()) {
      // The client has seen newer state than ours: it must go to a server that has it.
      close(c, "client saw zxid 0x" + Long.toHexString(req.lastZxidSeen())
          + ", ahead of this server's 0x" + Long.toHexString(fsm.appliedIndex()));
      return;
    }
    int timeoutMs = Math.max(options.minSessionTimeoutMs(), Math.min(req.timeoutMs(), options.maxSessionTimeoutMs()));
    c.timeoutMs = timeoutMs;
    if (req.sessionId() == 0) {
      byte[] password = new byte[Session.PASSWORD_BYTES];
      passwordSource.nextBytes(password);
      long index = propose(new Command.CreateSession(options.serverId(), timeoutMs, password, clock.wallMs()));
      if (index < 0) {
        close(c, "not the leader");
        return;
      }
      c.state = ConnectionState.CREATING_SESSION;
      pending.put(index, new Pending(c.id, null));
      return;
    }
    // The password is checked before anything happens to the connection that now carries the
    // session. ZooKeeper closes that connection first, so a stranger with a wrong password can
    // disconnect a healthy client; here a wrong guess disturbs no one.
    Session s = fsm.sessions().get(req.sessionId());
    if (s == null || !s.passwordMatches(req.password()) || expiry.isExpiring(s.sessionId())) {
      send(c, new Outbound.Handshake(new ConnectResponse(0, 0, 0, new byte[Session.PASSWORD_BYTES], false, c.readOnlyByte)));
      close(c, s == null ? "session 0x" + Long.toHexString(req.sessionId()) + " expired or unknown"
          : "wrong password or expiring session 0x" + Long.toHexString(req.sessionId()));
      return;
    }
    establish(c, s, timeoutMs);
  }

  /**
   * A request frame after the handshake. {@code body} is null for header-only requests;
   * {@code decodeError} is set when the body could not be decoded (answered with
   * MarshallingError, in order).
   */
  public void onRequest(long connectionId, int xid, int opcode, JuteRecord body, String decodeError, long receivedNanos) {
    ClientConnection c = connections.get(connectionId);
    if (c == null || !c.isOpen()) {
      return;
    }
    packetsReceived++;
    c.stats.received++;
    if (c.state == ConnectionState.ESTABLISHED) {
      expiry.touch(c.sessionId, monoMs());
    }
    if (opcode == OpCode.AUTH && decodeError == null) {
      auth(c, xid, (AuthPacket) body);
      return;
    }
    Slot s = new Slot(xid, opcode, body, decodeError, receivedNanos);
    c.queue.add(s);
    if (c.state == ConnectionState.ESTABLISHED) {
      proposeIfWrite(c, s);
      advance(c);
    } else if (c.state == ConnectionState.CLOSING) {
      advance(c);
    }
  }

  /** The network lost the connection (EOF, reset, or it closed it). The session lives on. */
  public void onConnectionClosed(long connectionId) {
    ClientConnection c = connections.remove(connectionId);
    if (c != null) {
      forget(c);
    }
  }

  // ---- inputs from storage and the clock --------------------------------------------------

  public void onPersisted(PersistBatch batch) {
    persistInFlight = false;
    raft.persisted(batch);
  }

  public void onSnapshotSaved(long index) {
    snapshotInFlight = false;
    lastSnapshotIndex = index;
    raft.compact(index);
  }

  /** Storage failed: the node must stop rather than acknowledge anything (never returns). */
  public void onStorageFailure(Throwable t) {
    throw new IllegalStateException("storage failed; stopping the node", t);
  }

  /** Timers: session expiry and container/TTL reaping (leader only). */
  public void tick() {
    raft.tick();
    if (!raft.isLeader() || !serving) {
      return;
    }
    long now = monoMs();
    for (long sessionId : expiry.takeExpired(now)) {
      metrics.sessionExpired();
      long index = propose(new Command.CloseSession(sessionId, true, clock.wallMs()));
      Check.state(index > 0, "leader failed to propose");
    }
    if (now >= nextReapMs && !reapInFlight) {
      nextReapMs = now + options.reaperIntervalMs();
      List<String> due = fsm.tree().reapCandidates(clock.wallMs(), options.reaperMaxPerInterval());
      if (!due.isEmpty()) {
        propose(new Command.Reap(clock.wallMs(), due));
        reapInFlight = true;
      }
    }
  }

  /**
   * Drives everything that became possible: hand the next batch to storage, apply what is
   * committed, start a snapshot when due, and flush every connection's messages once.
   */
  public void flush() {
    if (!persistInFlight) {
      PersistBatch b = raft.takePersistBatch();
      if (b != null) {
        persistInFlight = true;
        storage.persist(b);
      }
    }
    List<LogEntry> committed;
    while (!(committed = raft.takeCommitted(256)).isEmpty()) {
      for (LogEntry e : committed) {
        applyEntry(e);
      }
    }
    if (!serving && fsm.appliedIndex() >= readyAtIndex) {
      becomeServing();
    }
    maybeSnapshot();
    for (ClientConnection c : dirty) {
      if (!c.outbox.isEmpty() && c.isOpen()) {
        transport.send(c.id, List.copyOf(c.outbox));
      }
      c.outbox.clear();
    }
    dirty.clear();
  }

  // ---- apply ------------------------------------------------------------------------------

  private void applyEntry(LogEntry e) {
    Pending p = pending.remove(e.index());
    ClientConnection owner = p == null ? null : connections.get(p.connectionId());
    if (owner != null && p.slot() != null) {
      advance(owner); // reads queued before this write run against the state before it
    }
    Applied a = fsm.apply(e);
    fireWatches(a);
    Outcome outcome = a.outcome();
    if (outcome instanceof Outcome.TxnDone t) {
      if (owner != null && p.slot() != null) {
        p.slot().reply = new Outbound.Reply(p.slot().xid, a.zxid(), t.err().code(), t.err() == ErrorCode.OK ? t.body() : null);
        advance(owner);
      }
    } else if (outcome instanceof Outcome.SessionCreated s) {
      sessionCreated(s.session(), owner);
    } else if (outcome instanceof Outcome.SessionClosed s) {
      sessionClosed(s, a.zxid(), owner, p);
    } else if (outcome instanceof Outcome.Reaped) {
      reapInFlight = false;
    }
  }

  private void sessionCreated(Session s, ClientConnection owner) {
    expiry.touch(s.sessionId(), s.timeoutMs(), monoMs());
    if (owner != null && owner.state == ConnectionState.CREATING_SESSION) {
      establish(owner, s, owner.timeoutMs);
    }
    // Otherwise the client left before its session existed; the session expires unused.
  }

  private void sessionClosed(Outcome.SessionClosed s, long zxid, ClientConnection owner, Pending p) {
    expiry.remove(s.sessionId());
    if (owner != null && p.slot() != null) {
      // closeSession from this connection: reply, then close (reference §7.23)
      p.slot().reply = new Outbound.Reply(p.slot().xid, zxid, ErrorCode.OK.code(), null);
      p.slot().closeAfter = true;
      advance(owner);
      return;
    }
    Long connId = sessionOwner.get(s.sessionId());
    ClientConnection holder = connId == null ? null : connections.get(connId);
    if (holder != null) {
      // Expiry is signalled only by closing the connection (reference §12.2).
      close(holder, "session 0x" + Long.toHexString(s.sessionId()) + (s.expired() ? " expired" : " closed"));
    }
  }

  private void fireWatches(Applied a) {
    for (Change ch : a.changes()) {
      for (Notification n : watches.trigger(ch.path(), ch.type())) {
        ClientConnection c = connections.get(n.watcherId());
        if (c == null || !c.isOpen() || !fsm.tree().canRead(ch.acl(), c.caller())) {
          continue; // events are filtered by READ permission (ZooKeeper 3.9.2+)
        }
        send(c, new Outbound.Event(a.zxid(),
            new WatcherEvent(n.type().code(), KeeperState.SYNC_CONNECTED.code(), n.path())));
      }
    }
  }

  // ---- per-connection scheduling -------------------------------------------------------

  private void establish(ClientConnection c, Session s, int timeoutMs) {
    Long previous = sessionOwner.put(s.sessionId(), c.id);
    if (previous != null && previous != c.id) {
      ClientConnection old = connections.get(previous);
      if (old != null) {
        close(old, "session 0x" + Long.toHexString(s.sessionId()) + " moved to another connection");
      }
    }
    c.sessionId = s.sessionId();
    c.timeoutMs = timeoutMs;
    c.state = ConnectionState.ESTABLISHED;
    expiry.touch(s.sessionId(), timeoutMs, monoMs());
    send(c, new Outbound.Handshake(new ConnectResponse(0, timeoutMs, s.sessionId(), s.password(), false, c.readOnlyByte)));
    for (Slot slot : c.queue) {
      proposeIfWrite(c, slot);
    }
    advance(c);
  }

  /** Writes are proposed the moment they arrive; their execution is their apply. */
  private void proposeIfWrite(ClientConnection c, Slot s) {
    if (s.proposedIndex != 0 || s.executed() || s.decodeError != null || !isLoggedWrite(s.opcode)) {
      return;
    }
    if (c.state == ConnectionState.CLOSING) {
      return; // answered SessionExpired when its turn comes
    }
    Command cmd = s.opcode == OpCode.CLOSE_SESSION
        ? new Command.CloseSession(c.sessionId, false, clock.wallMs())
        : new Command.Txn(c.sessionId, clock.wallMs(), c.caller().ids(), s.opcode, s.body);
    long index = propose(cmd);
    if (index < 0) {
      s.reply = new Outbound.Reply(s.xid, fsm.appliedIndex(), ErrorCode.CONNECTION_LOSS.code(), null);
      s.closeAfter = true;
      return;
    }
    s.proposedIndex = index;
    pending.put(index, new Pending(c.id, s));
    if (s.opcode == OpCode.CLOSE_SESSION) {
      c.state = ConnectionState.CLOSING;
    }
  }

  /**
   * Executes every request whose turn has come and sends every reply that is next in line.
   * A proposed, unapplied write stops execution (later reads must see it); replies stop at
   * the first request without one.
   */
  private void advance(ClientConnection c) {
    for (Slot s : c.queue) {
      if (s.executed()) {
        continue;
      }
      if (s.proposedIndex != 0) {
        break;
      }
      executeLocally(c, s);
    }
    while (!c.queue.isEmpty() && c.queue.peekFirst().executed()) {
      Slot s = c.queue.pollFirst();
      if (s.before != null) {
        s.before.forEach(m -> send(c, m));
      }
      send(c, s.reply);
      completed(c, s);
      if (s.closeAfter) {
        close(c, "after " + OpCode.name(s.opcode));
        return;
      }
    }
  }

  private void executeLocally(ClientConnection c, Slot s) {
    long zxid = fsm.appliedIndex();
    if (!isKnownClientOpcode(s.opcode)) {
      // Unknown or server-internal opcode: Unimplemented, zxid -1, then close (reference §5).
      s.reply = new Outbound.Reply(s.xid, -1, ErrorCode.UNIMPLEMENTED.code(), null);
      s.closeAfter = true;
    } else if (s.decodeError != null) {
      s.reply = new Outbound.Reply(s.xid, zxid, ErrorCode.MARSHALLING_ERROR.code(), null);
    } else if (c.state == ConnectionState.CLOSING) {
      s.reply = new Outbound.Reply(s.xid, zxid, ErrorCode.SESSION_EXPIRED.code(), null);
    } else if (s.opcode == OpCode.RECONFIG) {
      // Dynamic membership arrives with the ensemble work; until then reconfig is disabled,
      // which is also ZooKeeper's default answer (reconfigEnabled=false).
      s.reply = new Outbound.Reply(s.xid, zxid, ErrorCode.RECONFIG_DISABLED.code(), null);
    } else {
      local.execute(c, s, fsm.tree(), zxid);
    }
  }

  /**
   * auth (reference §7.16): takes effect on arrival, so writes sent after it carry the new
   * identity; its reply (xid -4, zxid 0) may overtake earlier replies. A rejected credential
   * gets AuthFailed and the connection closes.
   */
  private void auth(ClientConnection c, int xid, AuthPacket p) {
    Outbound.Reply ok = new Outbound.Reply(xid, 0, ErrorCode.OK.code(), null);
    switch (p.scheme() == null ? "" : p.scheme()) {
      case "digest" -> {
        // ZooKeeper never rejects digest credentials: without a colon the whole text is the
        // user (DigestAuthenticationProvider.generateDigest), and the client stays connected.
        String creds = p.auth() == null ? "" : new String(p.auth(), StandardCharsets.UTF_8);
        String digestId = DigestAuth.digestId(creds);
        c.addIdentity(new Id("digest", digestId));
        if (digestId.equals(options.superDigest())) {
          c.addIdentity(new Id("super", ""));
        }
      }
      case "ip" -> {
        // every connection already carries its ip identity; nothing to add
      }
      default -> {
        authFailed(c, xid, "unsupported auth scheme '" + p.scheme() + "'");
        return;
      }
    }
    replyOutOfBand(c, ok);
  }

  private void authFailed(ClientConnection c, int xid, String why) {
    replyOutOfBand(c, new Outbound.Reply(xid, 0, ErrorCode.AUTH_FAILED.code(), null));
    close(c, "auth failed: " + why);
  }

  /** Auth replies may overtake queued replies — but never the handshake response. */
  private void replyOutOfBand(ClientConnection c, Outbound.Reply r) {
    if (c.state == ConnectionState.ESTABLISHED || c.state == ConnectionState.CLOSING) {
      send(c, r);
    } else {
      // Before the session exists the reply must wait behind the ConnectResponse: queue it
      // as an already-executed request so it leaves right after the handshake.
      Slot s = new Slot(r.xid(), OpCode.AUTH, null, null, clock.monoNanos());
      s.reply = r;
      c.queue.addFirst(s);
    }
  }

  private void completed(ClientConnection c, Slot s) {
    if (s.xid == -2 || s.opcode == OpCode.AUTH) {
      c.stats.sent++;
      packetsSent++;
      return;
    }
    long latencyNanos = clock.monoNanos() - s.receivedNanos;
    long latencyMs = latencyNanos / 1_000_000;
    c.stats.completed(OpCode.name(s.opcode), s.xid, s.reply.zxid(), latencyMs, clock.wallMs());
    packetsSent++;
    completedRequests++;
    totalLatencyMs += latencyMs;
    minLatencyMs = Math.min(minLatencyMs, latencyMs);
    maxLatencyMs = Math.max(maxLatencyMs, latencyMs);
    metrics.requestCompleted(s.opcode, s.reply.err(), latencyNanos);
  }

  private void send(ClientConnection c, Outbound m) {
    c.outbox.add(m);
    dirty.add(c);
  }

  private void close(ClientConnection c, String reason) {
    if (!c.isOpen()) {
      return;
    }
    List<Outbound> last = List.copyOf(c.outbox);
    c.outbox.clear();
    connections.remove(c.id);
    forget(c);
    transport.close(c.id, last, reason);
  }

  private void forget(ClientConnection c) {
    c.state = ConnectionState.CLOSED;
    watches.removeWatcher(c.id);
    if (c.sessionId != 0) {
      sessionOwner.remove(c.sessionId, c.id);
    }
    c.queue.clear();
  }

  // ---- helpers ---------------------------------------------------------------------------

  private long propose(Command cmd) {
    return raft.propose(CommandCodec.encode(cmd));
  }

  private void becomeServing() {
    serving = true;
    // A node that (re)starts cannot know when sessions last spoke: everyone gets a full
    // timeout before anything expires (DESIGN.md D7).
    long now = monoMs();
    for (Session s : fsm.sessions().all()) {
      expiry.touch(s.sessionId(), s.timeoutMs(), now);
    }
  }

  private void maybeSnapshot() {
    if (snapshotInFlight || fsm.appliedIndex() <= lastSnapshotIndex) {
      return;
    }
    if (raft.retainedEntries() < options.snapCount() && raft.retainedBytes() < options.snapshotMaxLogBytes()) {
      return;
    }
    FsmImage image = fsm.image();
    snapshotInFlight = true;
    storage.snapshot(image, raft.termAt(image.index()), raft.membership().encode());
  }

  private long monoMs() {
    return clock.monoNanos() / 1_000_000;
  }

  static boolean isLoggedWrite(int opcode) {
    return switch (opcode) {
      case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL, OpCode.DELETE,
          OpCode.SET_DATA, OpCode.SET_ACL, OpCode.MULTI, OpCode.CLOSE_SESSION -> true;
      default -> false;
    };
  }

  /**
   * Opcodes a client may send after the handshake. Not in it: notification (0), a stand-alone
   * check (rejected since ZooKeeper 3.9.3), deleteContainer (server-internal: ZooKeeper
   * accepts it from clients without any ACL check; Warden refuses it), createSession, and
   * sasl (no SASL provider is configured; auth is refused instead).
   */
  static boolean isKnownClientOpcode(int opcode) {
    return switch (opcode) {
      case OpCode.CREATE, OpCode.DELETE, OpCode.EXISTS, OpCode.GET_DATA, OpCode.SET_DATA, OpCode.GET_ACL,
          OpCode.SET_ACL, OpCode.GET_CHILDREN, OpCode.SYNC, OpCode.PING, OpCode.GET_CHILDREN2, OpCode.MULTI,
          OpCode.CREATE2, OpCode.RECONFIG, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES, OpCode.CREATE_CONTAINER,
          OpCode.CREATE_TTL, OpCode.MULTI_READ, OpCode.AUTH, OpCode.SET_WATCHES, OpCode.GET_EPHEMERALS,
          OpCode.GET_ALL_CHILDREN_NUMBER, OpCode.SET_WATCHES2, OpCode.ADD_WATCH, OpCode.WHO_AM_I,
          OpCode.CLOSE_SESSION -> true;
      default -> false;
    };
  }

  // ---- reports (core thread; callers hop here through the runtime) ------------------------

  public NodeStatus status() {
    int outstanding = 0;
    for (ClientConnection c : connections.values()) {
      outstanding += c.queue.size();
    }
    return new NodeStatus(options.serverId(), serving ? "standalone" : "starting", serving, raft.term(),
        raft.commitIndex(), fsm.appliedIndex(), lastSnapshotIndex, raft.retainedEntries(), raft.retainedBytes(),
        fsm.tree().nodeCount(), fsm.tree().approximateDataBytes(), fsm.tree().ephemeralCount(),
        fsm.tree().digest(), fsm.sessions().size(), connections.size(), watches.totalWatches(),
        watches.pathCount(), watches.watcherCount(), outstanding, packetsReceived, packetsSent,
        completedRequests == 0 ? 0 : minLatencyMs, completedRequests == 0 ? 0 : totalLatencyMs / completedRequests,
        maxLatencyMs);
  }

  public List<ConnectionInfo> connectionInfos() {
    List<ConnectionInfo> out = new ArrayList<>(connections.size());
    for (ClientConnection c : connections.values()) {
      ConnectionStats st = c.stats;
      out.add(new ConnectionInfo(
          c.remote == null ? "?" : c.remote.getAddress().getHostAddress() + ":" + c.remote.getPort(),
          c.queue.size(), st.received, st.sent, c.sessionId, st.lastOp, c.openedWallMs, c.timeoutMs,
          st.lastCxid, st.lastZxid, st.lastResponseWallMs, st.lastLatencyMs,
          st.completed == 0 ? 0 : st.minLatencyMs, st.completed == 0 ? 0 : st.totalLatencyMs / st.completed,
          st.maxLatencyMs));
    }
    return out;
  }

  /** Watched paths per session (for {@code wchc}). */
  public Map<Long, List<String>> watchesBySession() {
    Map<Long, List<String>> out = new LinkedHashMap<>();
    for (ClientConnection c : connections.values()) {
      Map<String, Integer> w = watches.watchesOf(c.id);
      if (!w.isEmpty()) {
        out.computeIfAbsent(c.sessionId, k -> new ArrayList<>()).addAll(w.keySet());
      }
    }
    return out;
  }

  public StateMachine stateMachine() {
    return fsm;
  }

  public RaftCore raft() {
    return raft;
  }
}
