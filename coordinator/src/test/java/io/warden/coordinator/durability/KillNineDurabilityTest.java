package io.warden.coordinator.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.badinput.WireClient;
import io.warden.protocol.ConnectResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warden server} as a real process, SIGKILLed at random moments while several official
 * clients stream writes at it, then restarted on the same dataDir: every write the server
 * acknowledged before it died must be there after the restart (creates with their data, both
 * halves of every multi, counters at or past their acknowledged version and value), no
 * multi may be half-applied, and the killed server's sessions can be resumed by a client that
 * has seen the newest acknowledged zxid. Some rounds use a tiny {@code snapCount}, so restarts also go
 * through snapshot + log replay.
 *
 * <p>The kill points and the configuration of each round come from one seed, printed at the
 * start; replay with {@code -Dwarden.durability.seed=<seed>} (thread timing still varies).
 */
class KillNineDurabilityTest {
  private static final String SEED_PROPERTY = "warden.durability.seed";
  private static final int ROUNDS = 20;
  private static final int CLIENTS = 3;
  private static final int SESSION_TIMEOUT_MS = 4000;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern REPLAY = Pattern.compile("log holds (\\d+) entries after the snapshot");

  @TempDir
  Path dir;

  private ServerProcess server;
  private final List<ZooKeeper> clients = new ArrayList<>();
  /** Closing a client whose server died waits for a failed reconnect: do it off the test thread. */
  private final ExecutorService closer = Executors.newFixedThreadPool(CLIENTS);

  @AfterEach
  void stopEverything() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    clients.forEach(zk -> closer.execute(() -> Clients.closeQuietly(zk)));
    closer.shutdown();
    closer.awaitTermination(30, TimeUnit.SECONDS);
  }

  @Test
  void acknowledgedWritesSurviveSigkillAndRestart() throws Exception {
    long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
    System.out.println("KillNineDurabilityTest seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    AckLog acks = new AckLog();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    int snapshotRestores = 0;
    int replayedAfterSnapshot = 0;

    int port = restart(0, random);
    createLayout(port);
    long[] nextValue = new long[CLIENTS];
    List<SessionCredentials> killedSessions = List.of();
    Set<String> verifiedCreates = new HashSet<>();
    for (int round = 1; round <= ROUNDS; round++) {
      long t0 = System.nanoTime();
      List<ZooKeeper> sessions = Clients.connectAll("127.0.0.1:" + port, SESSION_TIMEOUT_MS, CLIENTS);
      clients.addAll(sessions);
      if (round > 1) {
        nextValue = verify(sessions.get(0), acks, verifiedCreates); // what the previous kill left
        resumeSessions(port, killedSessions, acks.maxZxid());
      }
      killedSessions = sessions.stream().map(zk -> new SessionCredentials(zk.getSessionId(), zk.getSessionPasswd()))
          .toList();
      long t1 = System.nanoTime();
      List<WriteLoad> loads = new ArrayList<>();
      for (int slot = 0; slot < CLIENTS; slot++) {
        loads.add(new WriteLoad(sessions.get(slot), "r" + round + "s" + slot, slot, nextValue[slot], random.nextLong(),
            acks, unexpected));
      }
      long killAt = acks.acks() + random.nextInt(1, 400);
      loads.forEach(WriteLoad::start);
      await("acknowledgements before the kill in round " + round).atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> acks.acks() >= killAt || !server.isAlive());
      assertThat(server.isAlive()).as("server died by itself in round %d:\n%s", round, server.tail(40)).isTrue();
      server.kill();
      loads.forEach(WriteLoad::close);
      closeClientsInBackground();
      long t2 = System.nanoTime();
      port = restart(round, random);
      String startup = String.join("\n", server.output());
      if (startup.contains("restored snapshot at index")) {
        snapshotRestores++;
        Matcher m = REPLAY.matcher(startup);
        if (m.find() && Long.parseLong(m.group(1)) > 0) {
          replayedAfterSnapshot++;
        }
      }
      System.out.printf("round %d: killed after %d acknowledged writes in total "
          + "(connect+verify %d ms, load %d ms, restart %d ms)%n", round, acks.acks(), (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
    }
    ZooKeeper last = Clients.connect("127.0.0.1:" + port, SESSION_TIMEOUT_MS);
    clients.add(last);
    verify(last, acks, verifiedCreates);
    resumeSessions(port, killedSessions, acks.maxZxid());
    assertThat(unexpected).as("error replies other than connection loss").isEmpty();
    assertThat(acks.acks()).isGreaterThanOrEqualTo(ROUNDS);
    assertThat(snapshotRestores).as("restarts that began from a snapshot").isPositive();
    assertThat(replayedAfterSnapshot).as("restarts that replayed log entries after a snapshot").isPositive();
  }

  /**
   * Starts the server on the shared dataDir with a random snapCount: small in most rounds (a
   * snapshot every few entries), the default in others (pure log replay).
   */
  private int restart(int round, SplittableRandom random) {
    int snapCount = round < 2 || random.nextInt(3) > 0 ? random.nextInt(2, 40) : 100_000;
    Map<String, String> cfg = new LinkedHashMap<>();
    cfg.put("dataDir", dir.resolve("data").toString());
    cfg.put("clientPortAddress", "127.0.0.1");
    cfg.put("clientPort", "0");
    cfg.put("admin.enableServer", "false");
    cfg.put("tickTime", "500");
    cfg.put("minSessionTimeout", "1000");
    cfg.put("maxSessionTimeout", "10000");
    cfg.put("snapCount", Integer.toString(snapCount));
    server = ServerProcess.start(dir.resolve("zoo-" + round + ".cfg"), cfg, dir.resolve("server-" + round + ".log"));
    return server.awaitClientPort(START_TIMEOUT);
  }

  private static void createLayout(int port) throws Exception {
    ZooKeeper zk = Clients.connect("127.0.0.1:" + port, SESSION_TIMEOUT_MS);
    try {
      for (String p : List.of(WriteLoad.CREATES, WriteLoad.MULTIS, WriteLoad.COUNTERS)) {
        zk.create(p, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      for (int slot = 0; slot < CLIENTS; slot++) {
        zk.create(WriteLoad.counterPath(slot), "0".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
      }
    } finally {
      zk.close();
    }
  }

  /**
   * Checks every acknowledged write against the restarted server (through {@code zk}, a
   * session on it); returns the next value each counter's writer should use (above anything
   * stored, acknowledged or not).
   */
  private static long[] verify(ZooKeeper zk, AckLog acks, Set<String> verifiedCreates) throws Exception {
    try {
      Set<String> created = new HashSet<>(zk.getChildren(WriteLoad.CREATES, false));
      Set<String> ackedCreates = acks.creates();
      assertThat(created).as("acknowledged creates after the restart").containsAll(ackedCreates);
      List<String> fresh = ackedCreates.stream().filter(verifiedCreates::add).toList();
      Map<String, byte[]> data = readAll(zk, fresh);
      for (String name : fresh) {
        assertThat(data.get(name)).as("data of %s", name).isEqualTo(WriteLoad.content(name));
      }

      Set<String> multiNodes = new HashSet<>(zk.getChildren(WriteLoad.MULTIS, false));
      for (String id : acks.multis()) {
        assertThat(multiNodes).as("both creates of acknowledged multi %s", id).contains(id + "-a", id + "-b");
      }
      for (String node : multiNodes) {
        String id = node.substring(0, node.length() - 2);
        assertThat(multiNodes).as("multi %s applied atomically", id).contains(id + "-a", id + "-b");
      }

      long[] next = new long[CLIENTS];
      Map<String, AckLog.CounterAck> counters = acks.counters();
      for (int slot = 0; slot < CLIENTS; slot++) {
        String path = WriteLoad.counterPath(slot);
        Stat stat = new Stat();
        long value = Long.parseLong(new String(zk.getData(path, false, stat), StandardCharsets.UTF_8));
        AckLog.CounterAck acked = counters.get(path);
        if (acked != null) {
          assertThat(stat.getVersion()).as("version of %s", path).isGreaterThanOrEqualTo(acked.version());
          assertThat(value).as("value of %s", path).isGreaterThanOrEqualTo(acked.value());
        }
        next[slot] = value + 1;
      }
      return next;
    } catch (KeeperException e) {
      throw new AssertionError("reading back after the restart failed: " + e, e);
    }
  }

  private record SessionCredentials(long sessionId, byte[] password) {
  }

  /**
   * Sessions are acknowledged (ConnectResponse) only once durable, so the sessions of the
   * killed server can be resumed on the restarted one — by a client that has seen the newest
   * acknowledged zxid, which the restarted server must not be behind (it would refuse it).
   */
  private static void resumeSessions(int port, List<SessionCredentials> sessions, long lastZxidSeen) {
    for (SessionCredentials s : sessions) {
      try (WireClient c = WireClient.connect(port)) {
        c.sendConnect(lastZxidSeen, SESSION_TIMEOUT_MS, s.sessionId(), s.password());
        ConnectResponse r = c.readConnectResponse();
        assertThat(r.sessionId()).as("session 0x%x resumed after the kill (lastZxidSeen 0x%x)", s.sessionId(),
            lastZxidSeen).isEqualTo(s.sessionId());
        assertThat(r.timeoutMs()).isPositive();
      }
    }
  }

  /** getData of every {@code /d/<name>}, pipelined (one round trip per request would dominate the test). */
  private static Map<String, byte[]> readAll(ZooKeeper zk, List<String> names) throws InterruptedException {
    Map<String, byte[]> out = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(names.size());
    for (String name : names) {
      zk.getData(WriteLoad.CREATES + "/" + name, false, (rc, path, ctx, bytes, stat) -> {
        if (rc == KeeperException.Code.OK.intValue()) {
          out.put(name, bytes);
        }
        done.countDown();
      }, null);
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).as("replies to %d reads", names.size()).isTrue();
    return out;
  }

  private void closeClientsInBackground() {
    for (ZooKeeper zk : clients) {
      closer.execute(() -> Clients.closeQuietly(zk));
    }
    clients.clear();
  }
}
