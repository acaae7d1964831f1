package io.warden.coordinator.sim;

import io.warden.coordinator.node.PeerMessage;

/**
 * The network between servers, keeping the contract of the real peer transport (PeerTransport
 * and PeerMessage javadoc; TcpPeerTransport): between two servers, per direction, messages
 * arrive in the order they were sent and never twice — Raft's messages and the node-level ones
 * (Forward, ForwardRejected, Touch, SessionMoved) share that one ordered stream, as they share
 * one TCP connection. Duplication and reordering are therefore not modelled: the contract
 * excludes them, and the node layer (forwarding, snapshot chunks) relies on it.
 *
 * <p>What the contract allows, and the simulation does: a Raft message may be dropped silently
 * (a full per-peer queue drops it; Raft retries), with the weather's probability or because its
 * direction is cut; delays vary (bounded by the weather). A node-level message is never lost
 * silently: when its link is broken (either direction cut — TCP needs both), when an end crashes
 * or when the link breaks while it is in flight, the link resets — everything in flight on it is
 * lost and both ends are told ({@code NodeLoop.onPeerLinkReset}). Cuts are per direction, so
 * one-way and partial partitions exist at the Raft level (a server may hear a leader it cannot
 * answer).
 */
final class SimNetwork {
  /** How the network behaves now; the nemesis changes it, healing restores the calm default. */
  record Weather(double dropProbability, long minDelayNanos, long maxDelayNanos, double longDelayProbability) {
    static final Weather CALM = new Weather(0, 50_000, 2_000_000, 0);
  }

  private final Simulation sim;
  private final int n;
  /** cut[a][b]: messages from a to b are lost. */
  private final boolean[][] cut;
  private final long[][] linkEpoch;
  private final long[][] lastFifoDelivery;
  private final boolean[][] resetNotifyPending;
  private Weather weather = Weather.CALM;

  SimNetwork(Simulation sim, int nodes) {
    this.sim = sim;
    this.n = nodes;
    this.cut = new boolean[n + 1][n + 1];
    this.linkEpoch = new long[n + 1][n + 1];
    this.lastFifoDelivery = new long[n + 1][n + 1];
    this.resetNotifyPending = new boolean[n + 1][n + 1];
  }

  void setWeather(Weather w) {
    this.weather = w;
  }

  Weather weather() {
    return weather;
  }

  boolean isCut(int from, int to) {
    return cut[from][to];
  }

  /** The TCP link between a and b is unusable (either direction cut). */
  boolean linkBroken(int a, int b) {
    return cut[a][b] || cut[b][a];
  }

  /** Replaces the whole cut matrix; links that break reset now. */
  void setCuts(boolean[][] next) {
    for (int a = 1; a <= n; a++) {
      for (int b = a + 1; b <= n; b++) {
        boolean wasBroken = linkBroken(a, b);
        cut[a][b] = next[a][b];
        cut[b][a] = next[b][a];
        if (!wasBroken && linkBroken(a, b)) {
          reset(a, b);
        }
      }
    }
  }

  void healAll() {
    setCuts(new boolean[n + 1][n + 1]);
  }

  boolean anyCut() {
    for (int a = 1; a <= n; a++) {
      for (int b = 1; b <= n; b++) {
        if (cut[a][b]) {
          return true;
        }
      }
    }
    return false;
  }

  /** A node crashed: its TCP links die with it. */
  void nodeDown(int id) {
    for (int other = 1; other <= n; other++) {
      if (other != id) {
        reset(id, other);
      }
    }
  }

  int connectedPeers(int id) {
    int c = 0;
    for (int other = 1; other <= n; other++) {
      if (other != id && sim.node(other).up && !linkBroken(id, other)) {
        c++;
      }
    }
    return c;
  }

  void send(PeerMessage m) {
    int from = m.from();
    int to = m.to();
    if (to < 1 || to > n || to == from) {
      return;
    }
    if (m instanceof PeerMessage.Raft r) {
      sendDatagram(r, from, to);
    } else {
      sendOnLink(m, from, to);
    }
  }

  private void sendDatagram(PeerMessage.Raft m, int from, int to) {
    if (cut[from][to] || !sim.node(to).up || sim.random().nextDouble() < weather.dropProbability()) {
      return; // dropped as by a full queue: Raft retries
    }
    long epoch = linkEpoch[Math.min(from, to)][Math.max(from, to)];
    long at = Math.max(lastFifoDelivery[from][to], sim.now() + delay(true));
    lastFifoDelivery[from][to] = at;
    sim.schedule(at, EventQueue.Kind.PEER_MESSAGE, to, EventQueue.ANY_INCARNATION, m, () -> {
      if (!cut[from][to] && linkEpoch[Math.min(from, to)][Math.max(from, to)] == epoch) {
        sim.node(to).loop.onPeerMessage(m);
      }
    });
  }

  private void sendOnLink(PeerMessage m, int from, int to) {
    if (linkBroken(from, to) || !sim.node(to).up) {
      reset(from, to); // written into a dead connection: lost, and the writer learns it
      return;
    }
    long epoch = linkEpoch[Math.min(from, to)][Math.max(from, to)];
    long at = Math.max(lastFifoDelivery[from][to], sim.now() + delay(false));
    lastFifoDelivery[from][to] = at;
    sim.schedule(at, EventQueue.Kind.PEER_MESSAGE, to, EventQueue.ANY_INCARNATION, m, () -> {
      if (linkEpoch[Math.min(from, to)][Math.max(from, to)] == epoch) {
        sim.checker().beforePeerMessage(to, m);
        sim.node(to).loop.onPeerMessage(m);
      }
    });
  }

  /** The link between a and b resets: in-flight messages are lost, both ends are told. */
  void reset(int a, int b) {
    linkEpoch[Math.min(a, b)][Math.max(a, b)]++;
    notifyReset(a, b);
    notifyReset(b, a);
  }

  private void notifyReset(int self, int peer) {
    SimNode node = sim.node(self);
    if (!node.up || resetNotifyPending[self][peer]) {
      return; // a notification still on its way covers this loss too
    }
    resetNotifyPending[self][peer] = true;
    sim.schedule(sim.now() + 10_000 + sim.random().nextInt(500_000), EventQueue.Kind.LINK_RESET, self,
        node.incarnation, "link to " + peer + " reset", () -> {
          resetNotifyPending[self][peer] = false;
          sim.node(self).loop.onPeerLinkReset(peer);
        });
  }

  /** A dropped notification (its node crashed) must not block later ones. */
  void nodeRestarted(int id) {
    for (int peer = 1; peer <= n; peer++) {
      resetNotifyPending[id][peer] = false;
    }
  }

  /** A link's delay never exceeds the weather's maximum: the session witness relies on that bound. */
  private long delay(boolean mayStraggle) {
    long span = weather.maxDelayNanos() - weather.minDelayNanos();
    long d = weather.minDelayNanos() + (span <= 0 ? 0 : (long) (sim.random().nextDouble() * span));
    if (mayStraggle && weather.longDelayProbability() > 0 && sim.random().nextDouble() < weather.longDelayProbability()) {
      d *= 10;
    }
    return d;
  }

  String describeCuts() {
    StringBuilder s = new StringBuilder();
    for (int a = 1; a <= n; a++) {
      for (int b = 1; b <= n; b++) {
        if (cut[a][b]) {
          s.append(a).append("->").append(b).append(' ');
        }
      }
    }
    return s.length() == 0 ? "none" : s.toString().trim();
  }
}
