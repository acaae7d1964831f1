package io.warden.client;

import io.warden.client.internal.AuthInfo;
import io.warden.client.internal.ClientCore;
import io.warden.client.internal.Ops;
import io.warden.protocol.Acl;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.ClientInfo;
import io.warden.protocol.CreateMode;
import io.warden.protocol.Stat;
import io.warden.protocol.WatcherType;
import java.util.List;
import java.util.Objects;

/**
 * The blocking face of a {@link WardenClient} (get it with {@link WardenClient#blocking()}): the
 * same operations, returning their value or throwing {@link WardenException}.
 *
 * <p>The calling thread waits for the reply itself; the reply does not pass through the event
 * thread. That is what makes these methods safe to call from a watcher or a stage callback
 * (which run on the event thread) — the Java client's synchronous API works the same way. A
 * call waits until the reply arrives, the connection is lost (ConnectionLoss), or the configured
 * request timeout passes (RequestTimeout). Interrupting the caller throws InterruptedException;
 * the request itself still completes in the background.
 */
public final class BlockingWardenClient {
  private final ClientCore core;
  private final Ops ops;

  BlockingWardenClient(ClientCore core) {
    this.core = core;
    this.ops = core.ops();
  }

  public String create(String path, byte[] data, List<Acl> acl, CreateMode mode)
      throws WardenException, InterruptedException {
    return core.await(ops.create(path, data, acl, mode, -1));
  }

  public String create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs)
      throws WardenException, InterruptedException {
    return core.await(ops.create(path, data, acl, mode, ttlMs));
  }

  public Created createWithStat(String path, byte[] data, List<Acl> acl, CreateMode mode)
      throws WardenException, InterruptedException {
    return core.await(ops.createWithStat(path, data, acl, mode, -1));
  }

  public Created createWithStat(String path, byte[] data, List<Acl> acl, CreateMode mode,
      long ttlMs) throws WardenException, InterruptedException {
    return core.await(ops.createWithStat(path, data, acl, mode, ttlMs));
  }

  public void delete(String path, int version) throws WardenException, InterruptedException {
    core.await(ops.delete(path, version));
  }

  /** The Stat, or null if the node does not exist. */
  public Stat exists(String path) throws WardenException, InterruptedException {
    return core.await(ops.exists(path, null));
  }

  public Stat exists(String path, Watcher watcher) throws WardenException, InterruptedException {
    return core.await(ops.exists(path, Objects.requireNonNull(watcher, "watcher")));
  }

  public NodeData getData(String path) throws WardenException, InterruptedException {
    return core.await(ops.getData(path, null));
  }

  public NodeData getData(String path, Watcher watcher)
      throws WardenException, InterruptedException {
    return core.await(ops.getData(path, Objects.requireNonNull(watcher, "watcher")));
  }

  public Stat setData(String path, byte[] data, int version)
      throws WardenException, InterruptedException {
    return core.await(ops.setData(path, data, version));
  }

  public NodeAcl getAcl(String path) throws WardenException, InterruptedException {
    return core.await(ops.getAcl(path));
  }

  public Stat setAcl(String path, List<Acl> acl, int aclVersion)
      throws WardenException, InterruptedException {
    return core.await(ops.setAcl(path, acl, aclVersion));
  }

  public List<String> getChildren(String path) throws WardenException, InterruptedException {
    return core.await(ops.getChildren(path, null));
  }

  public List<String> getChildren(String path, Watcher watcher)
      throws WardenException, InterruptedException {
    return core.await(ops.getChildren(path, Objects.requireNonNull(watcher, "watcher")));
  }

  public NodeChildren getChildrenWithStat(String path)
      throws WardenException, InterruptedException {
    return core.await(ops.getChildrenWithStat(path, null));
  }

  public NodeChildren getChildrenWithStat(String path, Watcher watcher)
      throws WardenException, InterruptedException {
    return core.await(ops.getChildrenWithStat(path, Objects.requireNonNull(watcher, "watcher")));
  }

  public int getAllChildrenNumber(String path) throws WardenException, InterruptedException {
    return core.await(ops.getAllChildrenNumber(path));
  }

  public List<String> getEphemerals() throws WardenException, InterruptedException {
    return core.await(ops.getEphemerals("/"));
  }

  public List<String> getEphemerals(String prefixPath)
      throws WardenException, InterruptedException {
    return core.await(ops.getEphemerals(prefixPath));
  }

  public void sync(String path) throws WardenException, InterruptedException {
    core.await(ops.sync(path));
  }

  public List<OpResult> multi(List<? extends Op.Write> ops)
      throws WardenException, InterruptedException {
    return ops.isEmpty() ? List.of() : core.await(this.ops.multi(ops));
  }

  public List<OpResult> multiRead(List<? extends Op.Read> ops)
      throws WardenException, InterruptedException {
    return ops.isEmpty() ? List.of() : core.await(this.ops.multiRead(ops));
  }

  public void addWatch(String path, Watcher watcher, AddWatchMode mode)
      throws WardenException, InterruptedException {
    core.await(ops.addWatch(path, watcher, mode));
  }

  public void removeWatches(String path, Watcher watcher, WatcherType type)
      throws WardenException, InterruptedException {
    core.awaitRemoveWatches(path, Objects.requireNonNull(watcher, "watcher"), type);
  }

  public void removeAllWatches(String path, WatcherType type)
      throws WardenException, InterruptedException {
    core.awaitRemoveWatches(path, null, type);
  }

  public void addAuth(String scheme, byte[] credentials)
      throws WardenException, InterruptedException {
    core.awaitAuth(new AuthInfo(scheme, credentials));
  }

  public List<ClientInfo> whoAmI() throws WardenException, InterruptedException {
    return core.await(ops.whoAmI());
  }
}
