package io.warden.it.faults;

import io.warden.it.history.WatchChecker;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * A ZooKeeper client with a persistent recursive watch on the register keys, recording what it
 * receives in order. ZooKeeper clients do not expose the last zxid they saw, so a connected
 * interval is recorded as running from its first event to its last: every acknowledged change in
 * between must have arrived (no hole in the middle), and events arrive in zxid order.
 */
final class WatchRecorder implements AutoCloseable {
  private final Recorder recorder;
  private final ZkStore store;
  private long seq;
  private boolean intervalOpen;
  private long lastEventZxid;
  private final List<String> keys;

  /** Watches {@code path} recursively; {@code keys} are the nodes under it whose changes must all arrive. */
  WatchRecorder(String connectString, String path, List<String> keys, Duration timeout, Recorder recorder)
      throws Exception {
    this.recorder = recorder;
    this.keys = List.copyOf(keys);
    this.store = new ZkStore(connectString, timeout, this::connection);
    store.watchTree(path, this::event);
  }

  // both callbacks run on the client's one event thread, in the order the client received them
  private synchronized void connection(WatchedEvent e) {
    if (e.getState() != Watcher.Event.KeeperState.SyncConnected && intervalOpen) {
      closeInterval();
    }
  }

  private synchronized void event(WatchedEvent e) {
    if (e.getType() == Watcher.Event.EventType.None) {
      connection(e);
      return;
    }
    long session = store.sessionId();
    if (!intervalOpen) {
      for (String key : keys) {
        recorder.watches.add(new WatchChecker.Record(session, seq++, WatchChecker.Type.PERSISTENT, key,
            e.getZxid() - 1));
      }
      intervalOpen = true;
    }
    lastEventZxid = e.getZxid();
    recorder.watches.add(new WatchChecker.Record(session, seq++, WatchChecker.Type.EVENT, e.getPath(), e.getZxid()));
  }

  private void closeInterval() {
    recorder.watches.add(new WatchChecker.Record(store.sessionId(), seq++, WatchChecker.Type.DISCONNECTED, null,
        lastEventZxid));
    intervalOpen = false;
  }

  @Override
  public void close() {
    store.close();
  }

  /** Ends the last interval at its last event; call after the run's writes stopped. */
  synchronized void finish() {
    if (intervalOpen) {
      closeInterval();
    }
  }
}
