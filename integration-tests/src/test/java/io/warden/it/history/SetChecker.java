package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unique creates: every acknowledged create is present at the end; a create that definitely
 * failed is not; an indeterminate one may be either (the final state resolves it); nothing is
 * present that no one tried to create.
 */
public final class SetChecker {
  private SetChecker() {
  }

  public static List<Anomaly> check(List<Op> ops, Set<String> finalPresent) {
    List<Anomaly> out = new ArrayList<>();
    Map<String, Op> attempts = new HashMap<>();
    for (Op o : ops) {
      if (o.kind() == Kind.CREATE) {
        attempts.merge(o.key(), o, (a, b) -> a.ok() ? a : b);
      }
    }
    for (Op o : attempts.values()) {
      boolean present = finalPresent.contains(o.key());
      if (o.ok() && !present) {
        out.add(new Anomaly(Anomaly.Kind.LOST_ACKED, "acknowledged create missing at the end: " + o));
      } else if (o.outcome() == Op.Outcome.FAILED && present) {
        out.add(new Anomaly(Anomaly.Kind.UNEXPECTED_PRESENT, "failed create present at the end: " + o));
      }
    }
    for (String p : finalPresent) {
      if (!attempts.containsKey(p)) {
        out.add(new Anomaly(Anomaly.Kind.UNEXPECTED_PRESENT, "present but never created: " + p));
      }
    }
    return out;
  }
}
