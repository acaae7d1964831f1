package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame limit (wire reference §2.1): a request whose payload is at most jute.maxbuffer (1 048
 * 575 bytes by default) is served; one byte more and the server closes the connection without a
 * reply. The client sees ConnectionLoss, reconnects, and its session lives on; other sessions never
 * notice.
 */
class FrameLimitConformanceTest {
  private static final int MAX_PAYLOAD_BYTES = 0xFFFFF;
  private static final String PATH = "/big";

  /**
   * A setData payload: header (xid, type), path (length + bytes), data (length + bytes), version.
   */
  private static final int SET_DATA_OVERHEAD_BYTES = 4 + 4 + 4 + PATH.length() + 4 + 4;

  @TempDir static Path dir;
  static Target target;

  private Clients clients;
  private ZooKeeper zk;

  @BeforeAll
  static void startServer() {
    target = Target.start(dir);
  }

  @AfterAll
  static void stopServer() {
    target.close();
  }

  @BeforeEach
  void connect() throws Exception {
    clients = new Clients(target.connectString());
    zk = clients.connect();
    if (zk.exists(PATH, false) == null) {
      zk.create(PATH, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    clients.close();
  }

  private static byte[] filled(int sizeBytes, char c) {
    byte[] b = new byte[sizeBytes];
    Arrays.fill(b, (byte) c);
    return b;
  }

  @Test
  void aRequestOfExactlyTheLimitIsServed() throws Exception {
    int dataBytes = MAX_PAYLOAD_BYTES - SET_DATA_OVERHEAD_BYTES;
    Stat stat = zk.setData(PATH, filled(dataBytes, 'x'), -1);
    assertThat(stat.getDataLength()).isEqualTo(dataBytes);
    // a reply must fit the client's own limit too: read back data that leaves room for the Stat
    int readable = MAX_PAYLOAD_BYTES - 16 - 4 - 68;
    zk.setData(PATH, filled(readable, 'y'), -1);
    byte[] back = zk.getData(PATH, false, null);
    assertThat(back).hasSize(readable).containsOnly((byte) 'y');
    assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
  }

  @Test
  void oneByteOverTheLimitClosesTheConnectionOnly() throws Exception {
    zk.setData(PATH, "before".getBytes(StandardCharsets.UTF_8), -1);
    Events events = new Events();
    TcpProxy proxy = new TcpProxy(target.connectString());
    proxy.holdServerSide(true); // only a close by the server counts
    ZooKeeper sender = clients.connect(proxy.connectString(), Clients.SESSION_TIMEOUT_MS, events);
    long id = sender.getSessionId();
    int dataBytes = MAX_PAYLOAD_BYTES - SET_DATA_OVERHEAD_BYTES + 1;
    assertThatThrownBy(() -> sender.setData(PATH, filled(dataBytes, 'z'), -1))
        .isInstanceOf(KeeperException.ConnectionLossException.class);
    events.awaitState(KeeperState.Disconnected);
    // it was the server that closed the connection
    await().atMost(Duration.ofSeconds(Events.WAIT_S)).until(() -> proxy.closedByServer() >= 1);

    // nothing was applied; the server and the other session carry on
    assertThat(zk.getData(PATH, false, null)).asString().isEqualTo("before");
    zk.create("/after-the-big-one", null, Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    assertThat(target.sessionExists(id)).isTrue();
    // the sender reconnects to its session and works again
    events.awaitState(KeeperState.SyncConnected);
    await()
        .atMost(Duration.ofSeconds(Events.WAIT_S))
        .ignoreExceptions()
        .until(() -> sender.exists(PATH, false) != null);
    assertThat(sender.getSessionId()).isEqualTo(id);
    proxy.close();
  }
}
