package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Plants exactly one violation in a valid history, of the kind asked for, the way a broken
 * ensemble would show it. Returns empty when the history offers no place for that kind (the
 * caller then generates another).
 */
public final class AnomalyInjector {
  /** What is planted, and the anomaly the checkers must report for it. */
  public enum Planted {
    STALE_READ(Anomaly.Kind.STALE_READ),
    LOST_WRITE(Anomaly.Kind.LOST_ACKED),
    DUPLICATE_ID(Anomaly.Kind.DUPLICATE_ID),
    REORDERED_EVENT(Anomaly.Kind.WATCH_ORDER),
    DOUBLE_TAKE(Anomaly.Kind.DOUBLE_TAKE),
    LEAKED_EPHEMERAL(Anomaly.Kind.LEAKED_EPHEMERAL);

    public final Anomaly.Kind detectedAs;

    Planted(Anomaly.Kind detectedAs) {
      this.detectedAs = detectedAs;
    }
  }

  private AnomalyInjector() {
  }

  public static Optional<History> inject(History h, Planted kind, Random random) {
    return switch (kind) {
      case STALE_READ -> staleRead(h, random);
      case LOST_WRITE -> lostWrite(h, random);
      case DUPLICATE_ID -> duplicateId(h, random);
      case REORDERED_EVENT -> reorderedEvent(h, random);
      case DOUBLE_TAKE -> doubleTake(h, random);
      case LEAKED_EPHEMERAL -> leakedEphemeral(h, random);
    };
  }

  /** A read after sync returns an acknowledged write older than one that completed before the read began. */
  private static Optional<History> staleRead(History h, Random random) {
    List<Op> ops = h.ops();
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).kind() == Kind.SYNC_READ) {
        reads.add(i);
      }
    }
    Collections.shuffle(reads, random);
    for (int i : reads.subList(0, Math.min(reads.size(), 200))) {
      Op r = ops.get(i);
      long newest = -1;
      List<Op> writes = new ArrayList<>();
      for (Op o : ops) {
        if (o.key().equals(r.key()) && o.ok() && o.kind() == Kind.WRITE) {
          writes.add(o);
          if (o.completeNanos() < r.invokeNanos()) {
            newest = Math.max(newest, o.mzxid());
          }
        }
      }
      long bound = newest;
      List<Op> older = writes.stream().filter(w -> w.mzxid() < bound).toList();
      if (!older.isEmpty()) {
        Op w = older.get(random.nextInt(older.size()));
        List<Op> changed = new ArrayList<>(ops);
        changed.set(i, r.withRead(w.value(), w.mzxid()));
        return Optional.of(withOps(h, changed));
      }
    }
    return Optional.empty();
  }

  /** An acknowledged create is missing at the end. */
  private static Optional<History> lostWrite(History h, Random random) {
    List<String> acked = h.ops().stream().filter(o -> o.kind() == Kind.CREATE && o.ok()).map(Op::key).toList();
    if (acked.isEmpty()) {
      return Optional.empty();
    }
    Set<String> fin = new HashSet<>(h.finalSet());
    fin.remove(acked.get(random.nextInt(acked.size())));
    return Optional.of(new History(h.ops(), fin, h.finalCounter(), h.finalQueue(), h.sessions(), h.ephemerals(),
        h.observations(), h.ephemeralBoundNanos(), h.watches(), h.changes()));
  }

  /** Two acknowledged sequential creates get the same name. */
  private static Optional<History> duplicateId(History h, Random random) {
    List<Integer> acked = new ArrayList<>();
    for (int i = 0; i < h.ops().size(); i++) {
      if (h.ops().get(i).kind() == Kind.SEQ_CREATE && h.ops().get(i).ok()) {
        acked.add(i);
      }
    }
    if (acked.size() < 2) {
      return Optional.empty();
    }
    int a = acked.get(random.nextInt(acked.size()));
    int b = acked.get(random.nextInt(acked.size()));
    if (a == b) {
      b = acked.get((acked.indexOf(a) + 1) % acked.size());
    }
    List<Op> changed = new ArrayList<>(h.ops());
    changed.set(b, h.ops().get(b).withName(h.ops().get(a).name()));
    return Optional.of(withOps(h, changed));
  }

  /** Two consecutive events of one session with different zxids arrive swapped. */
  private static Optional<History> reorderedEvent(History h, Random random) {
    List<WatchChecker.Record> records = new ArrayList<>(h.watches());
    List<int[]> pairs = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      WatchChecker.Record a = records.get(i);
      if (a.type() != WatchChecker.Type.EVENT) {
        continue;
      }
      for (int j = i + 1; j < records.size(); j++) {
        WatchChecker.Record b = records.get(j);
        if (b.session() == a.session() && b.type() == WatchChecker.Type.EVENT) {
          if (b.zxid() != a.zxid()) {
            pairs.add(new int[] {i, j});
          }
          break;
        }
      }
    }
    if (pairs.isEmpty()) {
      return Optional.empty();
    }
    int[] p = pairs.get(random.nextInt(pairs.size()));
    WatchChecker.Record a = records.get(p[0]);
    WatchChecker.Record b = records.get(p[1]);
    records.set(p[0], new WatchChecker.Record(a.session(), a.seq(), a.type(), b.path(), b.zxid()));
    records.set(p[1], new WatchChecker.Record(b.session(), b.seq(), b.type(), a.path(), a.zxid()));
    return Optional.of(new History(h.ops(), h.finalSet(), h.finalCounter(), h.finalQueue(), h.sessions(),
        h.ephemerals(), h.observations(), h.ephemeralBoundNanos(), records, h.changes()));
  }

  /** A second client also takes an item someone took. */
  private static Optional<History> doubleTake(History h, Random random) {
    List<Op> taken = h.ops().stream().filter(o -> o.kind() == Kind.DEQUEUE && o.ok()).toList();
    if (taken.isEmpty()) {
      return Optional.empty();
    }
    Op t = taken.get(random.nextInt(taken.size()));
    List<Op> changed = new ArrayList<>(h.ops());
    changed.add(new Op(t.process() + 1, t.session() + 1, Kind.DEQUEUE, t.key(), t.value(), 0, null,
        t.completeNanos() + 1, t.completeNanos() + 6, Op.Outcome.OK, -1, -1, -1));
    return Optional.of(withOps(h, changed));
  }

  /** A dead session's ephemeral is seen after its timeout plus the bound. */
  private static Optional<History> leakedEphemeral(History h, Random random) {
    List<EphemeralChecker.Node> ofDead = h.ephemerals().stream()
        .filter(n -> h.sessions().get(n.owner()).diedAtNanos() != Long.MAX_VALUE).toList();
    if (ofDead.isEmpty()) {
      return Optional.empty();
    }
    EphemeralChecker.Node n = ofDead.get(random.nextInt(ofDead.size()));
    EphemeralChecker.Session s = h.sessions().get(n.owner());
    long at = s.diedAtNanos() + s.timeoutNanos() + h.ephemeralBoundNanos() + 1 + random.nextInt(1_000);
    List<EphemeralChecker.Observation> observations = new ArrayList<>(h.observations());
    Set<String> present = new HashSet<>(Set.of(n.path()));
    h.ephemerals().stream().filter(e -> h.sessions().get(e.owner()).alive(at + 10)).forEach(e -> present.add(e.path()));
    observations.add(new EphemeralChecker.Observation(at, at + 10, present));
    return Optional.of(new History(h.ops(), h.finalSet(), h.finalCounter(), h.finalQueue(), h.sessions(),
        h.ephemerals(), observations, h.ephemeralBoundNanos(), h.watches(), h.changes()));
  }

  private static History withOps(History h, List<Op> ops) {
    return new History(ops, h.finalSet(), h.finalCounter(), h.finalQueue(), h.sessions(), h.ephemerals(),
        h.observations(), h.ephemeralBoundNanos(), h.watches(), h.changes());
  }
}
