package io.warden.it.faults;

import static org.awaitility.Awaitility.await;

import io.warden.it.ensemble.ProcessEnsemble;
import io.warden.it.history.AnomalyInjector;
import io.warden.it.history.Checkers;
import io.warden.it.history.History;
import io.warden.it.history.Op;
import io.warden.it.history.Op.Kind;
import io.warden.it.history.WatchChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One run: workloads on both clients against the ensemble while the {@link Nemesis} injects
 * kill, pause and partition faults in a shuffled cycle until the operation target is reached;
 * then the faults heal, the final state is read, and the history is checked.
 */
final class FaultRun {
  static final Duration WORKER_SESSION = Duration.ofSeconds(10);
  static final Duration KEEPER_SESSION = Duration.ofSeconds(15);
  static final Duration MORTAL_SESSION = Duration.ofSeconds(3);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(6);
  /** Beyond its timeout, how long a dead session's ephemerals may linger: elections re-arm every timeout. */
  static final Duration EPHEMERAL_BOUND = Duration.ofSeconds(30);
  private static final int KEYS = 3;
  private static final int FINAL_PROCESS = 1_000;

  /** What one run did and what the checkers found. */
  record Result(int ops, int ok, int failed, int indeterminate, int observations, int watchEvents,
      Map<String, Integer> faults, Checkers.Verdict verdict, int unexpectedExpiries, String faultLog,
      List<String> plantedMissed, int planted, Map<Op.Kind, Long> byKind) {
  }

  private interface StoreFactory {
    Store open() throws Exception;
  }

  private final ProcessEnsemble ensemble;
  private final PeerProxies proxies;
  private final String root;
  private final Random random;
  private final Recorder recorder = new Recorder();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<Throwable> workerFailure = new AtomicReference<>();

  FaultRun(ProcessEnsemble ensemble, PeerProxies proxies, String root, Random random) {
    this.ensemble = ensemble;
    this.proxies = proxies;
    this.root = root;
    this.random = random;
  }

  /** Runs at least {@code cycles} fault cycles and until {@code opsTarget} operations were recorded. */
  Result run(int opsTarget, int cycles) throws Exception {
    String cs = ensemble.connectString();
    StoreFactory zk = () -> new ZkStore(cs, WORKER_SESSION, e -> { });
    StoreFactory warden = () -> new WardenStore(cs, WORKER_SESSION, REQUEST_TIMEOUT);
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      keys.add(root + "/reg/k" + k);
    }
    try (Store admin = warden.open()) {
      setUp(admin, keys);
    }
    Workers w = new Workers(root, recorder);
    List<Thread> threads = new ArrayList<>();
    threads.add(worker(0, w.register(0, new Random(random.nextLong()), KEYS), zk));
    threads.add(worker(1, w.register(1, new Random(random.nextLong()), KEYS), warden));
    threads.add(worker(2, w.register(2, new Random(random.nextLong()), KEYS), zk));
    threads.add(worker(3, w.set(3), warden));
    threads.add(worker(4, w.uniqueIds(4), zk));
    threads.add(worker(5, w.counter(5), zk));
    threads.add(worker(6, w.counter(6), warden));
    threads.add(worker(7, w.queue(7, new Random(random.nextLong())), zk));
    threads.add(worker(8, w.queue(8, new Random(random.nextLong())), warden));
    Nemesis nemesis = new Nemesis(ensemble, proxies, random, stopped);
    try (WatchRecorder watches = new WatchRecorder(cs, root + "/reg", keys, WORKER_SESSION, recorder);
        Ephemerals ephemerals = new Ephemerals(cs, root + "/eph", recorder);
        Store observer = warden.open()) {
      ephemerals.startKeepers(2, KEEPER_SESSION);
      ephemerals.churn(MORTAL_SESSION);
      Thread observing = loop("observer", () -> {
        ephemerals.observe(observer);
        stopped.await(300, TimeUnit.MILLISECONDS);
      });
      threads.forEach(Thread::start);
      observing.start();
      injectFaults(nemesis, ephemerals, opsTarget, cycles);
      stopped.countDown();
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(120));
      }
      observing.join(TimeUnit.SECONDS.toMillis(120));
      if (workerFailure.get() != null) {
        throw new IllegalStateException("a worker failed:\n" + ensemble.describe(), workerFailure.get());
      }
      ensemble.awaitStable(Duration.ofSeconds(90));
      try {
        await().atMost(MORTAL_SESSION.plus(EPHEMERAL_BOUND)).pollInterval(Duration.ofMillis(250)).until(() -> {
          ephemerals.observe(observer);
          return ephemerals.deadSessionsGone();
        });
      } catch (ConditionTimeoutException leaked) {
        // the last observation, past every deadline, shows the leak to the ephemeral checker
      }
      int unexpected = ephemerals.settleUnexpectedExpiries();
      History h;
      try (Store fin = warden.open()) {
        h = finalState(fin, keys, watches);
      }
      return result(h, nemesis, unexpected);
    }
  }

  private void setUp(Store admin, List<String> keys) throws Exception {
    for (String dir : List.of("", "/reg", "/set", "/ids", "/eph", "/queue")) {
      admin.create(root + dir, new byte[0], Store.CreateKind.PERSISTENT);
    }
    admin.create(root + "/counter", Workers.encode(0), Store.CreateKind.PERSISTENT);
    for (String key : keys) {
      long invoke = System.nanoTime();
      admin.create(key, Workers.encode(0), Store.CreateKind.PERSISTENT);
      long complete = System.nanoTime();
      Store.Read r = admin.read(key, true);
      recorder.op(new Op(FINAL_PROCESS, admin.sessionId(), Kind.WRITE, key, 0, -1, null, invoke, complete,
          Op.Outcome.OK, -1, r.mzxid(), r.version()));
    }
  }

  /** Shuffled cycles of kill, pause and partition until the target is reached, each fault followed by progress. */
  private void injectFaults(Nemesis nemesis, Ephemerals ephemerals, int opsTarget, int cycles) throws Exception {
    List<Nemesis.Fault> cycle = new ArrayList<>(List.of(Nemesis.Fault.values()));
    int done = 0;
    do {
      Collections.shuffle(cycle, random);
      for (Nemesis.Fault f : cycle) {
        nemesis.inject(f);
        ephemerals.churn(MORTAL_SESSION);
        int target = recorder.count() + 200; // progress after healing: the ensemble serves again
        try {
          await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
              .until(() -> recorder.count() >= target || workerFailure.get() != null);
        } catch (RuntimeException e) {
          throw new IllegalStateException("no progress after " + f + " (" + recorder.count() + " ops):\n"
              + nemesis.log() + ensemble.describe(), e);
        }
        if (workerFailure.get() != null) {
          throw new IllegalStateException("a worker failed:\n" + ensemble.describe(), workerFailure.get());
        }
      }
      done++;
    } while (done < cycles || recorder.count() < opsTarget);
  }

  private History finalState(Store fin, List<String> keys, WatchRecorder watches) throws Exception {
    for (String key : keys) {
      long invoke = System.nanoTime();
      Store.Read r = fin.read(key, true);
      recorder.op(new Op(FINAL_PROCESS, fin.sessionId(), Kind.SYNC_READ, key, Workers.decode(r.data()), 0, null,
          invoke, System.nanoTime(), Op.Outcome.OK, -1, r.mzxid(), r.version()));
    }
    Set<String> set = new HashSet<>();
    fin.children(root + "/set", true).forEach(c -> set.add(root + "/set/" + c));
    long counter = Workers.decode(fin.read(root + "/counter", true).data());
    List<Long> queue = new ArrayList<>();
    for (String item : fin.children(root + "/queue", true)) {
      queue.add(Workers.decode(fin.read(root + "/queue/" + item, false).data()));
    }
    watches.finish();
    List<Op> ops = recorder.opsSnapshot();
    List<WatchChecker.Change> changes = ops.stream()
        .filter(o -> o.kind() == Kind.WRITE && o.ok() && o.arg() >= 0)
        .map(o -> new WatchChecker.Change(o.key(), o.mzxid())).toList();
    return new History(ops, set, counter, queue, recorder.sessions, new ArrayList<>(recorder.ephemerals),
        new ArrayList<>(recorder.observations), EPHEMERAL_BOUND.toNanos(), new ArrayList<>(recorder.watches), changes);
  }

  private Result result(History h, Nemesis nemesis, int unexpectedExpiries) {
    int ok = 0;
    int failed = 0;
    int indeterminate = 0;
    for (Op o : h.ops()) {
      switch (o.outcome()) {
        case OK -> ok++;
        case FAILED -> failed++;
        case INDETERMINATE -> indeterminate++;
      }
    }
    int events = (int) h.watches().stream().filter(r -> r.type() == WatchChecker.Type.EVENT).count();
    // the checkers must also catch each anomaly planted into this real history (not only generated ones)
    List<String> missed = new ArrayList<>();
    int planted = 0;
    for (AnomalyInjector.Planted kind : AnomalyInjector.Planted.values()) {
      var bad = AnomalyInjector.inject(h, kind, new Random(random.nextLong()));
      if (bad.isPresent()) {
        planted++;
        if (Checkers.check(bad.get()).count(kind.detectedAs) == 0) {
          missed.add(kind.name());
        }
      }
    }
    return new Result(h.ops().size(), ok, failed, indeterminate, h.observations().size(), events,
        new TreeMap<>(nemesis.counts()), Checkers.check(h), unexpectedExpiries, nemesis.log(), missed, planted,
        h.ops().stream().collect(Collectors.groupingBy(Op::kind, TreeMap::new, Collectors.counting())));
  }

  private interface Body {
    void run() throws Exception;
  }

  private Thread loop(String name, Body body) {
    Thread t = new Thread(() -> {
      try {
        while (stopped.getCount() > 0) {
          body.run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable e) {
        workerFailure.compareAndSet(null, e);
      }
    }, root + "-" + name);
    t.setDaemon(true);
    return t;
  }

  /** A process: runs its step until the run stops; a new session replaces an expired one. */
  private Thread worker(int process, Workers.Step step, StoreFactory factory) {
    Store[] store = {null};
    return loop("p" + process, () -> {
      if (store[0] == null) {
        store[0] = factory.open();
      }
      if (!step.run(store[0])) {
        store[0].close();
        store[0] = null;
      }
      if (stopped.getCount() == 0 && store[0] != null) {
        store[0].close();
      }
    });
  }
}
