package io.warden.it.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Watch semantics per session, from what the client received in order ({@code seq}):
 * events arrive in zxid order; a one-shot watch fires at most once per registration; a
 * persistent watch misses no change made while its session was connected. ZooKeeper delivers an
 * event before the reply to any later request, so every change to a watched path with a zxid in
 * (registration zxid, last zxid the client had seen when it disconnected] must have arrived.
 */
public final class WatchChecker {
  public enum Type {
    /** A one-shot watch set by a read whose reply carried {@code zxid}. */
    ONE_SHOT,
    /** A persistent watch added (or re-added after a reconnect) at {@code zxid}. */
    PERSISTENT,
    EVENT,
    /** The connection dropped (or the run ended); {@code zxid} is the last zxid the client had seen. */
    DISCONNECTED
  }

  public record Record(long session, long seq, Type type, String path, long zxid) {
  }

  /** A change the ensemble acknowledged: its path and zxid. */
  public record Change(String path, long zxid) {
  }

  private WatchChecker() {
  }

  public static List<Anomaly> check(List<Record> records, List<Change> changes) {
    List<Anomaly> out = new ArrayList<>();
    Map<Long, List<Record>> bySession = records.stream()
        .collect(Collectors.groupingBy(Record::session, TreeMap::new, Collectors.toList()));
    for (List<Record> session : bySession.values()) {
      List<Record> ordered = new ArrayList<>(session);
      ordered.sort(Comparator.comparingLong(Record::seq));
      checkOrderAndOneShot(ordered, out);
      checkPersistent(ordered, changes, out);
    }
    return out;
  }

  private static void checkOrderAndOneShot(List<Record> ordered, List<Anomaly> out) {
    Record lastEvent = null;
    Set<String> armed = new HashSet<>();
    Set<String> persistent = new HashSet<>();
    for (Record r : ordered) {
      switch (r.type()) {
        case ONE_SHOT -> armed.add(r.path());
        case PERSISTENT -> persistent.add(r.path());
        case DISCONNECTED -> { }
        case EVENT -> {
          if (lastEvent != null && r.zxid() < lastEvent.zxid()) {
            out.add(new Anomaly(Anomaly.Kind.WATCH_ORDER, r + " arrived after " + lastEvent));
          }
          lastEvent = r;
          if (!persistent.contains(r.path()) && !armed.remove(r.path())) {
            out.add(new Anomaly(Anomaly.Kind.WATCH_ONE_SHOT, r + " without an armed watch"));
          }
        }
      }
    }
  }

  private static void checkPersistent(List<Record> ordered, List<Change> changes, List<Anomaly> out) {
    Map<String, Long> watchingSince = new HashMap<>();
    Set<String> delivered = new HashSet<>(); // path@zxid
    for (Record r : ordered) {
      switch (r.type()) {
        case PERSISTENT -> watchingSince.put(r.path(), r.zxid());
        case EVENT -> delivered.add(r.path() + "@" + r.zxid());
        case ONE_SHOT -> { }
        case DISCONNECTED -> {
          watchingSince.forEach((path, since) -> changes.stream()
              .filter(c -> c.path().equals(path) && c.zxid() > since && c.zxid() <= r.zxid()
                  && !delivered.contains(c.path() + "@" + c.zxid()))
              .forEach(c -> out.add(new Anomaly(Anomaly.Kind.WATCH_LOST, "session " + r.session() + " missed " + c
                  + " on its persistent watch (watching since zxid " + since + ", connected until zxid " + r.zxid()
                  + ")"))));
          watchingSince.clear();
        }
      }
    }
  }
}
