package io.warden.coordinator.node;

import io.warden.coordinator.fsm.Applied;
import io.warden.coordinator.fsm.Command;
import io.warden.coordinator.fsm.CommandCodec;
import io.warden.coordinator.fsm.FsmImage;
import io.warden.coordinator.fsm.Outcome;
import io.warden.coordinator.fsm.StateMachine;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.raft.Membership;
import io.warden.coordinator.raft.PersistBatch;
import io.warden.coordinator.raft.RaftCore;
import io.warden.coordinator.raft.RaftMessage;
import io.warden.coordinator.raft.ReadState;
import io.warden.coordinator.raft.SnapshotTransfer;
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
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's core: it owns Raft, the state machine, sessions, watches and every client
 * connection's request queue, and runs on exactly one thread (DESIGN.md D9; no locks). It has
 * no threads, sockets or disks of its own: inputs arrive as method calls (client frames, peer
 * messages, storage completions, ticks), outputs leave through {@link ClientTransport},
 * {@link PeerTransport} and {@link StorageIo}. The simulation drives the same class with
 * virtual time.
 *
 * <p>Ordering rules, in the spirit of ZooKeeper's CommitProcessor header:
 * <ol>
 *   <li>A connection's requests execute in arrival order. A write is proposed on arrival (to
 *       Raft on the leader, forwarded to the leader elsewhere) and executes when its entry is
 *       applied here; a read executes only when every earlier request of the connection has
 *       executed, so it sees that session's earlier writes and none of its later ones.</li>
 *   <li>{@code sync} asks the leader for a read index (ReadIndex) and answers once this node has
 *       applied it, so sync + read is linearizable.</li>
 *   <li>Replies leave in arrival order; a read's reply leaves in the step that executed it.</li>
 *   <li>Applying an entry fires the watches of every local connection before the entry's own
 *       reply is queued; a connection's messages are flushed in production order, so a watch
 *       event always precedes any later reply (reference §4.3).</li>
 *   <li>Nothing is applied before it is fsynced here (Raft yields only durable committed
 *       entries), so no reply reflects state that a crash could lose.</li>
 *   <li>A write whose fate this node can no longer learn — its leader changed, the link to it
 *       reset, or it was rejected — fails its connection (the client sees ConnectionLoss, as
 *       with ZooKeeper), never a single request: later requests of that session must not
 *       overtake it.</li>
 * </ol>
 */
public final class NodeLoop {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLoop.class);
  /**
   * Committed entries applied by one {@link #flush} at most. A long backlog — a restart applying
   * the tens of thousands of entries after its snapshot — once held the core thread for over a
   * second: no ticks, no heartbeats, no votes answered, so the followers of a new leader elected
   * another. The rest is applied by the next flushes ({@link #hasWorkPending}).
   */
  static final int APPLY_PER_FLUSH_MAX = 1024;

  /** Planted bugs for the simulation's teeth (see RaftCore.Faults); all false in production. */
  public static final class Faults {
    /**
     * Expire sessions on any node that believes it leads — without a committed entry of its
     * term, a recently active quorum, or the fresh timeout a new leader owes every session.
     */
    public boolean expireAsStaleLeader;
  }

  private Faults faults = new Faults();

  /** A proposal this node made and waits to see applied: which connection to answer. */
  private record Pending(long connectionId, Slot slot, int forwardedTo, long proposedNanos, long deadlineMs) {
  }

  private record PendingRead(long connectionId, Slot slot) {
  }

  private final NodeOptions options;
  private final Clock clock;
  private final Random passwordSource;
  private final RaftCore raft;
  private final StateMachine fsm;
  private final StorageIo storage;
  private final ClientTransport transport;
  private final PeerTransport peers;
  private final NodeMetrics metrics;
  private final WatchRegistry watches = new WatchRegistry();
  private final LocalRequests local;
  private final SessionExpiry expiry;
  private final int self;

  private final Map<Long, ClientConnection> connections = new HashMap<>();
  /** Which local connection currently carries each session. */
  private final Map<Long, Long> sessionOwner = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final Map<Long, PendingRead> pendingReads = new HashMap<>();
  private final Set<ClientConnection> awaitingApply = new LinkedHashSet<>();
  private final Set<ClientConnection> dirty = new LinkedHashSet<>();
  /** Follower: sessions heard from since the last relay, and those newly bound here. */
  private final Set<Long> touched = new LinkedHashSet<>();
  private final Set<Long> established = new LinkedHashSet<>();
  /** Leader: the node that last bound each session (for SESSION_MOVED). */
  private final Map<Long, Integer> sessionHolder = new HashMap<>();

  private long nextOriginSeq;
  private long nextReadId;
  private boolean persistInFlight;
  private boolean snapshotInFlight;
  private boolean installingSnapshot;
  private long lastSnapshotIndex;
  private boolean reapInFlight;
  private long nextReapMs;
  private long nextRelayMs;
  private boolean wasLeader;
  private int lastLeader;
  /** Applied everything the leader had committed when we first heard from it. */
  private boolean synced;
  private boolean serving;
  private long lastRefusalLogMs;

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
      long snapshotIndex, StorageIo storage, ClientTransport transport, PeerTransport peers, NodeMetrics metrics) {
    Check.argument(fsm.appliedIndex() == snapshotIndex, "fsm at %d but snapshot at %d", fsm.appliedIndex(), snapshotIndex);
    this.options = options;
    this.clock = clock;
    this.passwordSource = passwordSource;
    this.raft = raft;
    this.fsm = fsm;
    this.storage = storage;
    this.transport = transport;
    this.peers = peers;
    this.metrics = metrics;
    this.self = options.serverId();
    this.local = new LocalRequests(watches, options.maxWatchesPerConnection());
    this.expiry = new SessionExpiry(options.tickMs());
    this.lastSnapshotIndex = snapshotIndex;
    // Origin sequences must not repeat across restarts: start from the clock (see DESIGN-NOTES).
    this.nextOriginSeq = clock.wallMs() << 16;
  }

  /** A single node (no peers). */
  public NodeLoop(NodeOptions options, Clock clock, Random passwordSource, RaftCore raft, StateMachine fsm,
      long snapshotIndex, StorageIo storage, ClientTransport transport, NodeMetrics metrics) {
    this(options, clock, passwordSource, raft, fsm, snapshotIndex, storage, transport, PeerTransport.NONE, metrics);
  }

  // ---- lifecycle ------------------------------------------------------------------------

  /** Test-only: plant bugs (the simulation proves it catches them). */
  public void plant(Faults planted) {
    this.faults = planted;
  }

  public void start() {
    raft.start();
    nextReapMs = monoMs() + options.reaperIntervalMs();
    nextRelayMs = monoMs() + options.touchRelayMs();
    flush();
  }

  /** Whether a flush right now would do more (committed entries wait to be applied). */
  public boolean hasWorkPending() {
    return raft.hasCommittedToTake();
  }

  public boolean isServing() {
    return serving;
  }

  // ---- inputs from the network (core thread) ------------------------------------------

  public void onConnectionOpened(long connectionId, InetSocketAddress remote) {
    ClientConnection c = new ClientConnection(connectionId, remote, clock.wallMs());
    connections.put(connectionId, c);
    // A node that does not serve refuses at the handshake, not here: a four-letter word on this
    // connection ("srvr", "mntr") must still be answered, as ZooKeeper answers it.
  }

  /** The first frame: create or resume a session (reference §3.2). */
  public void onHandshake(long connectionId, ConnectRequest req) {
    ClientConnection c = connections.get(connectionId);
    if (c == null || c.state != ConnectionState.AWAITING_HANDSHAKE) {
      return;
    }
    if (!serving) {
      long now = monoMs();
      String why = notServingReason();
      if (now - lastRefusalLogMs >= 1000) {
        lastRefusalLogMs = now;
        LOG.warn("refusing client connection from {}: not serving: {}", c.remote, why);
      }
      close(c, null);
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
      c.state = ConnectionState.CREATING_SESSION;
      if (!propose(new Command.CreateSession(self, timeoutMs, password, clock.wallMs()), c, null)) {
        close(c, "no leader to create a session with");
      }
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
      touchSession(c.sessionId);
    }
    if (opcode == OpCode.AUTH && decodeError == null) {
      auth(c, xid, (AuthPacket) body);
      return;
    }
    Slot s = new Slot(xid, opcode, body, decodeError, receivedNanos);
    s.heldBehindSync = c.syncsAhead > 0 && isLoggedWrite(opcode);
    if (opcode == OpCode.SYNC && decodeError == null) {
      c.syncsAhead++;
    }
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

  // ---- inputs from peers -----------------------------------------------------------------

  public void onPeerMessage(PeerMessage m) {
    if (m.to() != self) {
      return;
    }
    if (m instanceof PeerMessage.Raft r) {
      raft.step(r.message());
    } else if (m instanceof PeerMessage.Forward f) {
      if (raft.propose(f.command()) < 0) {
        peers.send(new PeerMessage.ForwardRejected(self, f.from(), f.originSeq()));
      }
    } else if (m instanceof PeerMessage.ForwardRejected r) {
      failForwardsUpTo(r.originSeq(), "the leader refused a write");
    } else if (m instanceof PeerMessage.Touch t) {
      onTouch(t);
    } else if (m instanceof PeerMessage.SessionMoved moved) {
      Long connId = sessionOwner.get(moved.sessionId());
      ClientConnection c = connId == null ? null : connections.get(connId);
      if (c != null) {
        close(c, "session 0x" + Long.toHexString(moved.sessionId()) + " moved to another server");
      }
    }
  }

  /**
   * The link to {@code peer} reset: messages in flight on it are lost. Writes forwarded to it
   * have an unknown fate now, so their connections fail (later writes of those sessions must
   * not overtake them on a new link).
   */
  public void onPeerLinkReset(int peer) {
    raft.onLinkReset(peer);
    List<Long> lost = new ArrayList<>();
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (e.getValue().forwardedTo() == peer) {
        lost.add(e.getKey());
      }
    }
    failPending(lost, "the link to server " + peer + " reset with writes in flight");
  }

  // ---- inputs from storage and the clock --------------------------------------------------

  public void onPersisted(PersistBatch batch) {
    persistInFlight = false;
    raft.persisted(batch);
  }

  public void onSnapshotSaved(long index) {
    snapshotInFlight = false;
    lastSnapshotIndex = Math.max(lastSnapshotIndex, index);
    raft.compact(index);
  }

  public void onSnapshotChunkRead(int peer, SnapshotMeta meta, int chunk, byte[] data, boolean last) {
    raft.sendSnapshotChunk(peer, meta.index(), meta.term(), meta.membership(), chunk, data, last);
  }

  public void onSnapshotChunkUnavailable(int peer) {
    raft.snapshotUnavailable(peer);
  }

  public void onSnapshotChunkStored(RaftMessage.SnapshotChunk c) {
    raft.snapshotChunkStored(c.from(), c.snapshotIndex(), c.chunk());
  }

  /**
   * An incoming snapshot is stored and read back: the state machine jumps to it. Clients of
   * this node saw the old state; their connections close and they resume elsewhere or here,
   * re-registering their watches against the new state (as ZooKeeper's followers do after a
   * snapshot sync).
   */
  public void onSnapshotReceived(RaftMessage.SnapshotChunk last, FsmImage.Restored restored) {
    installingSnapshot = false;
    if (restored.index() > fsm.appliedIndex()) {
      for (ClientConnection c : new ArrayList<>(connections.values())) {
        close(c, "state replaced by a snapshot from the leader");
      }
      fsm.restore(restored);
      lastSnapshotIndex = restored.index();
      long now = monoMs();
      for (Session s : fsm.sessions().all()) {
        expiry.touch(s.sessionId(), s.timeoutMs(), now);
      }
    }
    raft.snapshotInstalled(last.from(), last.snapshotIndex(), last.snapshotTerm(),
        Membership.decode(last.membership()), last.chunk());
  }

  public void onSnapshotReceiveFailed(RaftMessage.SnapshotChunk c, Throwable why) {
    installingSnapshot = false;
    LOG.warn("receiving the snapshot at {} from server {} failed: {}", c.snapshotIndex(), c.from(), why.toString());
    raft.snapshotFailed(c.from(), c.snapshotIndex(), c.chunk());
  }

  /** Storage failed: the node must stop rather than acknowledge anything (never returns). */
  public void onStorageFailure(Throwable t) {
    throw new IllegalStateException("storage failed; stopping the node", t);
  }

  /** Timers: Raft's clock, session expiry and reaping (confirmed leader), touch relay, timeouts. */
  public void tick() {
    raft.tick();
    long now = monoMs();
    boolean decides = faults.expireAsStaleLeader ? raft.isLeader() : raft.isConfirmedLeader() && serving;
    // During a leadership transfer the leader takes no proposals; expiry waits for the outcome
    // (a new leader gives every session a full timeout anyway).
    if (decides && !raft.isTransferringLeadership()) {
      expireSessions(now);
      reap(now);
    }
    if (!raft.isLeader() && raft.leaderId() != 0 && now >= nextRelayMs) {
      nextRelayMs = now + options.touchRelayMs();
      relayTouches();
    }
    failTimedOutForwards(now);
  }

  /**
   * Drives everything that became possible: send what the peers are waiting for, hand the
   * next batch to storage, apply what is committed, answer reads, move snapshots, follow role
   * changes, send what that produced, and flush every connection's messages once.
   */
  public void flush() {
    // Peers first: a follower's acknowledgement (or a leader's appends) is on the critical path
    // of every write in the ensemble, and it must not wait for this node's fsync hand-off or
    // for up to APPLY_PER_FLUSH_MAX entries of apply. Messages whose state is not yet durable
    // stay held inside the Raft core whatever the order here.
    sendRaftMessages();
    handOffPersistBatch();
    List<LogEntry> committed;
    int applied = 0;
    while (applied < APPLY_PER_FLUSH_MAX
        && !(committed = raft.takeCommitted(Math.min(256, APPLY_PER_FLUSH_MAX - applied))).isEmpty()) {
      for (LogEntry e : committed) {
        applyEntry(e);
      }
      applied += committed.size();
    }
    for (ReadState r : raft.takeReadStates()) {
      onReadState(r);
    }
    releaseSyncs();
    handOffPersistBatch(); // writes released by a sync just now need not wait for the next event
    for (SnapshotTransfer w : raft.takeSnapshotWork()) {
      if (w instanceof SnapshotTransfer.ReadChunk r) {
        storage.readSnapshotChunk(r.peer(), r.snapshotIndex(), r.chunk());
      } else if (w instanceof SnapshotTransfer.StoreChunk s) {
        // Only the last chunk makes the state jump, and only it is always answered (received or
        // failed): a transfer abandoned midway must not leave the node refusing clients forever.
        installingSnapshot |= s.chunk().last();
        storage.storeSnapshotChunk(s.chunk());
      }
    }
    followRoleChanges();
    sendRaftMessages(); // what apply, reads and snapshots produced
    updateServing();
    maybeSnapshot();
    for (ClientConnection c : dirty) {
      if (!c.outbox.isEmpty() && c.isOpen()) {
        transport.send(c.id, List.copyOf(c.outbox));
      }
      c.outbox.clear();
    }
    dirty.clear();
  }

  private void sendRaftMessages() {
    for (RaftMessage m : raft.takeMessages()) {
      peers.send(new PeerMessage.Raft(m));
    }
  }

  private void handOffPersistBatch() {
    if (!persistInFlight) {
      PersistBatch b = raft.takePersistBatch();
      if (b != null) {
        persistInFlight = true;
        storage.persist(b);
      }
    }
  }

  // ---- apply ------------------------------------------------------------------------------

  private void applyEntry(LogEntry e) {
    Applied a = null;
    CommandCodec.Origin origin = e.type() == io.warden.coordinator.raft.EntryType.COMMAND
        ? CommandCodec.decodeWithOrigin(e.data()).origin() : CommandCodec.Origin.NONE;
    Pending p = origin.serverId() == self ? pending.remove(origin.seq()) : null;
    ClientConnection owner = p == null ? null : connections.get(p.connectionId());
    if (owner != null && p.slot() != null) {
      advance(owner); // reads queued before this write run against the state before it
    }
    a = fsm.apply(e);
    if (p != null) {
      metrics.committed(clock.monoNanos() - p.proposedNanos());
    }
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
    sessionHolder.remove(s.sessionId());
    touched.remove(s.sessionId());
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

  // ---- proposals: local on the leader, forwarded elsewhere -------------------------------

  /**
   * Proposes {@code cmd} for connection {@code c} (slot null for a session creation). The
   * leader proposes it to Raft; a follower forwards it to the leader over their FIFO link.
   * Returns false if there is no leader to take it.
   */
  private boolean propose(Command cmd, ClientConnection c, Slot s) {
    long seq = ++nextOriginSeq;
    byte[] bytes = CommandCodec.encode(cmd, new CommandCodec.Origin(self, seq));
    long now = clock.monoNanos();
    if (raft.isLeader()) {
      if (raft.propose(bytes) < 0) {
        return false;
      }
      pending.put(seq, new Pending(c.id, s, 0, now, Long.MAX_VALUE));
    } else {
      int leader = raft.leaderId();
      if (leader == 0) {
        return false;
      }
      peers.send(new PeerMessage.Forward(self, leader, seq, bytes));
      pending.put(seq, new Pending(c.id, s, leader, now, monoMs() + options.forwardTimeoutMs()));
    }
    if (s != null) {
      s.proposedSeq = seq;
    }
    return true;
  }

  /** Leader-internal proposals (expiry, reaping): nobody waits for them. */
  private void proposeInternal(Command cmd) {
    long index = raft.propose(CommandCodec.encode(cmd));
    Check.state(index > 0 || !raft.isLeader(), "leader failed to propose");
  }

  private void failForwardsUpTo(long seq, String why) {
    List<Long> lost = new ArrayList<>();
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (e.getKey() <= seq && e.getValue().forwardedTo() != 0) {
        lost.add(e.getKey());
      }
    }
    failPending(lost, why);
  }

  private void failTimedOutForwards(long nowMs) {
    List<Long> late = new ArrayList<>();
    for (Map.Entry<Long, Pending> e : pending.entrySet()) {
      if (e.getValue().deadlineMs() < nowMs) {
        late.add(e.getKey());
      }
    }
    failPending(late, "a forwarded write was not applied within " + options.forwardTimeoutMs() + " ms");
  }

  private void failPending(List<Long> seqs, String why) {
    for (long seq : seqs) {
      Pending p = pending.remove(seq);
      ClientConnection c = p == null ? null : connections.get(p.connectionId());
      if (c != null) {
        close(c, why);
      }
    }
  }

  /** Role and leader changes: proposals whose fate we can no longer learn fail their connections. */
  private void followRoleChanges() {
    boolean leader = raft.isLeader();
    if (leader && !wasLeader) {
      LOG.info("server {} leads term {}", self, raft.term());
      // A new leader cannot know when sessions last spoke to the old one: everyone gets a
      // full timeout before anything expires (DESIGN.md D7).
      long now = monoMs();
      sessionHolder.clear();
      if (!faults.expireAsStaleLeader) {
        for (Session s : fsm.sessions().all()) {
          expiry.touch(s.sessionId(), s.timeoutMs(), now);
        }
        expiry.renewAll(now);
      }
      for (long sessionId : sessionOwner.keySet()) {
        sessionHolder.put(sessionId, self);
      }
    }
    if (!leader && wasLeader) {
      List<Long> local = new ArrayList<>();
      for (Map.Entry<Long, Pending> e : pending.entrySet()) {
        if (e.getValue().forwardedTo() == 0) {
          local.add(e.getKey());
        }
      }
      failPending(local, "this server stopped leading with writes in flight");
    }
    wasLeader = leader;
    int now = raft.leaderId();
    if (now != lastLeader) {
      List<Long> orphaned = new ArrayList<>();
      for (Map.Entry<Long, Pending> e : pending.entrySet()) {
        int to = e.getValue().forwardedTo();
        if (to != 0 && to != now) {
          orphaned.add(e.getKey());
        }
      }
      failPending(orphaned, "the leader changed with writes in flight");
      lastLeader = now;
      synced = false;
    }
    if (!synced && raft.hasRecentLeader() && fsm.appliedIndex() >= raft.commitIndex()) {
      synced = true;
    }
  }

  private void updateServing() {
    boolean can = synced && raft.hasRecentLeader() && !installingSnapshot;
    if (can == serving) {
      return;
    }
    serving = can;
    if (can) {
      LOG.info("serving as {} in term {} (applied index {})", mode(), raft.term(), fsm.appliedIndex());
    } else {
      String why = notServingReason();
      LOG.warn("not serving: {}", why);
      for (ClientConnection c : new ArrayList<>(connections.values())) {
        close(c, "not serving: " + why);
      }
    }
  }

  private String notServingReason() {
    if (installingSnapshot) {
      return "installing a snapshot from the leader";
    }
    int members = raft.membership().voters().size();
    if (members > 1 && !raft.hasRecentLeader()) {
      int reachable = Math.min(1 + peers.connectedPeers(), members);
      String counts = "(" + reachable + " of " + members + " reachable)";
      // with a quorum in reach, what is missing is a leader: an election is under way
      return reachable < raft.membership().quorum() ? "no quorum " + counts : "no leader yet " + counts;
    }
    return raft.leaderId() == 0 ? "no leader yet" : "catching up with the leader";
  }

  // ---- sessions ----------------------------------------------------------------------------

  /** Heard from a session's client: the leader renews it; a follower relays it soon. */
  private void touchSession(long sessionId) {
    if (raft.isLeader()) {
      expiry.touch(sessionId, monoMs());
    } else {
      touched.add(sessionId);
    }
  }

  private void relayTouches() {
    if (touched.isEmpty() && established.isEmpty()) {
      return;
    }
    long[] heard = touched.stream().mapToLong(Long::longValue).toArray();
    long[] bound = established.stream().mapToLong(Long::longValue).toArray();
    touched.clear();
    established.clear();
    peers.send(new PeerMessage.Touch(self, raft.leaderId(), heard, bound));
  }

  /** Leader: a follower heard from these sessions, and now holds some of them. */
  private void onTouch(PeerMessage.Touch t) {
    if (!raft.isLeader()) {
      return;
    }
    long now = monoMs();
    for (long id : t.heard()) {
      expiry.touch(id, now);
    }
    for (long id : t.bound()) {
      expiry.touch(id, now);
      holderChanged(id, t.from());
    }
  }

  /** A session was bound on {@code holder}: the node that held it before must let go. */
  private void holderChanged(long sessionId, int holder) {
    Integer previous = sessionHolder.put(sessionId, holder);
    if (previous == null || previous == holder) {
      return;
    }
    if (previous == self) {
      Long connId = sessionOwner.get(sessionId);
      ClientConnection c = connId == null ? null : connections.get(connId);
      if (c != null) {
        close(c, "session 0x" + Long.toHexString(sessionId) + " moved to server " + holder);
      }
    } else {
      peers.send(new PeerMessage.SessionMoved(self, previous, sessionId));
    }
  }

  /**
   * Expires {@code sessionId} now, as its timeout would (operators and tests). Only a confirmed
   * leader decides expiry (DESIGN.md D7); false when this node is not one (or is handing its
   * leadership over) or the session does not exist.
   */
  public boolean expireSessionNow(long sessionId) {
    if (!raft.isConfirmedLeader() || raft.isTransferringLeadership() || fsm.sessions().get(sessionId) == null) {
      return false;
    }
    metrics.sessionExpired();
    proposeInternal(new Command.CloseSession(sessionId, true, clock.wallMs()));
    return true;
  }

  private void expireSessions(long now) {
    for (long sessionId : expiry.takeExpired(now)) {
      metrics.sessionExpired();
      proposeInternal(new Command.CloseSession(sessionId, true, clock.wallMs()));
    }
  }

  private void reap(long now) {
    if (now >= nextReapMs && !reapInFlight) {
      nextReapMs = now + options.reaperIntervalMs();
      List<String> due = fsm.tree().reapCandidates(clock.wallMs(), options.reaperMaxPerInterval());
      if (!due.isEmpty()) {
        proposeInternal(new Command.Reap(clock.wallMs(), due));
        reapInFlight = true;
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
    if (raft.isLeader()) {
      expiry.touch(s.sessionId(), timeoutMs, monoMs());
      holderChanged(s.sessionId(), self);
    } else {
      touched.add(s.sessionId());
      established.add(s.sessionId());
    }
    send(c, new Outbound.Handshake(new ConnectResponse(0, timeoutMs, s.sessionId(), s.password(), false, c.readOnlyByte)));
    for (Slot slot : c.queue) {
      proposeIfWrite(c, slot);
    }
    advance(c);
  }

  /** Writes are proposed the moment they arrive; their execution is their apply. */
  private void proposeIfWrite(ClientConnection c, Slot s) {
    if (s.proposedSeq != 0 || s.refused || s.heldBehindSync || s.executed() || s.decodeError != null
        || !isLoggedWrite(s.opcode)) {
      return;
    }
    if (c.state == ConnectionState.CLOSING) {
      return; // answered SessionExpired when its turn comes
    }
    Command cmd = s.opcode == OpCode.CLOSE_SESSION
        ? new Command.CloseSession(c.sessionId, false, clock.wallMs())
        : new Command.Txn(c.sessionId, clock.wallMs(), c.caller().ids(), s.opcode, s.body);
    if (c.writesRefused || !propose(cmd, c, s)) {
      s.refused = true;
      c.writesRefused = true;
      return;
    }
    if (s.opcode == OpCode.CLOSE_SESSION) {
      c.state = ConnectionState.CLOSING;
    }
  }

  /**
   * Executes every request whose turn has come and sends every reply that is next in line.
   * A write in flight or a sync waiting for its read index stops execution (later requests
   * must see them); replies stop at the first request without one.
   */
  private void advance(ClientConnection c) {
    for (Slot s : c.queue) {
      if (s.executed()) {
        continue;
      }
      if (s.proposedSeq != 0) {
        break;
      }
      if (s.opcode == OpCode.SYNC && s.decodeError == null && c.state == ConnectionState.ESTABLISHED) {
        if (!syncReady(c, s)) {
          break;
        }
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

  /** sync (§7.9) is a ReadIndex barrier: ask once, then wait until this node applied the index. */
  private boolean syncReady(ClientConnection c, Slot s) {
    if (s.readRequestId == 0) {
      s.readRequestId = ++nextReadId;
      pendingReads.put(s.readRequestId, new PendingRead(c.id, s));
      raft.readIndex(s.readRequestId);
      return false;
    }
    if (s.readIndex < 0 || fsm.appliedIndex() < s.readIndex) {
      return false;
    }
    return true;
  }

  private void onReadState(ReadState r) {
    PendingRead p = pendingReads.remove(r.requestId());
    ClientConnection c = p == null ? null : connections.get(p.connectionId());
    if (c == null) {
      return;
    }
    if (r.failed()) {
      close(c, "sync: the leader could not confirm its leadership");
      return;
    }
    p.slot().readIndex = r.readIndex();
    awaitingApply.add(c);
  }

  /** Syncs whose read index is now applied may answer. */
  private void releaseSyncs() {
    Iterator<ClientConnection> it = awaitingApply.iterator();
    while (it.hasNext()) {
      ClientConnection c = it.next();
      if (!c.isOpen()) {
        it.remove();
        continue;
      }
      Slot head = null;
      for (Slot s : c.queue) {
        if (!s.executed()) {
          head = s;
          break;
        }
      }
      if (head == null || head.opcode != OpCode.SYNC || head.readIndex < 0) {
        it.remove();
        continue;
      }
      if (fsm.appliedIndex() >= head.readIndex) {
        it.remove();
        advance(c);
      }
    }
  }

  private void executeLocally(ClientConnection c, Slot s) {
    long zxid = fsm.appliedIndex();
    if (!isKnownClientOpcode(s.opcode)) {
      // Unknown or server-internal opcode: Unimplemented, zxid -1, then close (reference §5).
      s.reply = new Outbound.Reply(s.xid, -1, ErrorCode.UNIMPLEMENTED.code(), null);
      s.closeAfter = true;
    } else if (s.refused) {
      s.reply = new Outbound.Reply(s.xid, zxid, ErrorCode.CONNECTION_LOSS.code(), null);
      s.closeAfter = true;
    } else if (s.decodeError != null) {
      s.reply = new Outbound.Reply(s.xid, zxid, ErrorCode.MARSHALLING_ERROR.code(), null);
    } else if (c.state == ConnectionState.CLOSING) {
      s.reply = new Outbound.Reply(s.xid, zxid, ErrorCode.SESSION_EXPIRED.code(), null);
    } else if (s.opcode == OpCode.RECONFIG) {
      // Dynamic membership through reconfig is not offered yet; ZooKeeper's default answer.
      s.reply = new Outbound.Reply(s.xid, zxid, ErrorCode.RECONFIG_DISABLED.code(), null);
    } else {
      local.execute(c, s, fsm.tree(), zxid);
    }
    if (s.opcode == OpCode.SYNC && s.decodeError == null) {
      c.syncsAhead--;
      releaseHeldWrites(c, s);
    }
  }

  /** The writes that waited behind {@code sync}, up to the next sync, are proposed now, in order. */
  private void releaseHeldWrites(ClientConnection c, Slot sync) {
    boolean after = false;
    for (Slot s : c.queue) {
      if (s == sync) {
        after = true;
      } else if (after) {
        if (s.opcode == OpCode.SYNC && s.decodeError == null && !s.executed()) {
          return;
        }
        if (s.heldBehindSync) {
          s.heldBehindSync = false;
          proposeIfWrite(c, s);
        }
      }
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
        // ZooKeeper accepts any bytes: without a colon, the whole text is the user name.
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

  /** Closes a connection; {@code reason} is logged at debug (null: the caller logged already). */
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
    awaitingApply.remove(c);
    c.queue.clear();
  }

  // ---- helpers ---------------------------------------------------------------------------

  private void maybeSnapshot() {
    if (snapshotInFlight || installingSnapshot || fsm.appliedIndex() <= lastSnapshotIndex) {
      return;
    }
    if (raft.retainedEntries() < options.snapCount() && raft.retainedBytes() < options.snapshotMaxLogBytes()) {
      return;
    }
    FsmImage image = fsm.image();
    snapshotInFlight = true;
    storage.snapshot(image, raft.termAt(image.index()), raft.membershipAt(image.index()).encode());
  }

  private long monoMs() {
    return clock.monoNanos() / 1_000_000;
  }

  private String mode() {
    if (raft.membership().voters().size() == 1 && raft.isLeader() && raft.membership().learners().isEmpty()) {
      return "standalone";
    }
    if (raft.isLeader()) {
      return "leader";
    }
    return raft.isLearner() ? "observer" : "follower";
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
    Map<Integer, Long> lag = new LinkedHashMap<>();
    if (raft.isLeader()) {
      raft.matchIndexes().forEach((peer, match) -> lag.put(peer, Math.max(0, raft.lastIndex() - match)));
    }
    return new NodeStatus(self, serving ? mode() : "not serving", serving, raft.leaderId(), raft.elections(),
        raft.leaderChanges(), Map.copyOf(lag), raft.term(),
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

  /** Sessions this node currently carries (for tests and the simulation). */
  public Set<Long> localSessions() {
    return new HashSet<>(sessionOwner.keySet());
  }

  public StateMachine stateMachine() {
    return fsm;
  }

  public RaftCore raft() {
    return raft;
  }
}
