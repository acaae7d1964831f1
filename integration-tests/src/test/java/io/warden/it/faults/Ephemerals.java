package io.warden.it.faults;

import io.warden.it.history.EphemeralChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;

/**
 * The ephemerals workload: keeper sessions that should live through the run, and short-lived
 * sessions whose clients vanish (no closeSession: the ensemble must expire them), each owning a
 * couple of ephemeral nodes; and an observer that reads the nodes after sync.
 *
 * <p>A keeper whose session the ensemble expires anyway (it can happen legitimately when its
 * server was cut off for longer than the timeout) is counted as dead from the moment its client
 * last lost its connection — before that, its nodes must have been there.
 */
final class Ephemerals implements AutoCloseable {
  private final String connectString;
  private final String dir;
  private final Recorder recorder;
  private final List<ZkStore> keepers = new ArrayList<>();
  private final List<ZkStore> mortals = new ArrayList<>();
  private final Map<Long, Long> lastDisconnectNanos = new ConcurrentHashMap<>();
  private final Map<Long, Long> unexpectedExpiry = new ConcurrentHashMap<>();
  private int nextSession;

  Ephemerals(String connectString, String dir, Recorder recorder) {
    this.connectString = connectString;
    this.dir = dir;
    this.recorder = recorder;
  }

  void startKeepers(int n, Duration timeout) throws Exception {
    for (int i = 0; i < n; i++) {
      keepers.add(open(timeout));
    }
  }

  /** Lets the oldest short-lived client vanish and starts another. */
  void churn(Duration timeout) throws Exception {
    if (!mortals.isEmpty()) {
      ZkStore victim = mortals.remove(0);
      long id = victim.sessionId();
      long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(victim.negotiatedTimeoutMs());
      victim.vanish();
      recorder.sessions.put(id, new EphemeralChecker.Session(id, System.nanoTime(), timeoutNanos));
      victim.close();
    }
    mortals.add(open(timeout));
  }

  private ZkStore open(Duration timeout) throws Exception {
    long[] id = {0};
    ZkStore store = new ZkStore(connectString, timeout, e -> {
      if (e.getState() == Watcher.Event.KeeperState.Disconnected && id[0] != 0) {
        lastDisconnectNanos.put(id[0], System.nanoTime());
      } else if (e.getState() == Watcher.Event.KeeperState.Expired && id[0] != 0) {
        unexpectedExpiry.putIfAbsent(id[0], System.nanoTime());
      }
    });
    id[0] = store.sessionId();
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(store.negotiatedTimeoutMs());
    recorder.sessions.put(id[0], new EphemeralChecker.Session(id[0], Long.MAX_VALUE, timeoutNanos));
    int s = nextSession++;
    for (int i = 0; i < 2; i++) {
      String path = dir + "/s" + s + "-" + i;
      try {
        store.create(path, new byte[0], Store.CreateKind.EPHEMERAL);
        recorder.ephemerals.add(new EphemeralChecker.Node(path, id[0], System.nanoTime()));
      } catch (StoreException e) {
        // not acknowledged: the checker does not expect it either way
      }
    }
    return store;
  }

  /** One read after sync of every ephemeral present. */
  void observe(Store observer) throws InterruptedException {
    long invoke = System.nanoTime();
    try {
      List<String> children = observer.children(dir, true);
      HashSet<String> present = new HashSet<>();
      children.forEach(c -> present.add(dir + "/" + c));
      recorder.observation(new EphemeralChecker.Observation(invoke, System.nanoTime(), present));
    } catch (StoreException e) {
      // an observation that failed sees nothing
    }
  }

  /** Vanished sessions' nodes that the last observation still saw. */
  boolean deadSessionsGone() {
    EphemeralChecker.Observation last = null;
    for (EphemeralChecker.Observation o : recorder.observations) {
      last = o;
    }
    if (last == null) {
      return false;
    }
    for (EphemeralChecker.Node n : recorder.ephemerals) {
      if (recorder.sessions.get(n.owner()).died() && last.present().contains(n.path())) {
        return false;
      }
    }
    return true;
  }

  /** Keepers the ensemble expired although their clients never vanished: recorded as dead from their last disconnect. */
  int settleUnexpectedExpiries() {
    int n = 0;
    for (Map.Entry<Long, Long> x : unexpectedExpiry.entrySet()) {
      EphemeralChecker.Session s = recorder.sessions.get(x.getKey());
      if (s != null && !s.died()) { // a vanished client's own expiry is expected
        long since = lastDisconnectNanos.getOrDefault(x.getKey(), x.getValue());
        recorder.sessions.put(s.id(), new EphemeralChecker.Session(s.id(), since, s.timeoutNanos()));
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    keepers.forEach(ZkStore::close);
    mortals.forEach(ZkStore::close);
  }
}
