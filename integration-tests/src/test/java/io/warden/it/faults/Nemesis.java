package io.warden.it.faults;

import io.warden.it.ensemble.ProcessEnsemble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Breaks the ensemble one fault at a time — kill -9 and restart, SIGSTOP/SIGCONT, partitions
 * through the peer proxies — each held for a random while, then healed, and the ensemble awaited
 * whole again before the next. Choices come from the run's seeded random.
 */
final class Nemesis {
  enum Fault { KILL, PAUSE, PARTITION }

  private static final Duration SETTLE = Duration.ofSeconds(90);

  private final ProcessEnsemble ensemble;
  private final PeerProxies proxies;
  private final Random random;
  private final CountDownLatch stopped;
  private final Map<String, Integer> counts = new TreeMap<>();
  private final StringBuilder log = new StringBuilder();
  /**
   * Partition shapes rotate: isolated follower, isolated leader, one-way, bridge, slow links
   * (added latency). With three nodes an isolated node is also the minority/majority split.
   */
  private static final int SHAPES = 5;
  private int nextShape;

  Nemesis(ProcessEnsemble ensemble, PeerProxies proxies, Random random, CountDownLatch stopped) {
    this.ensemble = ensemble;
    this.proxies = proxies;
    this.random = random;
    this.stopped = stopped;
    this.nextShape = random.nextInt(SHAPES);
  }

  /** Injects one fault of the kind, holds it, heals it, and waits until the ensemble serves again. */
  void inject(Fault fault) throws InterruptedException {
    int leader = ensemble.awaitStable(SETTLE);
    List<Integer> ids = ensemble.ids();
    int victim = random.nextBoolean() ? leader : ids.get(random.nextInt(ids.size()));
    String role = victim == leader ? "leader" : "follower";
    long holdMs = 800 + random.nextInt(2_500);
    String what;
    switch (fault) {
      case KILL -> {
        what = "kill -9 " + role + " " + victim;
        ensemble.node(victim).kill();
        hold(holdMs);
        ensemble.node(victim).start();
      }
      case PAUSE -> {
        what = "SIGSTOP " + role + " " + victim;
        ensemble.node(victim).pause();
        hold(holdMs);
        ensemble.node(victim).resume();
      }
      case PARTITION -> {
        TcpProxy.Mode how = random.nextBoolean() ? TcpProxy.Mode.DROP : TcpProxy.Mode.BLACKHOLE;
        int shape = nextShape++ % SHAPES;
        if (shape < 2) {
          int isolated = shape == 0 ? follower(leader, ids) : leader;
          what = "isolate " + (shape == 0 ? "follower " : "leader ") + isolated + " (" + how + ")";
          proxies.isolate(isolated, how);
        } else if (shape == 2) {
          boolean outbound = random.nextBoolean();
          what = "one-way: " + role + " " + victim + (outbound ? " cannot reach" : " cannot hear") + " its peers ("
              + how + ")";
          proxies.isolateOneWay(victim, outbound, how);
        } else if (shape == 3) {
          what = "bridge: only " + role + " " + victim + " reaches both others (" + how + ")";
          proxies.bridge(victim, how);
        } else {
          int delayMs = 20 + random.nextInt(180);
          what = "slow links: " + delayMs + " ms each way around " + role + " " + victim;
          proxies.slow(victim, delayMs);
        }
        hold(holdMs);
        proxies.healAll();
      }
      default -> throw new IllegalStateException(fault.toString());
    }
    counts.merge(fault.name().toLowerCase(), 1, Integer::sum);
    int after = ensemble.awaitStable(SETTLE);
    log.append(what).append(" for ").append(holdMs).append(" ms; leader before ").append(leader).append(", after ")
        .append(after).append('\n');
  }

  private int follower(int leader, List<Integer> ids) {
    List<Integer> followers = ids.stream().filter(id -> id != leader).toList();
    return followers.get(random.nextInt(followers.size()));
  }

  /** The fault's duration — a pacing wait that ends early when the run stops, not a synchronisation. */
  private void hold(long ms) throws InterruptedException {
    stopped.await(ms, TimeUnit.MILLISECONDS);
  }

  Map<String, Integer> counts() {
    return counts;
  }

  String log() {
    return log.toString();
  }
}
