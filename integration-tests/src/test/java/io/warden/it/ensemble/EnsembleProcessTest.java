package io.warden.it.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Warden processes on loopback, started from zoo.cfg + myid files, beaten with kill -9
 * while the official ZooKeeper client (multi-server connect string) writes. Checked: no write
 * the ensemble acknowledged is ever lost, the client keeps its session and its ephemeral
 * through every failover, and every replica ends with the same data.
 */
class EnsembleProcessTest {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final int SESSION_TIMEOUT_MS = 20_000;

  @TempDir
  Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private ZooKeeper connect(String connectString) throws Exception {
    ZooKeeper zk = track(new ZooKeeper(connectString, SESSION_TIMEOUT_MS, e -> { }));
    await().atMost(Duration.ofSeconds(30)).until(() -> zk.getState() == ZooKeeper.States.CONNECTED);
    return zk;
  }

  /**
   * Kill -9 and restart a node per round: every even round the leader, every odd round a random
   * node. {@code -Dwarden.it.rounds=N} runs more rounds (the README's failover figures come from
   * such a run); {@code -Dwarden.it.seed=S} replays the choice of nodes.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // 30 JVM restarts; the 3-minute default is too tight on a busy machine
  void killRestartRoundsOverLeaderAndRandomNodesLoseNoAcknowledgedWriteAndKeepTheSession() throws Exception {
    runRounds(Integer.getInteger("warden.it.rounds", 30));
  }

  private void runRounds(int rounds) throws Exception {
    long seed = Long.getLong("warden.it.seed", System.nanoTime());
    System.out.println("EnsembleProcessTest: " + rounds + " rounds, seed " + seed + " (replay: -Dwarden.it.seed="
        + seed + ")");
    Random random = new Random(seed);
    ProcessEnsemble e = track(ProcessEnsemble.create(dir, 3));
    e.startAll();
    e.awaitStable(SETTLE);
    ZooKeeper client = connect(e.connectString());
    long session = client.getSessionId();
    client.create("/owner", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    Writer writer = track(new Writer(client));
    List<Long> gapsMs = new ArrayList<>();
    List<Long> electionsMs = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      int leader = e.awaitStable(SETTLE);
      int victim = round % 2 == 0 ? leader : e.ids().get(random.nextInt(e.ids().size()));
      awaitProgress(writer, 10, e, "before round " + round);
      long killedAt = System.nanoTime();
      e.node(victim).kill();
      if (victim == leader) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(5)).until(() -> e.ids().stream()
            .anyMatch(id -> id != victim && e.node(id).mode().equals("leader")));
        electionsMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
      }
      awaitProgress(writer, 10, e, "after killing server " + victim + " in round " + round);
      if (victim == leader) {
        gapsMs.add(gapMs(writer.acks(), killedAt));
      }
      e.node(victim).start();
    }
    e.awaitStable(SETTLE);
    awaitProgress(writer, 10, e, "at the end");
    writer.close();
    assertThat(writer.failure()).as("the writer's session survived every round").isNull();

    // the session and its ephemeral lived through every failover
    assertThat(client.getSessionId()).isEqualTo(session);
    Stat owner = client.exists("/owner", false);
    assertThat(owner).isNotNull();
    assertThat(owner.getEphemeralOwner()).isEqualTo(session);

    // every acknowledged write is on every replica (sync first: a replica may lag)
    Set<String> acked = new HashSet<>();
    writer.acks().forEach(a -> acked.add("n-" + a.n()));
    for (int id : e.ids()) {
      ZooKeeper direct = connect("127.0.0.1:" + e.node(id).clientPort());
      java.util.concurrent.CountDownLatch synced = new java.util.concurrent.CountDownLatch(1);
      direct.sync("/w", (rc, path, ctx) -> synced.countDown(), null);
      assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
      List<String> children = direct.getChildren("/w", false);
      assertThat(children).as("server %d has every acknowledged write", id).containsAll(acked);
    }
    System.out.println("FAILOVER over " + gapsMs.size() + " leader kills (kill -9; election timeout "
        + io.warden.coordinator.config.WardenConfig.DEFAULT_ELECTION_TIMEOUT_MS + " ms; "
        + rounds + " rounds, " + acked.size() + " acknowledged writes): client's gap between acknowledged writes "
        + medianAndWorst(gapsMs) + "; new leader serving (seen by srvr polling) " + medianAndWorst(electionsMs));
  }

  private static String medianAndWorst(List<Long> ms) {
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    return sorted.isEmpty() ? "n/a"
        : "median " + sorted.get(sorted.size() / 2) + " ms, worst " + sorted.get(sorted.size() - 1) + " ms";
  }

  /** The silence between the last acknowledgement before {@code killedAt} and the first after. */
  private static long gapMs(List<Writer.Ack> acks, long killedAt) {
    long before = Long.MIN_VALUE;
    long after = Long.MAX_VALUE;
    for (Writer.Ack a : acks) {
      if (a.atNanos() <= killedAt) {
        before = Math.max(before, a.atNanos());
      } else {
        after = Math.min(after, a.atNanos());
      }
    }
    return TimeUnit.NANOSECONDS.toMillis(after - before);
  }

  private static void awaitProgress(Writer writer, int writes, ProcessEnsemble e, String when) {
    int target = writer.acked() + writes;
    try {
      await().atMost(SETTLE).pollInterval(Duration.ofMillis(5))
          .until(() -> writer.acked() >= target || writer.failure() != null);
    } catch (RuntimeException ex) {
      throw new IllegalStateException("no write progress " + when + ":\n" + e.describe(), ex);
    }
    if (writer.failure() != null) {
      throw new IllegalStateException("the writer failed " + when + ":\n" + e.describe(), writer.failure());
    }
  }
}
