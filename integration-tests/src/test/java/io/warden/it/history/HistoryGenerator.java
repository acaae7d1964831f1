package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import io.warden.it.history.Op.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates valid histories of every workload from a seed, by simulating a correct ensemble: each
 * operation takes effect at a random instant inside its interval, in that order, with one zxid
 * counter; plain reads see a state no older than their session has seen. Failures and
 * indeterminate outcomes are sprinkled in as a faulty network would. {@link AnomalyInjector}
 * then plants exactly one violation.
 */
public final class HistoryGenerator {
  static final long EPHEMERAL_TIMEOUT = 1_000;
  static final long EPHEMERAL_BOUND = 500;

  private final Random random;
  private long zxid = 100;
  private long nextValue = 1;

  public HistoryGenerator(long seed) {
    this.random = new Random(seed);
  }

  public History generate() {
    List<Op> ops = new ArrayList<>();
    int processes = 2 + random.nextInt(4);
    int keys = 1 + random.nextInt(2);
    for (int k = 0; k < keys; k++) {
      ops.addAll(register("/r" + k, processes, 4 + random.nextInt(12)));
    }
    Set<String> finalSet = new HashSet<>();
    ops.addAll(set(processes, finalSet));
    ops.addAll(uniqueIds(processes));
    long[] counter = {0};
    ops.addAll(counter(processes, counter));
    List<Long> finalQueue = new ArrayList<>();
    ops.addAll(queue(processes, finalQueue));
    Map<Long, EphemeralChecker.Session> sessions = new HashMap<>();
    List<EphemeralChecker.Node> nodes = new ArrayList<>();
    List<EphemeralChecker.Observation> observations = ephemerals(sessions, nodes);
    List<WatchChecker.Change> changes = new ArrayList<>();
    List<WatchChecker.Record> watches = watches(changes);
    return new History(ops, finalSet, counter[0], finalQueue, sessions, nodes, observations, EPHEMERAL_BOUND, watches,
        changes);
  }

  private record Planned(int process, Kind kind, long invoke, long lin, long complete) {
  }

  /** Per process, back-to-back intervals; the instants they take effect, in order. */
  private List<Planned> plan(int processes, int opsPerProcess, Kind... kinds) {
    List<Planned> plans = new ArrayList<>();
    for (int p = 0; p < processes; p++) {
      long t = 1_000 + random.nextInt(20);
      for (int i = 0; i < opsPerProcess; i++) {
        long invoke = t + random.nextInt(5);
        long lin = invoke + 1 + random.nextInt(30);
        long complete = lin + 1 + random.nextInt(30);
        plans.add(new Planned(p, kinds[random.nextInt(kinds.length)], invoke, lin, complete));
        t = complete + 1;
      }
    }
    plans.sort(Comparator.comparingLong(Planned::lin));
    return plans;
  }

  private Outcome okOr(double indeterminate) {
    return random.nextDouble() < indeterminate ? Outcome.INDETERMINATE : Outcome.OK;
  }

  private List<Op> register(String key, int processes, int opsPerProcess) {
    List<Op> ops = new ArrayList<>();
    long[] write = {0, ++zxid}; // value, mzxid
    List<long[]> writes = new ArrayList<>();
    writes.add(write.clone());
    int version = 0;
    ops.add(new Op(0, 0, Kind.WRITE, key, 0, -1, null, 0, 1, Outcome.OK, zxid, zxid, 0));
    long[] seen = new long[processes];
    long end = 0;
    for (Planned p : plan(processes, opsPerProcess, Kind.READ, Kind.SYNC_READ, Kind.WRITE, Kind.WRITE)) {
      end = Math.max(end, p.complete());
      switch (p.kind()) {
        case WRITE -> {
          long value = nextValue++;
          int expect = random.nextInt(4) == 0 ? version - 1 : version;
          if (expect != version) {
            Outcome o = random.nextInt(5) == 0 ? Outcome.INDETERMINATE : Outcome.FAILED;
            ops.add(new Op(p.process(), p.process(), Kind.WRITE, key, value, expect, null, p.invoke(), p.complete(), o,
                -1, -1, -1));
            continue;
          }
          version++;
          write = new long[] {value, ++zxid};
          writes.add(write.clone());
          Outcome o = okOr(0.15);
          boolean ok = o == Outcome.OK;
          if (ok) {
            seen[p.process()] = zxid;
          }
          ops.add(new Op(p.process(), p.process(), Kind.WRITE, key, value, expect, null, p.invoke(), p.complete(), o,
              ok ? zxid : -1, ok ? zxid : -1, ok ? version : -1));
        }
        case SYNC_READ -> {
          seen[p.process()] = write[1];
          ops.add(new Op(p.process(), p.process(), Kind.SYNC_READ, key, write[0], 0, null, p.invoke(), p.complete(),
              Outcome.OK, zxid, write[1], version));
        }
        default -> {
          List<long[]> allowed = writes.stream().filter(w -> w[1] >= seen[p.process()]).toList();
          long[] w = allowed.get(random.nextInt(allowed.size()));
          seen[p.process()] = w[1];
          ops.add(new Op(p.process(), p.process(), Kind.READ, key, w[0], 0, null, p.invoke(), p.complete(), Outcome.OK,
              w[1], w[1], -1));
        }
      }
    }
    ops.add(new Op(0, 0, Kind.SYNC_READ, key, write[0], 0, null, end + 10, end + 20, Outcome.OK, zxid, write[1],
        version));
    return ops;
  }

  private List<Op> set(int processes, Set<String> finalSet) {
    List<Op> ops = new ArrayList<>();
    int n = 5 + random.nextInt(20);
    for (int i = 0; i < n; i++) {
      String path = "/set/e-" + i;
      int r = random.nextInt(10);
      Outcome o = r < 7 ? Outcome.OK : r < 8 ? Outcome.FAILED : Outcome.INDETERMINATE;
      boolean applied = o == Outcome.OK || (o == Outcome.INDETERMINATE && random.nextBoolean());
      if (applied) {
        finalSet.add(path);
        zxid++;
      }
      ops.add(new Op(random.nextInt(processes), 0, Kind.CREATE, path, i, 0, null, i * 10L, i * 10L + 5, o,
          o == Outcome.OK ? zxid : -1, o == Outcome.OK ? zxid : -1, 0));
    }
    return ops;
  }

  private List<Op> uniqueIds(int processes) {
    List<Op> ops = new ArrayList<>();
    int n = 5 + random.nextInt(20);
    long seq = 0;
    for (int i = 0; i < n; i++) {
      Outcome o = random.nextInt(8) == 0 ? Outcome.INDETERMINATE : Outcome.OK;
      String name = String.format("/ids/id-%010d", seq++);
      zxid++;
      ops.add(new Op(random.nextInt(processes), 0, Kind.SEQ_CREATE, "/ids/id-", i, 0, o == Outcome.OK ? name : null,
          i * 10L, i * 10L + 5, o, o == Outcome.OK ? zxid : -1, o == Outcome.OK ? zxid : -1, 0));
    }
    return ops;
  }

  private List<Op> counter(int processes, long[] value) {
    List<Op> ops = new ArrayList<>();
    int n = 3 + random.nextInt(15);
    for (int i = 0; i < n; i++) {
      int r = random.nextInt(10);
      Outcome o = r < 7 ? Outcome.OK : r < 9 ? Outcome.FAILED : Outcome.INDETERMINATE;
      boolean applied = o == Outcome.OK || (o == Outcome.INDETERMINATE && random.nextBoolean());
      if (applied) {
        value[0]++;
        zxid++;
      }
      ops.add(new Op(random.nextInt(processes), 0, Kind.INCREMENT, "/counter", value[0], 0, null, i * 10L,
          i * 10L + 5, o, applied ? zxid : -1, applied ? zxid : -1, applied ? (int) value[0] : -1));
    }
    return ops;
  }

  private List<Op> queue(int processes, List<Long> finalQueue) {
    List<Op> ops = new ArrayList<>();
    Set<Long> present = new LinkedHashSet<>();
    int n = 3 + random.nextInt(15);
    long t = 0;
    for (long item = 1; item <= n; item++) {
      int r = random.nextInt(10);
      Outcome o = r < 8 ? Outcome.OK : r < 9 ? Outcome.FAILED : Outcome.INDETERMINATE;
      if (o == Outcome.OK || (o == Outcome.INDETERMINATE && random.nextBoolean())) {
        present.add(item);
      }
      ops.add(new Op(random.nextInt(processes), 0, Kind.ENQUEUE, "/queue", item, 0, null, t, t + 5, o, -1, -1, -1));
      t += 10;
    }
    for (Long item : new ArrayList<>(present)) {
      if (random.nextInt(3) == 0) {
        continue; // left in the queue
      }
      Outcome o = okOr(0.15);
      boolean applied = o == Outcome.OK || random.nextBoolean();
      if (applied) {
        present.remove(item);
      }
      ops.add(new Op(random.nextInt(processes), 0, Kind.DEQUEUE, "/queue", item, 0, null, t, t + 5, o, -1, -1, -1));
      t += 10;
    }
    finalQueue.addAll(present);
    return ops;
  }

  /** Sessions, some of whose clients vanish; a read after sync observes the ephemerals now and then. */
  private List<EphemeralChecker.Observation> ephemerals(Map<Long, EphemeralChecker.Session> sessions,
      List<EphemeralChecker.Node> nodes) {
    int n = 2 + random.nextInt(4);
    Map<Long, Long> expiresAt = new HashMap<>();
    for (long s = 1; s <= n; s++) {
      boolean dies = random.nextBoolean();
      long died = dies ? 200 + random.nextInt(3_000) : Long.MAX_VALUE;
      sessions.put(s, new EphemeralChecker.Session(s, died, EPHEMERAL_TIMEOUT));
      expiresAt.put(s, dies ? died + EPHEMERAL_TIMEOUT + random.nextInt((int) EPHEMERAL_BOUND) : Long.MAX_VALUE);
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        nodes.add(new EphemeralChecker.Node("/eph/s" + s + "-" + i, s, 10 + random.nextInt(90)));
      }
    }
    List<EphemeralChecker.Observation> observations = new ArrayList<>();
    for (long t = 150; t < 6_000; t += 100 + random.nextInt(400)) {
      long invoke = t;
      long lin = invoke + random.nextInt(50);
      Set<String> present = new HashSet<>();
      for (EphemeralChecker.Node node : nodes) {
        if (lin < expiresAt.get(node.owner())) {
          present.add(node.path());
        }
      }
      observations.add(new EphemeralChecker.Observation(invoke, lin + random.nextInt(50), present));
    }
    return observations;
  }

  /**
   * Changes to /wp (watched persistently) and /wo (watched once); each session receives in zxid
   * order what a correct server sends: every /wp change while connected, the first /wo change
   * after each one-shot registration; it disconnects now and then and re-adds its watch.
   */
  private List<WatchChecker.Record> watches(List<WatchChecker.Change> changes) {
    int count = 10 + random.nextInt(30);
    for (int i = 0; i < count; i++) {
      changes.add(new WatchChecker.Change(random.nextBoolean() ? "/wp" : "/wo", ++zxid));
    }
    List<WatchChecker.Record> records = new ArrayList<>();
    int sessions = 1 + random.nextInt(3);
    for (long s = 1; s <= sessions; s++) {
      long seq = 0;
      long start = changes.get(0).zxid() - 1;
      records.add(new WatchChecker.Record(s, seq++, WatchChecker.Type.PERSISTENT, "/wp", start));
      records.add(new WatchChecker.Record(s, seq++, WatchChecker.Type.ONE_SHOT, "/wo", start));
      boolean connected = true;
      boolean armed = true;
      long last = start;
      for (WatchChecker.Change c : changes) {
        if (connected && random.nextInt(8) == 0) {
          records.add(new WatchChecker.Record(s, seq++, WatchChecker.Type.DISCONNECTED, null, last));
          connected = false;
        } else if (!connected && random.nextInt(3) == 0) {
          last = c.zxid() - 1; // the first reply after reconnecting carries the newest zxid
          records.add(new WatchChecker.Record(s, seq++, WatchChecker.Type.PERSISTENT, "/wp", last));
          connected = true;
        }
        if (!connected) {
          continue;
        }
        last = c.zxid();
        if (c.path().equals("/wp") || armed) {
          records.add(new WatchChecker.Record(s, seq++, WatchChecker.Type.EVENT, c.path(), c.zxid()));
          armed &= !c.path().equals("/wo");
        }
        if (!armed && random.nextBoolean()) {
          records.add(new WatchChecker.Record(s, seq++, WatchChecker.Type.ONE_SHOT, "/wo", c.zxid()));
          armed = true;
        }
      }
      records.add(new WatchChecker.Record(s, seq, WatchChecker.Type.DISCONNECTED, null, last));
    }
    return records;
  }
}
