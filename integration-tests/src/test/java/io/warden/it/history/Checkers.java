package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Runs every checker over a history; the WGL search cross-checks each register key it can afford. */
public final class Checkers {
  /** Keys with more linearizable operations than this are left to the zxid checker alone. */
  static final int WGL_OPS_MAX = 5_000;
  /** The search is exponential in the worst case; past this it reports that it gave up. */
  private static final long WGL_STEPS_MAX = 5_000_000;

  /** What the checkers found, and how many WGL searches ran and gave up. */
  public record Verdict(List<Anomaly> anomalies, int wglChecked, int wglGaveUp) {
    public long count(Anomaly.Kind... kinds) {
      return anomalies.stream().filter(a -> List.of(kinds).contains(a.kind())).count();
    }

    public Map<Anomaly.Kind, Long> byKind() {
      return anomalies.stream().collect(Collectors.groupingBy(Anomaly::kind, () -> new EnumMap<>(Anomaly.Kind.class),
          Collectors.counting()));
    }
  }

  private Checkers() {
  }

  public static Verdict check(History h) {
    List<Anomaly> out = new ArrayList<>();
    int checked = 0;
    int gaveUp = 0;
    Map<String, List<Op>> registers = h.ops().stream()
        .filter(o -> o.kind() == Kind.WRITE || o.kind() == Kind.SYNC_READ || o.kind() == Kind.READ)
        .collect(Collectors.groupingBy(Op::key, TreeMap::new, Collectors.toList()));
    for (Map.Entry<String, List<Op>> e : registers.entrySet()) {
      List<Anomaly> found = RegisterChecker.checkKey(e.getValue());
      out.addAll(found);
      if (e.getValue().stream().filter(o -> o.kind() != Kind.READ).count() > WGL_OPS_MAX) {
        continue;
      }
      WglRegister.Result r = WglRegister.check(e.getValue(), WGL_STEPS_MAX);
      checked++;
      if (r == WglRegister.Result.GAVE_UP) {
        gaveUp++;
      } else if (r == WglRegister.Result.NOT_LINEARIZABLE && found.isEmpty()) {
        // the zxid checker uses more facts than WGL, so it may alarm alone; never the reverse
        out.add(new Anomaly(Anomaly.Kind.WGL_DISAGREES, "key " + e.getKey()
            + ": the WGL search finds no linearization but the zxid checker found nothing"));
      }
    }
    out.addAll(SetChecker.check(h.ops(), h.finalSet()));
    out.addAll(UniqueIdChecker.check(h.ops()));
    if (h.ops().stream().anyMatch(o -> o.kind() == Kind.INCREMENT)) {
      out.addAll(CounterChecker.check(h.ops(), h.finalCounter()));
    }
    out.addAll(QueueChecker.check(h.ops(), h.finalQueue()));
    out.addAll(EphemeralChecker.check(h.sessions(), h.ephemerals(), h.observations(), h.ephemeralBoundNanos()));
    out.addAll(WatchChecker.check(h.watches(), h.changes()));
    return new Verdict(out, checked, gaveUp);
  }
}
