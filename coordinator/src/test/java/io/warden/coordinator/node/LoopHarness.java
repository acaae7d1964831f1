package io.warden.coordinator.node;

import io.warden.coordinator.fsm.FsmImage;
import io.warden.coordinator.fsm.StateMachine;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.Membership;
import io.warden.coordinator.raft.PersistBatch;
import io.warden.coordinator.raft.RaftCore;
import io.warden.protocol.ConnectRequest;
import io.warden.protocol.JuteRecord;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Drives a {@link NodeLoop} by hand: virtual time, storage that completes only when the test
 * says so, and a transport that records what each connection would receive. Everything runs
 * on the test thread, deterministically.
 */
final class LoopHarness {
  final FakeClock clock = new FakeClock();
  final ArrayDeque<PersistBatch> persists = new ArrayDeque<>();
  final List<FsmImage> snapshots = new ArrayList<>();
  final Map<Long, List<Outbound>> received = new HashMap<>();
  final Set<Long> closed = new HashSet<>();
  final NodeLoop loop;
  long durableIndex;

  LoopHarness(NodeOptions options) {
    RaftCore raft = new RaftCore(options.serverId(), Membership.single(options.serverId()), HardState.INITIAL, 0, 0,
        List.of());
    StorageIo storage = new StorageIo() {
      @Override
      public void persist(PersistBatch batch) {
        persists.add(batch);
      }

      @Override
      public void snapshot(FsmImage image, long term, byte[] membership) {
        snapshots.add(image);
      }

      @Override
      public void readSnapshotChunk(int peer, long snapshotIndex, int chunk) {
        throw new UnsupportedOperationException("a single node sends no snapshots");
      }

      @Override
      public void storeSnapshotChunk(io.warden.coordinator.raft.RaftMessage.SnapshotChunk chunk) {
        throw new UnsupportedOperationException("a single node receives no snapshots");
      }
    };
    ClientTransport transport = new ClientTransport() {
      @Override
      public void send(long connectionId, List<Outbound> messages) {
        check(messages);
        received.computeIfAbsent(connectionId, k -> new ArrayList<>()).addAll(messages);
      }

      @Override
      public void close(long connectionId, List<Outbound> finalMessages, String reason) {
        check(finalMessages);
        received.computeIfAbsent(connectionId, k -> new ArrayList<>()).addAll(finalMessages);
        closed.add(connectionId);
      }
    };
    loop = new NodeLoop(options, clock, new Random(42), raft, new StateMachine(true), 0, storage, transport,
        NodeMetrics.NONE);
    loop.start();
    fsyncAll();
  }

  static NodeOptions options() {
    return NodeOptions.defaults(1).toBuilder().sessions(100, 1000, 10_000).build();
  }

  /** Durable before visible: nothing the node sends may carry a zxid beyond what is fsynced. */
  private void check(List<Outbound> messages) {
    for (Outbound m : messages) {
      long zxid = m instanceof Outbound.Reply r ? r.zxid() : m instanceof Outbound.Event e ? e.zxid() : -1;
      if (zxid > durableIndex) {
        throw new AssertionError("sent zxid " + zxid + " before it was durable (durable: " + durableIndex + ")");
      }
    }
  }

  /** Completes the outstanding fsync (if any) and lets the loop run. */
  boolean fsyncOne() {
    PersistBatch b = persists.poll();
    if (b == null) {
      return false;
    }
    if (!b.entries().isEmpty()) {
      durableIndex = Math.max(durableIndex, b.lastIndex());
    }
    loop.onPersisted(b);
    loop.flush();
    return true;
  }

  void fsyncAll() {
    while (fsyncOne()) {
      // each completion may hand out the next batch
    }
  }

  /** Opens a connection and creates a session; returns the session id. */
  long connect(long connId) {
    loop.onConnectionOpened(connId, new InetSocketAddress("127.0.0.1", 40000 + (int) connId));
    loop.onHandshake(connId, new ConnectRequest(0, 0, 5000, 0, new byte[16], false, true));
    loop.flush();
    fsyncAll();
    Outbound.Handshake h = (Outbound.Handshake) received.get(connId).get(0);
    return h.response().sessionId();
  }

  void request(long connId, int xid, int opcode, JuteRecord body) {
    loop.onRequest(connId, xid, opcode, body, null, clock.monoNanos());
    loop.flush();
  }

  List<Outbound> take(long connId) {
    List<Outbound> out = received.getOrDefault(connId, new ArrayList<>());
    received.put(connId, new ArrayList<>());
    return out;
  }

  static final class FakeClock implements Clock {
    long nowMs = 1_000_000;

    @Override
    public long wallMs() {
      return nowMs;
    }

    @Override
    public long monoNanos() {
      return nowMs * 1_000_000;
    }

    void advanceMs(long ms) {
      nowMs += ms;
    }
  }
}
