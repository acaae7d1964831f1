package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ClientCnxnSocketNetty;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Netty flavour of the official client writes auth packets and requests right behind the
 * ConnectRequest, before the session exists (wire reference §3.2 step 7, §3.5): the server must
 * buffer them and answer in order once the handshake is done, auth included.
 */
class PipeliningConformanceTest {
  @TempDir static Path dir;
  static Target target;

  @BeforeAll
  static void startServer() {
    target = Target.start(dir);
  }

  @AfterAll
  static void stopServer() {
    target.close();
  }

  @Test
  void requestsAndAuthSentBeforeTheHandshakeCompletesAreServedInOrder() throws Exception {
    ZKClientConfig config = new ZKClientConfig();
    config.setProperty(
        ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, ClientCnxnSocketNetty.class.getName());
    Events events = new Events();
    TcpProxy proxy = new TcpProxy(target.connectString());
    ZooKeeper zk = new ZooKeeper(proxy.connectString(), Clients.SESSION_TIMEOUT_MS, events, config);
    try {
      // all of this is queued before the session exists
      zk.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
      CompletableFuture<String> created = new CompletableFuture<>();
      zk.create(
          "/pipelined",
          "p".getBytes(StandardCharsets.UTF_8),
          Ids.CREATOR_ALL_ACL,
          CreateMode.PERSISTENT,
          (rc, path, ctx, name) -> complete(created, rc, name),
          null);
      CompletableFuture<List<ACL>> acl = new CompletableFuture<>();
      zk.getACL("/pipelined", null, (rc, path, ctx, list, stat) -> complete(acl, rc, list), null);

      assertThat(created.get(Events.WAIT_S, TimeUnit.SECONDS)).isEqualTo("/pipelined");
      assertThat(acl.get(Events.WAIT_S, TimeUnit.SECONDS))
          .containsExactly(new ACL(Perms.ALL, Acls.digestId("alice:secret")));
      // it really was pipelined: more than the ConnectRequest left before the server answered
      assertThat(proxy.earlyClientBytes()).isGreaterThan(49);
    } finally {
      zk.close(5_000);
      proxy.close();
    }
  }

  private static <T> void complete(CompletableFuture<T> f, int rc, T value) {
    if (rc == 0) {
      f.complete(value);
    } else {
      f.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc)));
    }
  }
}
