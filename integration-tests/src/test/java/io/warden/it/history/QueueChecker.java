package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A queue of uniquely numbered items: no item is taken twice, and every acknowledged item is
 * taken or still present at the end — exactly once. An indeterminate take of an item that is
 * gone at the end (and was taken by no one else) is resolved as a take.
 */
public final class QueueChecker {
  private QueueChecker() {
  }

  public static List<Anomaly> check(List<Op> ops, List<Long> finalItems) {
    List<Anomaly> out = new ArrayList<>();
    Map<Long, Op> taken = new HashMap<>();
    Map<Long, Op> indeterminateTake = new HashMap<>();
    Map<Long, Op> enqueued = new HashMap<>();
    for (Op o : ops) {
      if (o.kind() == Kind.ENQUEUE && o.outcome() != Op.Outcome.FAILED) {
        enqueued.merge(o.value(), o, (a, b) -> a.ok() ? a : b);
      } else if (o.kind() == Kind.DEQUEUE && o.ok()) {
        Op prior = taken.put(o.value(), o);
        if (prior != null) {
          out.add(new Anomaly(Anomaly.Kind.DOUBLE_TAKE, "item " + o.value() + " taken twice: " + prior + " and " + o));
        }
      } else if (o.kind() == Kind.DEQUEUE && o.outcome() == Op.Outcome.INDETERMINATE) {
        indeterminateTake.put(o.value(), o);
      }
    }
    Map<Long, Integer> presentCount = new HashMap<>();
    finalItems.forEach(i -> presentCount.merge(i, 1, Integer::sum));
    presentCount.forEach((item, count) -> {
      if (count > 1) {
        out.add(new Anomaly(Anomaly.Kind.DOUBLE_TAKE, "item " + item + " present " + count + " times at the end"));
      }
      if (taken.containsKey(item)) {
        out.add(new Anomaly(Anomaly.Kind.DOUBLE_TAKE, "item " + item + " taken and still present: " + taken.get(item)));
      }
    });
    Set<Long> present = presentCount.keySet();
    for (Op e : enqueued.values()) {
      boolean accounted = taken.containsKey(e.value()) || present.contains(e.value())
          || indeterminateTake.containsKey(e.value());
      if (e.ok() && !accounted) {
        out.add(new Anomaly(Anomaly.Kind.LOST_ITEM, "acknowledged item neither taken nor present: " + e));
      }
    }
    return out;
  }
}
