package io.warden.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.client.WardenClient;
import io.warden.it.bench.BenchCluster.Kind;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 7's scale cases, Apache ZooKeeper and Warden one after the other in one run, each a
 * 3-node ensemble of separate JVMs ({@link BenchCluster}: same zoo.cfg, same heap): 1M znodes —
 * memory per znode, the newest snapshot's size, data on disk, and the time a whole ensemble
 * takes from a restart (all three killed with SIGKILL) until every member serves the last znode
 * (polled every 20 ms over fresh connections, {@link ServingProbe});
 * then 100k watches — their memory, and how long until all 100k notifications have arrived after
 * the watched nodes change. Writes target/bench/ZNODES.md. Not in the default build: the {@code
 * bench} profile runs it (README, "Benchmark").
 *
 * <p>Memory is read from the servers themselves: the live heap after a full GC ({@code jcmd
 * GC.run}, then {@code GC.heap_info}) and the resident set ({@code VmRSS}), averaged over the
 * three members. The heap is what the znodes keep alive; the resident set adds what lives off
 * the heap (RocksDB's memtables and caches, for Warden) and what the collector has touched.
 *
 * <p>System properties: {@code znodes.count} (1,000,000), {@code znodes.valueBytes} (100),
 * {@code znodes.watchSessions} (100) × {@code znodes.watchesPerSession} (1,000).
 */
class ZnodeScaleBench {
  private static final Path OUT = Path.of("target", "bench");
  private static final int COUNT = Integer.getInteger("znodes.count", 1_000_000);
  private static final int VALUE_BYTES = Integer.getInteger("znodes.valueBytes", 100);
  private static final int WATCH_SESSIONS = Integer.getInteger("znodes.watchSessions", 100);
  private static final int WATCHES_PER_SESSION = Integer.getInteger("znodes.watchesPerSession", 1000);
  /** Whole-ensemble restarts per server kind; the table has their median (one run varies by seconds). */
  private static final int RESTARTS = Integer.getInteger("znodes.restarts", 3);
  private static final int PER_PARENT = 1000;
  private static final int WRITERS = 8;
  private static final int IN_FLIGHT = 128;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final Pattern WARDEN_SNAPSHOT = Pattern.compile("snapshot at index \\d+: (\\d+) znodes, (\\d+) bytes");

  /** One server's figures. */
  record Figures(double heapBaseMb, double heapMb, double rssBaseMb, double rssMb, double createSeconds,
      long snapshotBytes, long diskBytes, double[] restartSeconds, double heapWatchesMb, double rssWatchesMb,
      double fanOutMs) {
    double restartMedian() {
      return Markdown.median(restartSeconds);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void znodesAndWatchesAtScale() throws Exception {
    Path jar = BenchCluster.wardenJar();
    Path logback = BenchCluster.zooKeeperLogback(OUT);
    Instant started = Instant.now();
    String loadAtStart = BenchMachine.loadAverage();
    Map<Kind, Figures> figures = new EnumMap<>(Kind.class);
    for (Kind kind : List.of(Kind.ZOOKEEPER, Kind.WARDEN)) {
      figures.put(kind, runOne(kind, jar, logback));
    }
    String report = report(started, loadAtStart, figures);
    Files.writeString(OUT.resolve("ZNODES.md"), report);
    System.out.println(report);
  }

  private static Figures runOne(Kind kind, Path jar, Path logback) throws Exception {
    Path root = OUT.resolve("znodes-" + kind.name().toLowerCase());
    try (BenchCluster cluster = BenchCluster.create(kind, root, 3, jar, logback)) {
      cluster.startAll();
      String connect = cluster.followersFirst(cluster.awaitStable(Duration.ofSeconds(90)));
      double[] base = memory(cluster);
      long t0 = System.nanoTime();
      createAll(kind, connect);
      double createSeconds = (System.nanoTime() - t0) / 1e9;
      double[] loaded = settledMemory(cluster);
      say(kind, String.format("%,d znodes in %.1f s; heap %.0f -> %.0f MB, RSS %.0f -> %.0f MB per member", COUNT,
          createSeconds, base[0], loaded[0], base[1], loaded[1]));

      double[] watched = new double[2];
      double fanOutMs = watches(kind, connect, cluster, watched);

      long snapshot = snapshotBytes(kind, root);
      long disk = 0;
      for (int id = 1; id <= 3; id++) {
        disk += sizeOf(root.resolve("server-" + id).resolve("data"));
      }
      double[] restartSeconds = new double[RESTARTS];
      for (int run = 0; run < RESTARTS; run++) {
        for (int id = 1; id <= 3; id++) {
          cluster.server(id).kill();
        }
        long r0 = System.nanoTime();
        cluster.startAll();
        for (int id = 1; id <= 3; id++) {
          ServingProbe.awaitServes(cluster.server(id).clientPort(), lastPath(), Duration.ofMinutes(10));
        }
        restartSeconds[run] = (System.nanoTime() - r0) / 1e9;
        say(kind, String.format("restart %d of %d, all three members to serving the last znode: %.1f s", run + 1,
            RESTARTS, restartSeconds[run]));
      }
      return new Figures(base[0], loaded[0], base[1], loaded[1], createSeconds, snapshot, disk / 3,
          restartSeconds, watched[0] - loaded[0], watched[1] - loaded[1], fanOutMs);
    }
  }

  private static String path(int i) {
    return String.format("/scale/p%04d/n%06d", i / PER_PARENT, i);
  }

  private static String lastPath() {
    return path(COUNT - 1);
  }

  /** {@code COUNT} znodes over {@code WRITERS} sessions, each keeping {@code IN_FLIGHT} creates outstanding. */
  private static void createAll(Kind kind, String connect) throws Exception {
    byte[] value = new byte[VALUE_BYTES];
    try (WardenClient setup = connected(connect)) {
      setup.blocking().create("/scale", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int p = 0; p * PER_PARENT < COUNT; p++) {
        setup.blocking().create(String.format("/scale/p%04d", p), null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
    }
    AtomicLong done = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int first = w;
      Thread t = new Thread(() -> {
        try (WardenClient c = connected(connect)) {
          Semaphore window = new Semaphore(IN_FLIGHT);
          for (int i = first; i < COUNT && failure.get() == null; i += WRITERS) {
            window.acquire();
            c.create(path(i), value, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).whenComplete((r, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
              done.incrementAndGet();
              window.release();
            });
          }
          window.acquire(IN_FLIGHT); // every create answered
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      }, "znode-writer-" + w);
      writers.add(t);
      t.start();
    }
    long next = COUNT / 10;
    while (writers.stream().anyMatch(Thread::isAlive)) {
      writers.get(0).join(1000);
      if (done.get() >= next) {
        say(kind, String.format("%,d/%,d znodes created", done.get(), COUNT));
        next += COUNT / 10;
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException(kind.label + ": a create failed", failure.get());
    }
  }

  /**
   * {@code WATCH_SESSIONS} sessions each set a data watch on the same {@code WATCHES_PER_SESSION}
   * znodes; then one writer changes those znodes and the clock runs until every session has
   * heard of every change. Returns the fan-out time; {@code memory} gets heap and RSS with the
   * watches set.
   */
  private static double watches(Kind kind, String connect, BenchCluster cluster, double[] memory) throws Exception {
    int total = WATCH_SESSIONS * WATCHES_PER_SESSION;
    CountDownLatch notified = new CountDownLatch(total);
    List<WardenClient> sessions = new ArrayList<>();
    try {
      for (int s = 0; s < WATCH_SESSIONS; s++) {
        WardenClient c = connected(connect);
        sessions.add(c);
        List<CompletableFuture<?>> set = new ArrayList<>();
        for (int i = 0; i < WATCHES_PER_SESSION; i++) {
          set.add(c.getData(path(i), e -> {
            if (e.type() == EventType.NODE_DATA_CHANGED) {
              notified.countDown();
            }
          }).toCompletableFuture());
        }
        CompletableFuture.allOf(set.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
      }
      double[] m = memory(cluster);
      memory[0] = m[0];
      memory[1] = m[1];
      long t0;
      try (WardenClient writer = connected(connect)) {
        t0 = System.nanoTime();
        List<CompletableFuture<?>> sets = new ArrayList<>();
        for (int i = 0; i < WATCHES_PER_SESSION; i++) {
          sets.add(writer.setData(path(i), new byte[] {1}, -1).toCompletableFuture());
        }
        CompletableFuture.allOf(sets.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        assertThat(notified.await(2, TimeUnit.MINUTES)).as("%s: all %d notifications", kind.label, total).isTrue();
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      say(kind, String.format("%,d watches set: heap %.0f MB per member; all notified %.0f ms after the first change",
          total, memory[0], ms));
      return ms;
    } finally {
      sessions.forEach(WardenClient::close);
    }
  }

  private static WardenClient connected(String connect) throws Exception {
    WardenClient c = WardenClient.builder(connect).sessionTimeout(Duration.ofSeconds(30)).build();
    if (!c.awaitConnected(Duration.ofSeconds(60))) {
      c.close();
      throw new IllegalStateException("cannot connect to " + connect);
    }
    return c;
  }

  /**
   * {@link #memory} once it stops falling: read every 5 s (at most 12 times) until the live heap
   * drops by less than 2%. Right after a burst of writes a server still holds work in progress
   * (Warden: the log since the last snapshot and a snapshot being written) that is not the
   * znodes' cost; both servers get the same treatment.
   */
  private static double[] settledMemory(BenchCluster cluster) throws Exception {
    double[] last = memory(cluster);
    for (int i = 0; i < 12; i++) {
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
      double[] now = memory(cluster);
      boolean settled = now[0] >= last[0] * 0.98;
      last = now;
      if (settled) {
        break;
      }
    }
    return last;
  }

  /** Mean over the members of {live heap after a full GC, resident set}, in MB. */
  private static double[] memory(BenchCluster cluster) throws Exception {
    double heap = 0;
    double rss = 0;
    for (int id = 1; id <= 3; id++) {
      long pid = cluster.server(id).pid();
      jcmd(pid, "GC.run");
      heap += firstGroup(HEAP_USED, jcmd(pid, "GC.heap_info")) / 1024.0;
      rss += firstGroup(RSS, Files.readString(Path.of("/proc/" + pid + "/status"))) / 1024.0;
    }
    return new double[] {heap / 3, rss / 3};
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  private static long firstGroup(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + pattern + " in: " + text);
    }
    return Long.parseLong(m.group(1));
  }

  /** The newest snapshot's size, the largest over the members: ZooKeeper's file, Warden's log line. */
  private static long snapshotBytes(Kind kind, Path root) throws IOException {
    long best = 0;
    for (int id = 1; id <= 3; id++) {
      Path server = root.resolve("server-" + id);
      if (kind == Kind.ZOOKEEPER) {
        try (Stream<Path> files = Files.walk(server.resolve("data"))) {
          best = Math.max(best, files.filter(f -> f.getFileName().toString().startsWith("snapshot."))
              .max((a, b) -> Long.compare(lastModified(a), lastModified(b))).map(ZnodeScaleBench::size).orElse(0L));
        }
      } else {
        Matcher m = WARDEN_SNAPSHOT.matcher(Files.readString(server.resolve("server.log")));
        long last = 0;
        while (m.find()) {
          last = Long.parseLong(m.group(2));
        }
        best = Math.max(best, last);
      }
    }
    return best;
  }

  private static long lastModified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0; // deleted meanwhile (a purge)
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(ZnodeScaleBench::size).sum();
    }
  }

  private static void say(Kind kind, String line) {
    System.out.println(kind.label + ": " + line);
  }

  private static String report(Instant started, String loadAtStart, Map<Kind, Figures> f) throws IOException {
    Figures zk = f.get(Kind.ZOOKEEPER);
    Figures w = f.get(Kind.WARDEN);
    StringBuilder md = new StringBuilder("# 1M znodes and 100k watches, Warden vs Apache ZooKeeper\n\n");
    md.append(BenchMachine.describe(started, loadAtStart));
    md.append("- servers: 3 nodes each, one JVM per node (").append(String.join(" ", BenchCluster.HEAP))
        .append("), the same zoo.cfg (tickTime=2000, fsync on, snapCount default), loopback; one ensemble at a time\n");
    md.append("- memory: per member, the live heap after a full GC (jcmd GC.run, GC.heap_info) and the resident"
        + " set (VmRSS), read again every 5 s after the creates until the heap stops falling; per znode ="
        + " the rise over the empty ensemble divided by the count\n");
    md.append(String.format("- load: %,d znodes of %d bytes under %,d parents, created by %d sessions × %d in flight; "
        + "%d sessions × %,d data watches on the same znodes, fired by changing each once%n%n", COUNT, VALUE_BYTES,
        (COUNT + PER_PARENT - 1) / PER_PARENT, WRITERS, IN_FLIGHT, WATCH_SESSIONS, WATCHES_PER_SESSION));
    md.append("| case | ZooKeeper | Warden | Warden / ZooKeeper |\n|---|---:|---:|---:|\n");
    row(md, "live heap per znode after a full GC (bytes)", perZnode(zk.heapMb() - zk.heapBaseMb()),
        perZnode(w.heapMb() - w.heapBaseMb()), "%.0f");
    row(md, "resident set per znode (bytes)", perZnode(zk.rssMb() - zk.rssBaseMb()), perZnode(w.rssMb() - w.rssBaseMb()),
        "%.0f");
    row(md, String.format("resident set with %,d znodes (MB per member)", COUNT), zk.rssMb(), w.rssMb(), "%.0f");
    row(md, "creating them (s, 8×128 in flight)", zk.createSeconds(), w.createSeconds(), "%.1f");
    row(md, "newest snapshot (MB)", zk.snapshotBytes() / 1e6, w.snapshotBytes() / 1e6, "%.1f");
    row(md, "data on disk (MB per member)", zk.diskBytes() / 1e6, w.diskBytes() / 1e6, "%.1f");
    row(md, String.format("restart, all 3 killed, until each serves the last znode (s, median of %d)", RESTARTS),
        zk.restartMedian(), w.restartMedian(), "%.1f");
    row(md, String.format("live heap for %,d watches (MB per member)", WATCH_SESSIONS * WATCHES_PER_SESSION),
        zk.heapWatchesMb(), w.heapWatchesMb(), "%.1f");
    row(md, "all watchers notified after the first change (ms)", zk.fanOutMs(), w.fanOutMs(), "%.0f");
    md.append(String.format("%nRestarts (s), in order: ZooKeeper %s; Warden %s%n", runs(zk.restartSeconds()),
        runs(w.restartSeconds())));
    return md.toString();
  }

  private static String runs(double[] seconds) {
    return Arrays.stream(seconds).mapToObj(v -> String.format("%.1f", v)).collect(Collectors.joining(", "));
  }

  private static double perZnode(double mb) {
    return mb * 1024 * 1024 / COUNT;
  }

  private static void row(StringBuilder md, String name, double zk, double w, String format) {
    md.append("| ").append(name).append(" | ").append(String.format(format, zk)).append(" | ")
        .append(String.format(format, w)).append(" | ").append(String.format("%.2f×", w / zk)).append(" |\n");
  }
}
