package io.warden.it.faults;

import io.warden.it.ensemble.ProcessEnsemble;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TcpProxy} on every directed peer link of a {@link ProcessEnsemble}: node A reaches
 * node B at 127.77.A.B (its hosts file says so), where the proxy for A→B listens on B's peer port
 * and forwards to B at 127.0.0.1. Partitions are sets of cut links.
 */
final class PeerProxies implements AutoCloseable {
  /** The routes to give {@link ProcessEnsemble#create}: a loopback address per directed link. */
  static final ProcessEnsemble.PeerRoutes ROUTES = (from, to) -> "127.77." + from + "." + to;

  private final Map<List<Integer>, TcpProxy> links = new LinkedHashMap<>();
  private final List<Integer> ids;

  PeerProxies(ProcessEnsemble ensemble) {
    this.ids = ensemble.ids();
    for (int from : ids) {
      for (int to : ids) {
        if (from != to) {
          int port = ensemble.peerPort(to);
          links.put(List.of(from, to), new TcpProxy(from + "-" + to,
              new InetSocketAddress(ROUTES.addressFor(from, to), port), new InetSocketAddress("127.0.0.1", port)));
        }
      }
    }
  }

  /** Silences {@code from} towards {@code to}; the other direction is untouched. */
  void cut(int from, int to, TcpProxy.Mode how) {
    links.get(List.of(from, to)).mode(how);
  }

  /** Cuts a node off from every peer, both ways. */
  void isolate(int node, TcpProxy.Mode how) {
    for (int other : others(node)) {
      cut(node, other, how);
      cut(other, node, how);
    }
  }

  /** The node hears its peers but cannot reach them (or, with {@code outbound false}, the reverse). */
  void isolateOneWay(int node, boolean outbound, TcpProxy.Mode how) {
    for (int other : others(node)) {
      if (outbound) {
        cut(node, other, how);
      } else {
        cut(other, node, how);
      }
    }
  }

  /**
   * A bridge: every node except {@code bridge} is cut off from every other such node, both ways,
   * while all of them still reach the bridge (the partition that fooled ZooKeeper-era and early
   * Raft implementations into two leaders when they trusted transitive reachability).
   */
  void bridge(int bridge, TcpProxy.Mode how) {
    for (int a : others(bridge)) {
      for (int b : others(bridge)) {
        if (a != b) {
          cut(a, b, how);
        }
      }
    }
  }

  /** Every link to and from {@code node} delivers late by {@code delayMs} (a slow or congested path). */
  void slow(int node, int delayMs) {
    for (int other : others(node)) {
      links.get(List.of(node, other)).delayMs(delayMs);
      links.get(List.of(other, node)).delayMs(delayMs);
    }
  }

  void healAll() {
    links.values().forEach(p -> {
      p.mode(TcpProxy.Mode.PASS);
      p.delayMs(0);
    });
  }

  private List<Integer> others(int node) {
    List<Integer> others = new ArrayList<>(ids);
    others.remove(Integer.valueOf(node));
    return others;
  }

  @Override
  public void close() {
    links.values().forEach(TcpProxy::close);
  }
}
