package io.warden.coordinator.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.node.ConnectionInfo;
import io.warden.coordinator.node.NodeLoop;
import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.OpCode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection limits of DESIGN.md D10 against clients that push them: more connections
 * from one address than {@code maxClientCnxns}, and a client that sends requests but never
 * reads the replies (the per-connection in-flight limit and the write queue must stop the
 * server from reading, instead of buffering replies without bound), and bursts far past the
 * per-connection and global in-flight limits. A well-behaved session works throughout.
 */
class ConnectionLimitsTest {
  private static final int MAX_CLIENT_CNXNS = 5;
  private static final int MAX_INFLIGHT = 4;
  private static final int GLOBAL_INFLIGHT = 6;

  @TempDir
  Path dir;

  private WardenServer server;
  private Keeper keeper;
  private LogCapture logs;
  private final List<WireClient> opened = new ArrayList<>();

  @BeforeEach
  void start() {
    server = WardenServer.start(TestServers.config(dir)
        .maxClientCnxns(MAX_CLIENT_CNXNS)
        .maxInflightPerConnection(MAX_INFLIGHT)
        .globalOutstandingLimit(GLOBAL_INFLIGHT)
        .build());
    keeper = new Keeper(server.connectString());
    logs = LogCapture.attach();
  }

  @AfterEach
  void stop() throws InterruptedException {
    opened.forEach(WireClient::close);
    logs.detach();
    keeper.close();
    server.close();
  }

  @Test
  void connectionsBeyondMaxClientCnxnsFromOneAddressAreClosedAtOnce() {
    long keeperWrites = keeper.writes();
    List<WireClient> sessions = new ArrayList<>();
    for (int i = 1; i < MAX_CLIENT_CNXNS; i++) { // the keeper holds one
      sessions.add(track(WireClient.session(server.clientPort(), 10_000)));
    }
    for (int i = 0; i < 3; i++) {
      WireClient excess = track(WireClient.connect(server.clientPort()));
      try {
        excess.sendConnect(0, 10_000, 0, new byte[16]);
      } catch (UncheckedIOException e) {
        // the server hung up before the request went out: also "closed, nothing sent"
      }
      assertThat(excess.readUntilClosed(Duration.ofSeconds(5))).as("bytes sent to an excess connection").isEmpty();
    }
    assertThat(logs.serverStackTraces()).isEmpty();
    assertThat(logs.messages()).filteredOn(m -> m.contains("too many connections from 127.0.0.1")).hasSize(3);

    for (WireClient s : sessions) {
      assertThat(s.call(1, OpCode.GET_DATA, new GetDataRequest("/keeper", false)).err()).isZero();
    }
    keeper.assertHealthy(keeperWrites);

    // A freed slot can be used again.
    sessions.get(0).close();
    await("a slot to free up").atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> {
          try (WireClient again = WireClient.session(server.clientPort(), 10_000)) {
            return again.call(1, OpCode.GET_DATA, new GetDataRequest("/keeper", false)).err() == 0;
          }
        });
  }

  @Test
  void aClientThatNeverReadsIsThrottledInsteadOfBufferedWithoutBound() throws Exception {
    long keeperWrites = keeper.writes();
    int replyBytes = 16 * 1024;
    try (WireClient setup = WireClient.session(server.clientPort(), 10_000)) {
      assertThat(setup.call(1, OpCode.CREATE, new CreateRequest("/big", new byte[replyBytes], Acl.OPEN_ACL_UNSAFE, 0))
          .err()).isZero();
    }
    WireClient deaf = track(WireClient.session(server.clientPort(), 10_000));
    AtomicLong written = new AtomicLong();
    long writeCapBytes = 32L << 20;
    Thread writer = new Thread(() -> {
      int xid = 1;
      try {
        while (written.get() < writeCapBytes) {
          ByteArrayOutputStream batch = new ByteArrayOutputStream();
          for (int i = 0; i < 100; i++) {
            batch.writeBytes(WireClient.requestFrame(xid++, OpCode.GET_DATA, new GetDataRequest("/big", false)));
          }
          deaf.sendRaw(batch.toByteArray());
          written.addAndGet(batch.size());
        }
      } catch (RuntimeException e) {
        // closed at the end of the test while blocked in write
      }
    }, "never-reads");
    writer.setDaemon(true);
    writer.start();

    // The writer stalls once the server stops reading and every buffer on the way is full.
    AtomicLong previous = new AtomicLong(-1);
    await("the writer to be blocked by backpressure").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> {
          long now = written.get();
          return now > 0 && previous.getAndSet(now) == now;
        });
    assertThat(written.get()).as("request bytes accepted before backpressure").isLessThan(writeCapBytes);
    ConnectionInfo info = connectionOf(deaf);
    System.out.printf("never-reading client: %d request bytes written, %d replies produced, %d queued%n",
        written.get(), info.sent(), info.queued());
    assertThat(info.sent() * replyBytes).as("reply bytes the server produced for a client that reads nothing")
        .isLessThan(32L << 20);
    assertThat(info.queued()).as("requests queued in the core").isLessThanOrEqualTo(MAX_INFLIGHT);
    keeper.assertHealthy(keeperWrites);

    // It was throttled, not broken: reading resumes the flow, replies arrive in order.
    for (int xid = 1; xid <= 200; xid++) {
      WireClient.Reply r = deaf.readReply();
      assertThat(r.xid()).isEqualTo(xid);
      assertThat(r.err()).isZero();
    }
    deaf.close();
    writer.join(10_000);
    assertThat(logs.serverStackTraces()).isEmpty();
  }

  /**
   * Bursts far beyond both in-flight limits, from two connections at once: every request is
   * answered, in order, without a stall (frames held back by the limits must be released).
   */
  @Test
  void burstsBeyondTheInflightLimitsAreAnsweredInOrder() throws Exception {
    long keeperWrites = keeper.writes();
    int requests = 5000;
    List<Thread> readers = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int k = 0; k < 2; k++) {
      WireClient c = track(WireClient.session(server.clientPort(), 10_000));
      Thread reader = new Thread(() -> {
        try {
          for (int xid = 1; xid <= requests; xid++) {
            WireClient.Reply r = c.readReply();
            if (r.xid() != xid || r.err() != 0) {
              throw new AssertionError("expected an OK reply to xid " + xid + ", got " + r);
            }
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }, "burst-reader-" + k);
      reader.start();
      readers.add(reader);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int xid = 1; xid <= requests; xid++) {
        burst.writeBytes(WireClient.requestFrame(xid, xid % 10 == 0 ? OpCode.PING : OpCode.GET_DATA,
            xid % 10 == 0 ? null : new GetDataRequest("/keeper", false)));
      }
      c.sendRaw(burst.toByteArray());
    }
    for (Thread r : readers) {
      r.join(60_000);
      assertThat(r.isAlive()).as("%s still waiting for replies", r.getName()).isFalse();
    }
    assertThat(failures).isEmpty();
    keeper.assertHealthy(keeperWrites);
  }

  private ConnectionInfo connectionOf(WireClient c) throws Exception {
    String suffix = ":" + c.localPort();
    return server.runtime().query(NodeLoop::connectionInfos).get(10, TimeUnit.SECONDS).stream()
        .filter(i -> i.remote().endsWith(suffix)).findFirst().orElseThrow();
  }

  private WireClient track(WireClient c) {
    opened.add(c);
    return c;
  }
}
