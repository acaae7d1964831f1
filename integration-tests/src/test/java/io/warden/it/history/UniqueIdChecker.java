package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sequential znode names never repeat across acknowledged sequential creates. */
public final class UniqueIdChecker {
  private UniqueIdChecker() {
  }

  public static List<Anomaly> check(List<Op> ops) {
    List<Anomaly> out = new ArrayList<>();
    Map<String, Op> byName = new HashMap<>();
    for (Op o : ops) {
      if (o.kind() == Kind.SEQ_CREATE && o.ok()) {
        Op prior = byName.put(o.name(), o);
        if (prior != null) {
          out.add(new Anomaly(Anomaly.Kind.DUPLICATE_ID, "name " + o.name() + " given twice: " + prior + " and " + o));
        }
      }
    }
    return out;
  }
}
