package io.warden.it.faults;

import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeData;
import io.warden.client.Op;
import io.warden.client.OpResult;
import io.warden.client.RetryPolicy;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.Stat;
import java.time.Duration;
import java.util.List;

/** {@link Store} over Warden's own client, without retries (a retried write would blur the history). */
final class WardenStore implements Store {
  private final WardenClient client;
  private final BlockingWardenClient blocking;

  WardenStore(String connectString, Duration sessionTimeout, Duration requestTimeout) throws Exception {
    client = WardenClient.builder(connectString)
        .sessionTimeout(sessionTimeout)
        .requestTimeout(requestTimeout)
        .retryPolicy(RetryPolicy.none())
        .build();
    if (!client.awaitConnected(Duration.ofSeconds(60))) {
      client.close();
      throw new IllegalStateException("the Warden client did not connect to " + connectString + " in 60 s");
    }
    blocking = client.blocking();
  }

  @Override
  public long sessionId() {
    return client.sessionId();
  }

  @Override
  public String clientName() {
    return "warden";
  }

  @Override
  public Read read(String path, boolean sync) throws StoreException, InterruptedException {
    return call(() -> {
      if (sync) {
        blocking.sync(path);
      }
      NodeData d = blocking.getData(path);
      return new Read(d.data(), d.stat().mzxid(), d.stat().version());
    });
  }

  @Override
  public Read write(String path, byte[] data, int version) throws StoreException, InterruptedException {
    return call(() -> {
      Stat stat = blocking.setData(path, data, version);
      return new Read(data, stat.mzxid(), stat.version());
    });
  }

  @Override
  public String create(String path, byte[] data, CreateKind kind) throws StoreException, InterruptedException {
    CreateMode mode = switch (kind) {
      case PERSISTENT -> CreateMode.PERSISTENT;
      case SEQUENTIAL -> CreateMode.PERSISTENT_SEQUENTIAL;
      case EPHEMERAL -> CreateMode.EPHEMERAL;
    };
    return call(() -> blocking.create(path, data, Acl.OPEN_ACL_UNSAFE, mode));
  }

  @Override
  public Read checkAndSet(String path, int version, byte[] data) throws StoreException, InterruptedException {
    return call(() -> {
      List<OpResult> results = blocking.multi(List.of(Op.check(path, version), Op.setData(path, data, version)));
      Stat stat = ((OpResult.SetDataResult) results.get(1)).stat();
      return new Read(data, stat.mzxid(), stat.version());
    });
  }

  @Override
  public void delete(String path, int version) throws StoreException, InterruptedException {
    call(() -> {
      blocking.delete(path, version);
      return null;
    });
  }

  @Override
  public List<String> children(String path, boolean sync) throws StoreException, InterruptedException {
    return call(() -> {
      if (sync) {
        blocking.sync(path);
      }
      return blocking.getChildren(path);
    });
  }

  private interface Call<T> {
    T run() throws WardenException, InterruptedException;
  }

  private static <T> T call(Call<T> c) throws StoreException, InterruptedException {
    try {
      return c.run();
    } catch (WardenException e) {
      StoreException.Kind kind = switch (e.code()) {
        case CONNECTION_LOSS, OPERATION_TIMEOUT, REQUEST_TIMEOUT, SESSION_MOVED -> StoreException.Kind.INDETERMINATE;
        case SESSION_EXPIRED -> StoreException.Kind.EXPIRED;
        default -> StoreException.Kind.DEFINITE;
      };
      throw new StoreException(kind, e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
