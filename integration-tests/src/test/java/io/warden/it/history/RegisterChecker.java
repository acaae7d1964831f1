package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a versioned register per key using the zxids every reply carries (DESIGN.md D6): the
 * zxid of a write is its place in the one total order, so the search Knossos and Porcupine do
 * becomes a sweep. Per key:
 *
 * <ul>
 *   <li>acknowledged writes have distinct mzxids, and versions that rise with them;</li>
 *   <li>every read returns the value written at its mzxid; a read of an unknown mzxid resolves
 *       an indeterminate write of that value (values are unique per key) or is a phantom;</li>
 *   <li>linearizable operations (acknowledged writes and reads after sync) respect real time: an
 *       operation that completed before another was invoked has the smaller (read: not larger)
 *       zxid, and a read never sees a write invoked after the read completed;</li>
 *   <li>plain reads are sequentially consistent per session: a session never goes back.</li>
 * </ul>
 *
 * The first write of a key is its create (an unconditional write, {@code arg < 0}).
 */
public final class RegisterChecker {
  private RegisterChecker() {
  }

  public static List<Anomaly> check(List<Op> ops) {
    Map<String, List<Op>> byKey = ops.stream()
        .filter(o -> o.kind() == Kind.READ || o.kind() == Kind.SYNC_READ || o.kind() == Kind.WRITE)
        .collect(Collectors.groupingBy(Op::key, TreeMap::new, Collectors.toList()));
    List<Anomaly> out = new ArrayList<>();
    byKey.values().forEach(keyOps -> out.addAll(checkKey(keyOps)));
    return out;
  }

  /** The observed zxid of an operation: what it wrote (writes) or what it saw (reads). */
  private record Seen(Op op, long zxid) {
  }

  public static List<Anomaly> checkKey(List<Op> ops) {
    List<Anomaly> out = new ArrayList<>();
    Map<Long, Op> writeAt = new HashMap<>();
    Map<Long, Op> indeterminateByValue = new HashMap<>();
    for (Op w : ops) {
      if (w.kind() != Kind.WRITE) {
        continue;
      }
      if (w.ok()) {
        Op prior = writeAt.put(w.mzxid(), w);
        if (prior != null) {
          out.add(new Anomaly(Anomaly.Kind.WRITE_ORDER, "two acknowledged writes at mzxid " + w.mzxid() + ": " + prior
              + " and " + w));
        }
        if (w.arg() >= 0 && w.version() != w.arg() + 1) {
          out.add(new Anomaly(Anomaly.Kind.WRITE_ORDER, "versioned write acknowledged with a wrong version: " + w));
        }
      } else if (w.outcome() == Op.Outcome.INDETERMINATE) {
        indeterminateByValue.put(w.value(), w);
      }
    }
    List<Op> reads = ops.stream().filter(o -> o.kind() != Kind.WRITE && o.ok()).toList();
    for (Op r : reads) {
      Op w = writeAt.get(r.mzxid());
      if (w == null) {
        w = indeterminateByValue.get(r.value());
        if (w != null) {
          writeAt.put(r.mzxid(), w); // the indeterminate write happened, at this zxid
          continue;
        }
        out.add(new Anomaly(Anomaly.Kind.PHANTOM_READ, "read of a value no write produced at that mzxid: " + r));
      } else if (w.value() != r.value()) {
        out.add(new Anomaly(Anomaly.Kind.PHANTOM_READ, "read " + r + " but the write at that mzxid was " + w));
      }
    }
    checkVersionsRiseWithZxid(writeAt, out);
    checkRealTime(ops, writeAt, out);
    checkSessions(ops, out);
    return out;
  }

  private static void checkVersionsRiseWithZxid(Map<Long, Op> writeAt, List<Anomaly> out) {
    Op previous = null;
    for (Op w : new TreeMap<>(writeAt).values()) {
      if (!w.ok()) {
        continue;
      }
      if (previous != null && w.version() <= previous.version()) {
        out.add(new Anomaly(Anomaly.Kind.WRITE_ORDER, "version does not rise with mzxid: " + previous + " then " + w));
      }
      previous = w;
    }
  }

  private static void checkRealTime(List<Op> ops, Map<Long, Op> writeAt, List<Anomaly> out) {
    List<Seen> lin = new ArrayList<>();
    for (Op o : ops) {
      if (o.ok() && (o.kind() == Kind.WRITE || o.kind() == Kind.SYNC_READ)) {
        lin.add(new Seen(o, o.mzxid()));
      }
      if (o.ok() && o.kind() == Kind.SYNC_READ) {
        Op w = writeAt.get(o.mzxid());
        if (w != null && w.invokeNanos() > o.completeNanos()) {
          out.add(new Anomaly(Anomaly.Kind.PHANTOM_READ, "read from the future: " + o + " saw " + w));
        }
      }
    }
    List<Seen> byComplete = new ArrayList<>(lin);
    byComplete.sort(Comparator.comparingLong(s -> s.op().completeNanos()));
    List<Seen> byInvoke = new ArrayList<>(lin);
    byInvoke.sort(Comparator.comparingLong(s -> s.op().invokeNanos()));
    int next = 0;
    Seen maxBefore = null;
    for (Seen b : byInvoke) {
      while (next < byComplete.size() && byComplete.get(next).op().completeNanos() < b.op().invokeNanos()) {
        Seen a = byComplete.get(next++);
        if (maxBefore == null || a.zxid() > maxBefore.zxid()) {
          maxBefore = a;
        }
      }
      if (maxBefore == null) {
        continue;
      }
      boolean isWrite = b.op().kind() == Kind.WRITE;
      if (isWrite && b.zxid() <= maxBefore.zxid()) {
        out.add(new Anomaly(Anomaly.Kind.WRITE_ORDER, b.op() + " was invoked after " + maxBefore.op()
            + " completed but has no larger zxid"));
      } else if (!isWrite && b.zxid() < maxBefore.zxid()) {
        out.add(new Anomaly(Anomaly.Kind.STALE_READ, b.op() + " is older than " + maxBefore.op()
            + ", which completed before it was invoked"));
      }
    }
  }

  /** Sequential consistency: each session's successful operations see non-decreasing zxids. */
  private static void checkSessions(List<Op> ops, List<Anomaly> out) {
    Map<Long, List<Op>> bySession = ops.stream().filter(Op::ok)
        .collect(Collectors.groupingBy(Op::session, TreeMap::new, Collectors.toList()));
    for (List<Op> session : bySession.values()) {
      List<Op> ordered = new ArrayList<>(session);
      ordered.sort(Comparator.comparingLong(Op::invokeNanos));
      Op last = null;
      for (Op o : ordered) {
        if (last != null && o.mzxid() < last.mzxid()) {
          out.add(new Anomaly(Anomaly.Kind.STALE_READ, "session went back: " + last + " then " + o));
        }
        if (last == null || o.mzxid() >= last.mzxid()) {
          last = o;
        }
      }
    }
  }
}
