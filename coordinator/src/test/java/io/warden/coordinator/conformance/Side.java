package io.warden.coordinator.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;

/**
 * One server of the differential test with its sessions: the same identities on both sides (index 0
 * anonymous, then two digest users, then the super user), so an operation issued by session {@code
 * i} means the same thing on Warden and on ZooKeeper.
 */
final class Side implements AutoCloseable {
  static final List<String> IDENTITIES =
      Arrays.asList(null, "alice:secret", "bob:pw", Target.SUPER_CREDENTIALS);
  static final int SUPER = 3;

  final String name;
  private final Target target;
  private final Clients clients;
  private final List<ZooKeeper> sessions = new ArrayList<>();

  /** Each session's default watcher, kept across restarts so its log continues. */
  private final List<Events> watchers = new ArrayList<>();

  Side(String name, Target target) throws Exception {
    this.name = name;
    this.target = target;
    this.clients = new Clients(target.connectString());
    for (String credentials : IDENTITIES) {
      Events events = new Events();
      watchers.add(events);
      sessions.add(open(credentials, events));
    }
  }

  private ZooKeeper open(String credentials, Events events) throws Exception {
    ZooKeeper zk = clients.connect(events);
    if (credentials != null) {
      Clients.authenticate(zk, credentials);
    }
    return zk;
  }

  ZooKeeper session(int i) {
    return sessions.get(i);
  }

  /** The zxid of the run's first write; zxids are compared as offsets from it. */
  private long zxidBase;

  void zxidBase(long zxid) {
    this.zxidBase = zxid;
  }

  /** A zxid as an offset from the run's start ("before" for the built-in nodes). */
  String zxid(long zxid) {
    return zxid < zxidBase ? "before" : "+" + (zxid - zxidBase);
  }

  Events watcher(int i) {
    return watchers.get(i);
  }

  int sessionCount() {
    return sessions.size();
  }

  /** Closes session {@code i} (its ephemerals go) and opens a new one with the same identity. */
  void restart(int i) throws Exception {
    sessions.get(i).close();
    sessions.set(i, open(IDENTITIES.get(i), watchers.get(i)));
  }

  /**
   * The watch events every session received since the last call, as "s<i> type path". A round trip
   * through each session's event thread (an async call whose callback runs after every event queued
   * before its reply) makes sure nothing is still on its way.
   */
  List<String> drainEvents() throws InterruptedException {
    CountDownLatch barrier = new CountDownLatch(sessions.size());
    for (ZooKeeper zk : sessions) {
      zk.exists("/", false, (rc, path, ctx, stat) -> barrier.countDown(), null);
    }
    if (!barrier.await(Events.WAIT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          name + ": a session did not answer within " + Events.WAIT_S + " s");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < watchers.size(); i++) {
      for (Events.Seen e : watchers.get(i).drain()) {
        out.add("s" + i + " " + e);
      }
    }
    return out;
  }

  /** An ephemeral owner as a side-independent name: 0, the owning session's index, or unknown. */
  String owner(long ephemeralOwner) {
    if (ephemeralOwner == 0) {
      return "0";
    }
    for (int i = 0; i < sessions.size(); i++) {
      if (sessions.get(i).getSessionId() == ephemeralOwner) {
        return "s" + i;
      }
    }
    return "unknown-session";
  }

  Target target() {
    return target;
  }

  @Override
  public void close() throws InterruptedException {
    clients.close();
  }
}
