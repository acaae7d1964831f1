package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A counter incremented by multi(check version, setData): each acknowledged increment moved the
 * counter to a new version (no two share one), and the final value lies between the number of
 * acknowledged increments and that plus the indeterminate ones.
 */
public final class CounterChecker {
  private CounterChecker() {
  }

  public static List<Anomaly> check(List<Op> ops, long finalValue) {
    List<Anomaly> out = new ArrayList<>();
    Map<Integer, Op> byVersion = new HashMap<>();
    long acked = 0;
    long indeterminate = 0;
    for (Op o : ops) {
      if (o.kind() != Kind.INCREMENT) {
        continue;
      }
      if (o.ok()) {
        acked++;
        Op prior = byVersion.put(o.version(), o);
        if (prior != null) {
          out.add(new Anomaly(Anomaly.Kind.COUNTER, "two increments to version " + o.version() + ": " + prior + " and "
              + o));
        }
      } else if (o.outcome() == Op.Outcome.INDETERMINATE) {
        indeterminate++;
      }
    }
    if (finalValue < acked || finalValue > acked + indeterminate) {
      out.add(new Anomaly(Anomaly.Kind.COUNTER, "final value " + finalValue + " outside [" + acked + ", "
          + (acked + indeterminate) + "] (acknowledged, plus indeterminate)"));
    }
    return out;
  }
}
