package io.warden.client.internal;

import io.warden.client.ConnectionState;
import io.warden.client.WardenException;
import io.warden.client.WatchEvent;
import io.warden.client.Watcher;
import io.warden.protocol.AuthPacket;
import io.warden.protocol.ConnectRequest;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.EventType;
import io.warden.protocol.FrameTooLargeException;
import io.warden.protocol.JuteException;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.JuteWriter;
import io.warden.protocol.KeeperState;
import io.warden.protocol.OpCode;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.RequestHeader;
import io.warden.protocol.Responses;
import io.warden.protocol.WatcherEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O thread's state machine: one session, carried over successive connections.
 *
 * <p>Everything here is owned by the I/O thread; other threads talk to it only through
 * {@link #execute} (a lock-free inbox plus {@code selector.wakeup()}). Phases of a connection:
 *
 * <pre>
 *   IDLE ──(attempt due)──▶ CONNECTING ──(TCP up)──▶ HANDSHAKE ──(ConnectResponse)──▶ OPEN
 *    ▲                          │                       │                              │
 *    └──────── failure (timeout, EOF, protocol error) ──┴──────────────────────────────┘
 *   OPEN ──(close)──▶ CLOSING ──(closeSession reply, EOF or deadline)──▶ terminated
 * </pre>
 *
 * The rules follow the Java client (reference §3.5, §4, §12.1): ConnectRequest alone first,
 * then auth packets, SetWatches batches and queued requests; xids strictly increasing with a
 * FIFO of sent requests, an out-of-order reply xid drops the connection; xids −1/−2/−4 are
 * handled outside the FIFO; a ping after T/3 of send-idleness; no bytes for 2T/3 drops the
 * connection; a ConnectResponse with timeout 0 means the session expired; nothing heard from
 * any server for 4T/3 expires it locally (3.9.3+). Requests outstanding when a connection fails
 * fail with ConnectionLoss, as do requests queued when an attempt fails.
 */
final class SessionLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SessionLoop.class);
  /** The Java client's SetWatches batch size in path characters (reference §7.17). */
  static final int SET_WATCHES_BATCH_CHARS = 128 * 1024;
  /** Pings at least this often however long the session timeout (reference §12.1). */
  private static final long MAX_PING_INTERVAL_MS = 10_000;
  /** Longest a connection attempt may wait before it starts (ZooKeeper's random 0–1 s). */
  private static final int RECONNECT_JITTER_MS = 1000;
  /** Extra pause when the next host is the one we were last connected to (StaticHostProvider). */
  private static final long HOST_LIST_SPIN_MS = 1000;
  private static final int PASSWORD_BYTES = 16;

  private enum Phase { IDLE, CONNECTING, HANDSHAKE, OPEN, CLOSING }

  /** Something another thread asked for; {@code abandon} when the loop has already ended. */
  interface Command {
    void run();

    void abandon(WardenException cause);
  }

  private final ClientConfig config;
  private final Chroot chroot;
  private final ClientCore core;
  private final EventQueue events;
  private final Selector selector;
  private final Random random;
  private final ConcurrentLinkedQueue<Command> inbox = new ConcurrentLinkedQueue<>();
  private final WatchRegistry watches = new WatchRegistry();
  private final List<HostPort> hosts;
  private final ArrayDeque<Call<?>> queued = new ArrayDeque<>();
  private final ArrayDeque<Call<?>> pending = new ArrayDeque<>();
  private final List<AuthEntry> auths = new ArrayList<>();
  private final ArrayDeque<AuthEntry> authsInFlight = new ArrayDeque<>();
  private final List<Completion<Void>> closeWaiters = new ArrayList<>();

  private Phase phase = Phase.IDLE;
  private Wire wire;
  private int nextHost;
  private int lastConnectedHost = -1;
  private long nextAttemptNanos;
  private long attemptStartNanos;
  private long lastHeardNanos;
  private long lastHeardAnyNanos;
  private long lastSendNanos;
  private long closeDeadlineNanos;
  private int lastXid;

  private long sessionId;
  private byte[] password = new byte[PASSWORD_BYTES];
  private int negotiatedTimeoutMs;
  private boolean seenReadWriteServer;
  private boolean everConnected;
  private long lastZxid;
  private boolean closeRequested;
  private volatile ConnectionState terminalState;

  SessionLoop(ClientConfig config, ClientCore core, EventQueue events) throws IOException {
    this.config = config;
    this.chroot = new Chroot(config.connectString().chroot());
    this.core = core;
    this.events = events;
    this.selector = Selector.open();
    // SplittableRandom mixes the seed: java.util.Random's first draws from nearby small seeds
    // are nearly identical, which would make seeds 0, 1, 2... all pick the same first host
    this.random = new Random(new java.util.SplittableRandom(config.randomSeed()).nextLong());
    List<HostPort> shuffled = new ArrayList<>(config.connectString().hosts());
    Collections.shuffle(shuffled, random);
    this.hosts = List.copyOf(shuffled);
    for (AuthInfo auth : config.auths()) {
      auths.add(new AuthEntry(auth, null));
    }
    this.nextAttemptNanos = now();
    this.lastHeardAnyNanos = now();
  }

  // ---- entry points for other threads -------------------------------------------------------

  /** Runs {@code command} on the I/O thread; abandons it if the loop has ended. */
  void execute(Command command) {
    inbox.add(command);
    selector.wakeup();
    if (terminalState != null) {
      drainInbox();
    }
  }

  // ---- the loop -----------------------------------------------------------------------------

  @Override
  public void run() {
    try {
      while (terminalState == null) {
        runInbox();
        if (terminalState != null) {
          break;
        }
        checkTimers(now());
        if (terminalState != null) {
          break;
        }
        flushOutput();
        selector.select(Math.max(1, nextWakeMs(now())));
        processKeys();
      }
    } catch (RuntimeException | Error | IOException e) {
      log.error("the client's I/O thread failed; closing the client", e);
      terminate(ConnectionState.CLOSED, ErrorCode.CONNECTION_LOSS,
          "client I/O thread failed: " + e);
    } finally {
      try {
        selector.close();
      } catch (IOException e) {
        log.debug("closing the selector failed", e);
      }
    }
  }

  private void runInbox() {
    for (Command c = inbox.poll(); c != null && terminalState == null; c = inbox.poll()) {
      c.run();
    }
  }

  private void drainInbox() {
    WardenException cause = terminalError(null);
    for (Command c = inbox.poll(); c != null; c = inbox.poll()) {
      c.abandon(cause);
    }
  }

  private void processKeys() {
    Set<SelectionKey> keys = selector.selectedKeys();
    for (SelectionKey key : keys) {
      Wire w = (Wire) key.attachment();
      if (w != wire || !key.isValid()) {
        continue;
      }
      try {
        if (key.isConnectable()) {
          finishConnect(w);
        } else {
          if (key.isReadable()) {
            readFrom(w);
          }
          if (w == wire && key.isValid() && key.isWritable()) {
            w.flush();
          }
        }
      } catch (FrameTooLargeException e) {
        connectionFailed("Packet len " + e.lengthBytes() + " is out of range (jute.maxbuffer "
            + e.maxFrameBytes() + ")");
      } catch (IOException e) {
        connectionFailed("I/O error with " + w.server + ": " + e.getMessage());
      }
    }
    keys.clear();
  }

  private void flushOutput() {
    if (wire != null && phase != Phase.CONNECTING && wire.hasOutput()) {
      try {
        wire.flush();
      } catch (IOException e) {
        connectionFailed("I/O error with " + wire.server + ": " + e.getMessage());
      }
    }
  }

  // ---- timers -------------------------------------------------------------------------------

  private void checkTimers(long now) {
    if (sessionId != 0 && elapsedMs(lastHeardAnyNanos, now) > localExpiryMs()) {
      expire("no server heard from for " + elapsedMs(lastHeardAnyNanos, now)
          + " ms (4/3 of the session timeout): session expired locally");
      return;
    }
    switch (phase) {
      case IDLE -> {
        if (now - nextAttemptNanos >= 0) {
          startAttempt(now);
        }
      }
      case CONNECTING, HANDSHAKE -> {
        if (elapsedMs(attemptStartNanos, now) > connectTimeoutMs()) {
          connectionFailed("connecting to " + wire.server + " timed out after "
              + elapsedMs(attemptStartNanos, now) + " ms");
        }
      }
      case OPEN, CLOSING -> checkOpenTimers(now);
    }
    if (terminalState == null) {
      checkRequestTimeouts(now);
    }
  }

  private void checkOpenTimers(long now) {
    long silentMs = elapsedMs(lastHeardNanos, now);
    if (silentMs > readTimeoutMs()) {
      connectionFailed("Client session timed out, have not heard from server in " + silentMs
          + "ms for session id 0x" + Long.toHexString(sessionId));
      return;
    }
    if (phase == Phase.CLOSING && now - closeDeadlineNanos >= 0) {
      terminate(ConnectionState.CLOSED, ErrorCode.CONNECTION_LOSS, "client closed");
      return;
    }
    if (phase == Phase.OPEN && elapsedMs(lastSendNanos, now) >= pingAfterMs()) {
      sendFrame(new RequestHeader(ReplyHeader.PING_XID, OpCode.PING), null);
    }
  }

  /**
   * A request unanswered for the request timeout fails with RequestTimeout. If it was already
   * sent, the connection is dropped as the Java client does: replies are strictly ordered, so a
   * stuck request means everything behind it is stuck too.
   */
  private void checkRequestTimeouts(long now) {
    long timeoutMs = config.requestTimeoutMs();
    if (timeoutMs <= 0) {
      return;
    }
    while (!queued.isEmpty() && elapsedMs(queued.peekFirst().submitNanos, now) >= timeoutMs) {
      Call<?> call = queued.pollFirst();
      call.fail(new WardenException(ErrorCode.REQUEST_TIMEOUT, call.clientPath,
          "no connection within " + timeoutMs + " ms"));
    }
    Call<?> head = pending.peekFirst();
    if (head != null && elapsedMs(head.submitNanos, now) >= timeoutMs) {
      pending.pollFirst();
      head.fail(new WardenException(ErrorCode.REQUEST_TIMEOUT, head.clientPath,
          "no reply within " + timeoutMs + " ms"));
      connectionFailed("request " + head + " timed out after " + timeoutMs + " ms");
    }
  }

  private long nextWakeMs(long now) {
    long wake = 1000;
    switch (phase) {
      case IDLE -> wake = Math.min(wake, remainingMs(nextAttemptNanos, now));
      case CONNECTING, HANDSHAKE ->
          wake = Math.min(wake, connectTimeoutMs() - elapsedMs(attemptStartNanos, now) + 1);
      case OPEN, CLOSING -> {
        wake = Math.min(wake, readTimeoutMs() - elapsedMs(lastHeardNanos, now) + 1);
        wake = Math.min(wake, pingAfterMs() - elapsedMs(lastSendNanos, now));
      }
    }
    if (config.requestTimeoutMs() > 0) {
      Call<?> oldest = !pending.isEmpty() ? pending.peekFirst() : queued.peekFirst();
      if (oldest != null) {
        wake = Math.min(wake, config.requestTimeoutMs() - elapsedMs(oldest.submitNanos, now));
      }
    }
    return wake;
  }

  // ---- connecting ---------------------------------------------------------------------------

  private void startAttempt(long now) {
    int index = nextHost;
    HostPort server = hosts.get(index);
    nextHost = (index + 1) % hosts.size();
    attemptStartNanos = now;
    lastHeardNanos = now;
    phase = Phase.CONNECTING;
    SocketChannel channel = null;
    try {
      InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
      if (address.isUnresolved()) {
        throw new IOException("cannot resolve " + server.host());
      }
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
      wire = new Wire(server, channel, key, config.maxFrameBytes());
      key.attach(wire);
      log.debug("connecting to {} for session 0x{}", server, Long.toHexString(sessionId));
      if (channel.connect(address)) {
        startHandshake(wire);
      }
    } catch (IOException | RuntimeException e) {
      if (wire == null && channel != null) {
        closeQuietly(channel);
      }
      connectionFailed("cannot connect to " + server + ": " + e.getMessage());
    }
  }

  private void finishConnect(Wire w) throws IOException {
    if (w.channel.finishConnect()) {
      startHandshake(w);
    }
  }

  /** Sends the ConnectRequest alone and waits for the ConnectResponse (reference §3.5). */
  private void startHandshake(Wire w) {
    phase = Phase.HANDSHAKE;
    w.key.interestOps(SelectionKey.OP_READ);
    boolean resume = sessionId != 0 && seenReadWriteServer;
    ConnectRequest request = new ConnectRequest(0, lastZxid, config.sessionTimeoutMs(),
        resume ? sessionId : 0, resume ? password : new byte[PASSWORD_BYTES],
        config.canBeReadOnly(), true);
    sendFrame(request, null);
  }

  private void readFrom(Wire w) throws IOException {
    boolean open = w.read(frame -> {
      if (w == wire) {
        onFrame(frame);
      }
    });
    if (w != wire) {
      return;
    }
    long now = now();
    lastHeardNanos = now;
    if (phase == Phase.OPEN || phase == Phase.CLOSING) {
      lastHeardAnyNanos = now;
    }
    if (!open) {
      if (phase == Phase.CLOSING) {
        terminate(ConnectionState.CLOSED, ErrorCode.CONNECTION_LOSS, "client closed");
      } else {
        connectionFailed("server " + w.server + " closed the connection");
      }
    }
  }

  private void onFrame(byte[] frame) {
    JuteReader reader = new JuteReader(frame, 0, frame.length, config.maxFrameBytes());
    try {
      if (phase == Phase.HANDSHAKE) {
        onConnectResponse(ConnectResponse.read(reader));
      } else {
        onReply(ReplyHeader.read(reader), reader);
      }
    } catch (JuteException e) {
      connectionFailed("undecodable frame from " + wire.server + ": " + e.getMessage());
    }
  }

  private void onConnectResponse(ConnectResponse response) {
    if (response.timeoutMs() <= 0) {
      expire("server " + wire.server + " reports session 0x" + Long.toHexString(sessionId)
          + " expired");
      return;
    }
    if (response.readOnly() && !config.canBeReadOnly()) {
      connectionFailed("server " + wire.server + " is read-only and canBeReadOnly is false");
      return;
    }
    long now = now();
    sessionId = response.sessionId();
    password = response.password() == null ? new byte[PASSWORD_BYTES] : response.password();
    negotiatedTimeoutMs = response.timeoutMs();
    seenReadWriteServer |= !response.readOnly();
    lastHeardAnyNanos = now;
    lastConnectedHost = (nextHost + hosts.size() - 1) % hosts.size();
    phase = Phase.OPEN;
    ConnectionState state = response.readOnly() ? ConnectionState.READ_ONLY
        : everConnected ? ConnectionState.RECONNECTED : ConnectionState.CONNECTED;
    everConnected = true;
    log.info("session 0x{} {} to {}, negotiated timeout {} ms", Long.toHexString(sessionId),
        state, wire.server, negotiatedTimeoutMs);
    core.publish(state, sessionId, negotiatedTimeoutMs);
    notifyAllWatchers(response.readOnly() ? KeeperState.CONNECTED_READ_ONLY
        : KeeperState.SYNC_CONNECTED);
    for (AuthEntry auth : auths) {
      sendAuth(auth);
    }
    restoreWatches();
    while (!queued.isEmpty()) {
      send(queued.pollFirst());
    }
  }

  // ---- replies ------------------------------------------------------------------------------

  private void onReply(ReplyHeader header, JuteReader reader) {
    switch (header.xid()) {
      case ReplyHeader.PING_XID -> updateZxid(header.zxid());
      case ReplyHeader.NOTIFICATION_XID -> onNotification(WatcherEvent.read(reader));
      case ReplyHeader.AUTH_XID -> onAuthReply(header);
      default -> onCallReply(header, reader);
    }
  }

  private void onCallReply(ReplyHeader header, JuteReader reader) {
    Call<?> head = pending.peekFirst();
    if (head == null || head.xid != header.xid()) {
      connectionFailed("Xid out of order. Got Xid " + header.xid() + " with err " + header.err()
          + " expected Xid " + (head == null ? "none" : Integer.toString(head.xid))
          + " for a packet with details: " + head);
      return;
    }
    pending.pollFirst();
    updateZxid(header.zxid());
    if (head.opcode == OpCode.CLOSE_SESSION) {
      head.succeed(null);
      terminate(ConnectionState.CLOSED, ErrorCode.CONNECTION_LOSS, "client closed");
      return;
    }
    if (header.err() == 0) {
      JuteRecord body;
      try {
        body = Responses.decode(head.opcode, reader);
      } catch (JuteException e) {
        head.fail(new WardenException(ErrorCode.MARSHALLING_ERROR, head.clientPath,
            "undecodable reply: " + e.getMessage()));
        connectionFailed("undecodable reply to " + head + ": " + e.getMessage());
        return;
      }
      completeOk(head, body);
    } else {
      completeError(head, header.err());
    }
  }

  private <T> void completeOk(Call<T> call, JuteRecord body) {
    T value;
    try {
      value = call.mapper.map(body);
    } catch (WardenException e) {
      call.fail(e);
      return;
    }
    if (call.watch != null) {
      watches.add(call.watch.onOk(), call.watch.clientPath(), call.watch.watcher());
    }
    call.succeed(value);
  }

  private void completeError(Call<?> call, int err) {
    ErrorCode code = ErrorCode.of(err);
    if (code == ErrorCode.NO_NODE && call.watch != null && call.watch.onNoNode() != null) {
      watches.add(call.watch.onNoNode(), call.watch.clientPath(), call.watch.watcher());
    }
    if (code == ErrorCode.NO_NODE && call.noNodeIsNull) {
      call.succeed(null);
    } else if (code == null) {
      call.fail(new WardenException(ErrorCode.SYSTEM_ERROR, call.clientPath,
          "unknown error code " + err));
    } else {
      call.fail(new WardenException(code, call.clientPath));
    }
  }

  private void onNotification(WatcherEvent event) {
    EventType type = EventType.of(event.type());
    if (type == null || type == EventType.NONE) {
      log.warn("ignoring a notification of unknown type {} for {}", event.type(), event.path());
      return;
    }
    KeeperState state = KeeperState.of(event.state());
    String path = chroot.toClient(event.path());
    WatchEvent watchEvent = new WatchEvent(type,
        state == null ? KeeperState.SYNC_CONNECTED : state, path);
    for (Watcher watcher : watches.materialize(type, path)) {
      events.post(() -> watcher.process(watchEvent));
    }
  }

  private void onAuthReply(ReplyHeader header) {
    AuthEntry auth = authsInFlight.pollFirst();
    if (header.err() == 0) {
      if (auth != null) {
        auth.confirm();
      }
      return;
    }
    String scheme = auth == null ? "?" : auth.info.scheme();
    if (auth != null) {
      auth.reject(new WardenException(ErrorCode.AUTH_FAILED, null,
          "server rejected credentials for scheme " + scheme));
    }
    terminate(ConnectionState.AUTH_FAILED, ErrorCode.AUTH_FAILED,
        "server rejected credentials for scheme " + scheme);
  }

  private void updateZxid(long zxid) {
    if (zxid > 0) {
      lastZxid = zxid;
    }
  }

  // ---- sending ------------------------------------------------------------------------------

  void submit(Call<?> call) {
    call.submitNanos = now();
    if (closeRequested) {
      call.fail(new WardenException(ErrorCode.CONNECTION_LOSS, call.clientPath,
          "client is closing"));
    } else if (phase == Phase.OPEN) {
      send(call);
    } else {
      queued.addLast(call);
    }
  }

  private void send(Call<?> call) {
    lastXid = lastXid == Integer.MAX_VALUE ? 1 : lastXid + 1;
    call.xid = lastXid;
    pending.addLast(call);
    sendFrame(new RequestHeader(call.xid, call.opcode), call.body);
  }

  private void sendFrame(JuteRecord first, JuteRecord body) {
    wire.send(new JuteWriter().writeFrame(first, body).toByteArray());
    lastSendNanos = now();
  }

  private void sendAuth(AuthEntry auth) {
    authsInFlight.addLast(auth);
    sendFrame(new RequestHeader(ReplyHeader.AUTH_XID, OpCode.AUTH),
        new AuthPacket(0, auth.info.scheme(), auth.info.credentials()));
  }

  void addAuth(AuthInfo info, Completion<Void> completion) {
    AuthEntry auth = new AuthEntry(info, completion);
    auths.add(auth);
    if (phase == Phase.OPEN) {
      sendAuth(auth);
    }
  }

  /**
   * Re-registers every watch on the new connection (reference §7.17, §11.6): batches of about
   * 128 KiB of path characters, setWatches (101) for batches without persistent watches so
   * 3.5 servers understand them, setWatches2 (105) otherwise.
   */
  private void restoreWatches() {
    if (watches.isEmpty()) {
      return;
    }
    for (SetWatchesBatcher.Batch batch : SetWatchesBatcher.batches(watches, chroot,
        SET_WATCHES_BATCH_CHARS)) {
      Call<Void> call = new Call<>(batch.opcode(), batch.record(lastZxid), null, body -> null,
          false, null, new LoggingCompletion("restoring watches"));
      call.submitNanos = now();
      send(call);
    }
  }

  // ---- watches ------------------------------------------------------------------------------

  WatchRegistry watches() {
    return watches;
  }

  void postWatchEvent(Watcher watcher, WatchEvent event) {
    events.post(() -> watcher.process(event));
  }

  private void notifyAllWatchers(KeeperState state) {
    WatchEvent event = new WatchEvent(EventType.NONE, state, null);
    for (Watcher watcher : watches.all()) {
      events.post(() -> watcher.process(event));
    }
  }

  // ---- failure and the end ------------------------------------------------------------------

  /**
   * The current connection (or attempt) is gone: fail what was sent and what was waiting for
   * it with ConnectionLoss, say SUSPENDED if it had been open, and schedule the next attempt.
   */
  private void connectionFailed(String reason) {
    Phase was = phase;
    HostPort server = wire == null ? null : wire.server;
    if (wire != null) {
      wire.close();
      wire = null;
    }
    authsInFlight.clear();
    if (was == Phase.CLOSING || closeRequested) {
      terminate(ConnectionState.CLOSED, ErrorCode.CONNECTION_LOSS, "client closed");
      return;
    }
    log.info("connection to {} lost ({}); session 0x{}", server, reason,
        Long.toHexString(sessionId));
    failAll(pending, ErrorCode.CONNECTION_LOSS, reason);
    failAll(queued, ErrorCode.CONNECTION_LOSS, reason);
    phase = Phase.IDLE;
    if (was == Phase.OPEN) {
      core.publish(ConnectionState.SUSPENDED, sessionId, negotiatedTimeoutMs);
      notifyAllWatchers(KeeperState.DISCONNECTED);
    }
    long delayMs = random.nextInt(RECONNECT_JITTER_MS);
    if (nextHost == lastConnectedHost) {
      delayMs += HOST_LIST_SPIN_MS;
    }
    nextAttemptNanos = now() + TimeUnit.MILLISECONDS.toNanos(delayMs);
  }

  private void expire(String reason) {
    log.warn("session 0x{} expired: {}", Long.toHexString(sessionId), reason);
    terminate(ConnectionState.LOST, ErrorCode.SESSION_EXPIRED, reason);
  }

  void requestClose(Completion<Void> waiter) {
    closeWaiters.add(waiter);
    if (closeRequested) {
      return;
    }
    closeRequested = true;
    if (phase == Phase.OPEN) {
      phase = Phase.CLOSING;
      closeDeadlineNanos = now() + TimeUnit.MILLISECONDS.toNanos(readTimeoutMs());
      Call<Void> close = new Call<>(OpCode.CLOSE_SESSION, null, null, body -> null, false, null,
          new LoggingCompletion("closing the session"));
      close.submitNanos = now();
      send(close);
    } else {
      terminate(ConnectionState.CLOSED, ErrorCode.CONNECTION_LOSS, "client closed");
    }
  }

  private void terminate(ConnectionState state, ErrorCode code, String reason) {
    if (terminalState != null) {
      return;
    }
    terminalState = state;
    phase = Phase.IDLE;
    if (wire != null) {
      wire.close();
      wire = null;
    }
    failAll(pending, code, reason);
    failAll(queued, code, reason);
    for (AuthEntry auth : auths) {
      auth.reject(new WardenException(code, null, reason));
    }
    KeeperState keeperState = switch (state) {
      case LOST -> KeeperState.EXPIRED;
      case AUTH_FAILED -> KeeperState.AUTH_FAILED;
      default -> KeeperState.CLOSED;
    };
    notifyAllWatchers(keeperState);
    watches.clear();
    core.publish(state, sessionId, negotiatedTimeoutMs);
    core.terminated(new WardenException(code, null, reason));
    for (Completion<Void> waiter : closeWaiters) {
      waiter.succeed(null);
    }
    drainInbox();
    events.retire();
  }

  /** The error for calls made after the end; {@code reason} overrides the state's default. */
  WardenException terminalError(String reason) {
    ConnectionState state = terminalState;
    if (state == ConnectionState.LOST) {
      return new WardenException(ErrorCode.SESSION_EXPIRED, null,
          reason == null ? "the session has expired" : reason);
    }
    if (state == ConnectionState.AUTH_FAILED) {
      return new WardenException(ErrorCode.AUTH_FAILED, null,
          reason == null ? "authentication failed; the client stopped" : reason);
    }
    return new WardenException(ErrorCode.CONNECTION_LOSS, null,
        reason == null ? "client closed" : reason);
  }

  private static void failAll(ArrayDeque<Call<?>> calls, ErrorCode code, String reason) {
    for (Call<?> call = calls.pollFirst(); call != null; call = calls.pollFirst()) {
      call.fail(new WardenException(code, call.clientPath, reason));
    }
  }

  // ---- time ---------------------------------------------------------------------------------

  private long now() {
    return config.nanoTime().getAsLong();
  }

  private static long elapsedMs(long sinceNanos, long now) {
    return TimeUnit.NANOSECONDS.toMillis(now - sinceNanos);
  }

  private static long remainingMs(long deadlineNanos, long now) {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - now) + 1;
  }

  /** The session timeout in force: negotiated once known, else the requested one. */
  private int sessionTimeoutMs() {
    return negotiatedTimeoutMs > 0 ? negotiatedTimeoutMs : config.sessionTimeoutMs();
  }

  private long readTimeoutMs() {
    return sessionTimeoutMs() * 2L / 3;
  }

  /**
   * The Java client pings when it has sent nothing for readTimeout/2 − 1 s (≈ T/3 − 1 s), and
   * at least every 10 s; short timeouts keep readTimeout/2 so a ping always fits before the
   * read timeout.
   */
  private long pingAfterMs() {
    long half = readTimeoutMs() / 2;
    return Math.min(half > 2000 ? half - 1000 : half, MAX_PING_INTERVAL_MS);
  }

  /** One attempt (TCP connect plus handshake): configured, else T / number of servers. */
  private long connectTimeoutMs() {
    return config.connectionTimeoutMs() > 0 ? config.connectionTimeoutMs()
        : Math.max(1, sessionTimeoutMs() / hosts.size());
  }

  private long localExpiryMs() {
    return sessionTimeoutMs() * 4L / 3;
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing an unconnected channel failed", e);
    }
  }

  /** One credential and whoever waits for the server to accept it the first time. */
  private static final class AuthEntry {
    final AuthInfo info;
    private Completion<Void> waiter;

    AuthEntry(AuthInfo info, Completion<Void> waiter) {
      this.info = info;
      this.waiter = waiter;
    }

    void confirm() {
      if (waiter != null) {
        waiter.succeed(null);
        waiter = null;
      }
    }

    void reject(WardenException e) {
      if (waiter != null) {
        waiter.fail(e);
        waiter = null;
      }
    }
  }

  /** For the client's own calls (SetWatches, closeSession): failures are only worth a log line. */
  private record LoggingCompletion(String what) implements Completion<Void> {
    @Override
    public void succeed(Void value) {
      // nothing waits for it
    }

    @Override
    public void fail(Throwable error) {
      log.info("{} failed: {}", what, error.getMessage());
    }
  }
}
