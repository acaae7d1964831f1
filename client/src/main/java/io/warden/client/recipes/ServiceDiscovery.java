package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeData;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service registry (Curator's ServiceDiscovery, reduced): an instance is the ephemeral node
 * {@code <base>/<service>/<instanceId>} whose data is the instance as JSON
 * ({@link ServiceInstance#toJson()}, written by a small built-in encoder). {@link #instances}
 * asks the server; {@link #cache} gives a live view.
 *
 * <p><b>Guarantees.</b> An instance is listed exactly while the session that registered it lives
 * (or until unregistered); ids are unique per service (registering an id another session holds
 * fails with NodeExists). A node whose data is not a valid instance is skipped and logged, never
 * returned.
 *
 * <p><b>Failure behaviour.</b> SUSPENDED: registrations survive while the session does; the live
 * view may be stale until RECONNECTED, then catches up. Session loss: this process's instances
 * disappear for everyone; register again with a new client. GC pause longer than the session: the
 * instances vanish while the process is frozen and it keeps serving unaware — clients of the
 * service then route away from it, which is the safe side.
 */
public final class ServiceDiscovery {
  private static final Logger log = LoggerFactory.getLogger(ServiceDiscovery.class);
  private final WardenClient client;
  private final String basePath;

  public ServiceDiscovery(WardenClient client, String basePath) {
    this.client = Objects.requireNonNull(client, "client");
    this.basePath = RecipePaths.validate(basePath);
  }

  /** Registers {@code instance} for the life of this client's session. */
  public void register(ServiceInstance instance) throws WardenException, InterruptedException {
    String service = RecipePaths.child(basePath, instance.name());
    RecipePaths.ensure(client.blocking(), client.retryPolicy(), service);
    String node = RecipePaths.child(service, instance.id());
    byte[] json = instance.toJson();
    client.retryPolicy().call(() -> {
      try {
        client.blocking().create(node, json, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      } catch (WardenException e) {
        Stat stat = e.code() == ErrorCode.NODE_EXISTS ? client.blocking().exists(node) : null;
        if (stat == null || stat.ephemeralOwner() != client.sessionId()) {
          throw e; // not ours: another session holds this id
        }
        client.blocking().setData(node, json, WardenClient.ANY_VERSION); // ours: update it
      }
      return null;
    });
  }

  public void unregister(ServiceInstance instance) throws WardenException, InterruptedException {
    RecipePaths.deleteIfExists(client,
        RecipePaths.child(RecipePaths.child(basePath, instance.name()), instance.id()));
  }

  /** The registered instances of {@code service} now, sorted by id (asks the server). */
  public List<ServiceInstance> instances(String service)
      throws WardenException, InterruptedException {
    String dir = RecipePaths.child(basePath, RecipePaths.validateName(service, "service name"));
    BlockingWardenClient sync = client.blocking();
    List<String> ids;
    try {
      ids = client.retryPolicy().call(() -> sync.getChildren(dir));
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        return List.of();
      }
      throw e;
    }
    List<ServiceInstance> result = new ArrayList<>();
    for (String id : ids) {
      try {
        NodeData data = client.retryPolicy().call(() -> sync.getData(RecipePaths.child(dir, id)));
        ServiceInstance instance = parse(dir + "/" + id, data.data());
        if (instance != null) {
          result.add(instance);
        }
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NO_NODE) {
          throw e;
        }
      }
    }
    result.sort(Comparator.comparing(ServiceInstance::id));
    return result;
  }

  /** A started live view of {@code service}'s instances; close it when done. */
  public Cache cache(String service) throws WardenException, InterruptedException {
    String dir = RecipePaths.child(basePath, RecipePaths.validateName(service, "service name"));
    RecipePaths.ensure(client.blocking(), client.retryPolicy(), dir);
    Cache cache = new Cache(new TreeCache(client, dir), dir);
    cache.tree.start(Duration.ofSeconds(30));
    return cache;
  }

  static ServiceInstance parse(String path, byte[] data) {
    try {
      return ServiceInstance.fromJson(data);
    } catch (IllegalArgumentException e) {
      log.warn("skipping {}: not a service instance ({})", path, e.getMessage());
      return null;
    }
  }

  /** The live instances of one service, kept by a {@link TreeCache}. */
  public static final class Cache implements AutoCloseable {
    private final TreeCache tree;
    private final String dir;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private Cache(TreeCache tree, String dir) {
      this.tree = tree;
      this.dir = dir;
      tree.addListener(event -> {
        if (!event.path().equals(dir)) {
          listeners.forEach(Runnable::run);
        }
      });
    }

    /** Called after every change of the instance list (on the cache thread). */
    public void addListener(Runnable listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The instances as last seen, sorted by id. */
    public List<ServiceInstance> instances() {
      List<ServiceInstance> result = new ArrayList<>();
      for (String id : tree.children(dir)) {
        NodeData data = tree.get(dir + "/" + id);
        ServiceInstance instance = data == null ? null : parse(dir + "/" + id, data.data());
        if (instance != null) {
          result.add(instance);
        }
      }
      return result;
    }

    @Override
    public void close() throws InterruptedException {
      tree.close();
    }
  }
}
