package io.warden.coordinator.conformance;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;

/** Official ZooKeeper clients opened by one test, all closed at the end. */
final class Clients implements AutoCloseable {
  static final int SESSION_TIMEOUT_MS = 10_000;
  static final Duration CONNECT_WAIT = Duration.ofSeconds(20);

  /** Connecting takes milliseconds; Awaitility's default first poll (100 ms) would dominate. */
  static final Duration POLL = Duration.ofMillis(5);

  private final String connectString;
  private final List<ZooKeeper> open = new ArrayList<>();

  Clients(String connectString) {
    this.connectString = connectString;
  }

  /** A connected, anonymous session. */
  ZooKeeper connect() throws Exception {
    return connect(new Events());
  }

  /** A connected session whose default watcher is {@code watcher}. */
  ZooKeeper connect(Watcher watcher) throws Exception {
    return connect(connectString, SESSION_TIMEOUT_MS, watcher);
  }

  ZooKeeper connect(String to, int timeoutMs, Watcher watcher) throws Exception {
    ZooKeeper zk = track(new ZooKeeper(to, timeoutMs, watcher));
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .atMost(CONNECT_WAIT)
        .until(() -> zk.getState() == ZooKeeper.States.CONNECTED);
    return zk;
  }

  /** A connected admin client (reconfig) on an anonymous session. */
  ZooKeeperAdmin admin() throws Exception {
    ZooKeeperAdmin zk = new ZooKeeperAdmin(connectString, SESSION_TIMEOUT_MS, new Events());
    track(zk);
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .atMost(CONNECT_WAIT)
        .until(() -> zk.getState() == ZooKeeper.States.CONNECTED);
    return zk;
  }

  /** A connected session authenticated with digest {@code user:password}. */
  ZooKeeper connectAs(String credentials) throws Exception {
    ZooKeeper zk = connect();
    authenticate(zk, credentials);
    return zk;
  }

  /**
   * Adds digest credentials and waits until the server reports the identity: addAuthInfo is
   * asynchronous, so without this a following request could race it on another connection.
   */
  static void authenticate(ZooKeeper zk, String credentials) {
    zk.addAuthInfo("digest", credentials.getBytes(StandardCharsets.UTF_8));
    String user = credentials.substring(0, credentials.indexOf(':'));
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .atMost(CONNECT_WAIT)
        .until(
            () ->
                zk.whoAmI().stream()
                    .anyMatch(c -> c.getAuthScheme().equals("digest") && c.getUser().equals(user)));
  }

  /** Registers a handle created elsewhere (e.g. resuming a session) for closing. */
  ZooKeeper track(ZooKeeper zk) {
    open.add(zk);
    return zk;
  }

  /** Closes every handle, in parallel: each close waits ~100 ms for the client's threads. */
  @Override
  public void close() throws InterruptedException {
    List<Thread> closers = new ArrayList<>();
    List<InterruptedException> failures = Collections.synchronizedList(new ArrayList<>());
    for (ZooKeeper zk : open) {
      Thread t =
          new Thread(
              () -> {
                try {
                  zk.close(5_000);
                } catch (InterruptedException e) {
                  failures.add(e);
                }
              },
              "close-0x" + Long.toHexString(zk.getSessionId()));
      t.start();
      closers.add(t);
    }
    for (Thread t : closers) {
      t.join();
    }
    open.clear();
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }
}
