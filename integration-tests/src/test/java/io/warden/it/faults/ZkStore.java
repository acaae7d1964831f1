package io.warden.it.faults;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/** {@link Store} over the official Apache ZooKeeper client: it proves wire compatibility under faults. */
final class ZkStore implements Store {
  private static final long SYNC_WAIT_SECONDS = 60;
  private final ZooKeeper zk;

  ZkStore(String connectString, Duration sessionTimeout, Watcher watcher) throws Exception {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    zk = new ZooKeeper(connectString, (int) sessionTimeout.toMillis(), e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.complete(null);
      }
      watcher.process(e);
    });
    try {
      connected.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      zk.close();
      throw new IllegalStateException("the ZooKeeper client did not connect to " + connectString + " in 60 s", e);
    }
  }

  @Override
  public long sessionId() {
    return zk.getSessionId();
  }

  @Override
  public String clientName() {
    return "zookeeper";
  }

  long negotiatedTimeoutMs() {
    return zk.getSessionTimeout();
  }

  /** The client vanishes without closing its session (no closeSession is sent): the server must expire it. */
  void vanish() {
    zk.getTestable().injectSessionExpiration();
  }

  /** A persistent recursive watch; events arrive on the client's event thread, in order. */
  void watchTree(String path, Consumer<WatchedEvent> events) throws StoreException, InterruptedException {
    call(() -> {
      zk.addWatch(path, events::accept, AddWatchMode.PERSISTENT_RECURSIVE);
      return null;
    });
  }

  @Override
  public Read read(String path, boolean sync) throws StoreException, InterruptedException {
    if (sync) {
      sync(path);
    }
    return call(() -> {
      Stat stat = new Stat();
      byte[] data = zk.getData(path, false, stat);
      return new Read(data, stat.getMzxid(), stat.getVersion());
    });
  }

  @Override
  public Read write(String path, byte[] data, int version) throws StoreException, InterruptedException {
    return call(() -> {
      Stat stat = zk.setData(path, data, version);
      return new Read(data, stat.getMzxid(), stat.getVersion());
    });
  }

  @Override
  public String create(String path, byte[] data, CreateKind kind) throws StoreException, InterruptedException {
    CreateMode mode = switch (kind) {
      case PERSISTENT -> CreateMode.PERSISTENT;
      case SEQUENTIAL -> CreateMode.PERSISTENT_SEQUENTIAL;
      case EPHEMERAL -> CreateMode.EPHEMERAL;
    };
    return call(() -> zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, mode));
  }

  @Override
  public Read checkAndSet(String path, int version, byte[] data) throws StoreException, InterruptedException {
    return call(() -> {
      List<OpResult> results = zk.multi(List.of(Op.check(path, version), Op.setData(path, data, version)));
      Stat stat = ((OpResult.SetDataResult) results.get(1)).getStat();
      return new Read(data, stat.getMzxid(), stat.getVersion());
    });
  }

  @Override
  public void delete(String path, int version) throws StoreException, InterruptedException {
    call(() -> {
      zk.delete(path, version);
      return null;
    });
  }

  @Override
  public List<String> children(String path, boolean sync) throws StoreException, InterruptedException {
    if (sync) {
      sync(path);
    }
    return call(() -> zk.getChildren(path, false));
  }

  private void sync(String path) throws StoreException, InterruptedException {
    CompletableFuture<Integer> rc = new CompletableFuture<>();
    zk.sync(path, (code, p, ctx) -> rc.complete(code), null);
    int code;
    try {
      code = rc.get(SYNC_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new StoreException(StoreException.Kind.INDETERMINATE, "sync " + path, e);
    }
    if (code != KeeperException.Code.OK.intValue()) {
      throw classify(KeeperException.create(KeeperException.Code.get(code), path));
    }
  }

  private interface Call<T> {
    T run() throws KeeperException, InterruptedException;
  }

  private static <T> T call(Call<T> c) throws StoreException, InterruptedException {
    try {
      return c.run();
    } catch (KeeperException e) {
      throw classify(e);
    }
  }

  private static StoreException classify(KeeperException e) {
    StoreException.Kind kind = switch (e.code()) {
      case CONNECTIONLOSS, OPERATIONTIMEOUT, SESSIONMOVED, REQUESTTIMEOUT -> StoreException.Kind.INDETERMINATE;
      case SESSIONEXPIRED -> StoreException.Kind.EXPIRED;
      default -> StoreException.Kind.DEFINITE;
    };
    return new StoreException(kind, e.getMessage(), e);
  }

  @Override
  public void close() {
    try {
      zk.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
