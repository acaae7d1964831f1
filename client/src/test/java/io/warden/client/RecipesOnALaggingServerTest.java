package io.warden.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.client.recipes.Barrier;
import io.warden.client.recipes.DistributedQueue;
import io.warden.client.recipes.Mutex;
import io.warden.protocol.Create2Response;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.DeleteRequest;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.ExistsRequest;
import io.warden.protocol.ExistsResponse;
import io.warden.protocol.GetChildrenRequest;
import io.warden.protocol.GetChildrenResponse;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.GetDataResponse;
import io.warden.protocol.JuteReader;
import io.warden.protocol.MultiOp;
import io.warden.protocol.MultiRequest;
import io.warden.protocol.MultiResponse;
import io.warden.protocol.OpCode;
import io.warden.protocol.RequestHeader;
import io.warden.protocol.Stat;
import io.warden.protocol.SyncRequest;
import io.warden.protocol.SyncResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The recipes' decisions against a scripted server that lags behind the ensemble, as a follower
 * may: it knows which nodes the ensemble has committed, but its reads show only those it has
 * applied, and it applies everything only when a sync arrives. Each test fails if the recipe acts
 * on the stale view where that would be final (no watch corrects it later).
 */
class RecipesOnALaggingServerTest {
  private static final long ZXID = 42;
  private static final long SESSION = 0x1234; // FakeServer.accept's session
  private static final Stat STAT = new Stat(5, 5, 0, 0, 0, 0, 0, 0, 1, 0, 5);
  private static final Stat OURS = new Stat(6, 6, 0, 0, 0, 0, 0, SESSION, 0, 0, 6);
  private final Set<String> committed = ConcurrentHashMap.newKeySet();
  private final Set<String> applied = ConcurrentHashMap.newKeySet();
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicInteger multis = new AtomicInteger();
  private FakeServer server;
  private WardenClient client;

  @BeforeEach
  void start() throws IOException {
    server = new FakeServer();
    server.handler = this::lagging;
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private WardenClient connect() {
    client = WardenClient.builder(server.connectString()).sessionTimeout(Duration.ofSeconds(10))
        .build();
    return client;
  }

  /** Commits {@code path} in the ensemble; this server applies it at the next sync. */
  private void committedElsewhere(String path) {
    committed.add(path);
  }

  /** Committed and applied here (this server is up to date on it). */
  private void everywhere(String path) {
    committed.add(path);
    applied.add(path);
  }

  private void lagging(FakeServer.Conn conn, RequestHeader h, JuteReader body) throws IOException {
    switch (h.type()) {
      case OpCode.SYNC -> {
        applied.clear();
        applied.addAll(committed);
        conn.reply(h.xid(), ZXID, 0, new SyncResponse(SyncRequest.read(body).path()));
      }
      case OpCode.EXISTS -> {
        String path = ExistsRequest.read(body).path();
        if (applied.contains(path)) {
          conn.reply(h.xid(), ZXID, 0, new ExistsResponse(path.contains("-taken/") ? OURS : STAT));
        } else {
          conn.reply(h.xid(), ZXID, ErrorCode.NO_NODE.code(), null);
        }
      }
      case OpCode.GET_DATA -> {
        String path = GetDataRequest.read(body).path();
        if (applied.contains(path)) {
          byte[] data = path.getBytes(StandardCharsets.UTF_8);
          conn.reply(h.xid(), ZXID, 0, new GetDataResponse(data, STAT));
        } else {
          conn.reply(h.xid(), ZXID, ErrorCode.NO_NODE.code(), null);
        }
      }
      case OpCode.GET_CHILDREN -> {
        String dir = GetChildrenRequest.read(body).path() + "/";
        List<String> children = applied.stream().filter(p -> p.startsWith(dir))
            .map(p -> p.substring(dir.length())).filter(n -> !n.contains("/")).sorted().toList();
        conn.reply(h.xid(), ZXID, 0, new GetChildrenResponse(children));
      }
      case OpCode.CREATE2 -> {
        // committed at once; the reply of the first connection's create is lost
        String path = CreateRequest.read(body).path()
            + String.format("%010d", creates.getAndIncrement());
        committed.add(path);
        if (server.connections.size() == 1) {
          conn.close();
        } else {
          applied.add(path);
          conn.reply(h.xid(), ZXID, 0, new Create2Response(path, STAT));
        }
      }
      case OpCode.MULTI -> multi(conn, h, MultiRequest.read(body));
      case OpCode.DELETE -> {
        String path = DeleteRequest.read(body).path();
        committed.remove(path);
        applied.remove(path);
        conn.reply(h.xid(), ZXID, 0, null);
      }
      case OpCode.CLOSE_SESSION -> {
        conn.reply(h.xid(), ZXID, 0, null);
        conn.close();
      }
      default -> conn.reply(h.xid(), ZXID, ErrorCode.UNIMPLEMENTED.code(), null);
    }
  }

  /** The queue's take (delete item + create receipt): the first one's reply is lost. */
  private void multi(FakeServer.Conn conn, RequestHeader h, MultiRequest request)
      throws IOException {
    multis.incrementAndGet();
    MultiOp delete = request.ops().get(0);
    MultiOp receipt = request.ops().get(1);
    String item = ((DeleteRequest) delete.request()).path();
    if (!committed.contains(item)) {
      conn.reply(h.xid(), ZXID, 0, new MultiResponse(List.of(
          new io.warden.protocol.OpResult.ErrorResult(ErrorCode.NO_NODE.code()),
          new io.warden.protocol.OpResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY.code()))));
      return;
    }
    committed.remove(item);
    committed.add(((CreateRequest) receipt.request()).path());
    conn.close(); // committed, reply lost; this server (where the client returns) lags
  }

  @Test
  void aWaiterDoesNotPassABarrierItsServerHasNotAppliedYet() throws Exception {
    committedElsewhere("/b"); // another session raised it and was answered
    assertThat(new Barrier(connect(), "/b").waitOnBarrier(Duration.ofMillis(300))).isFalse();
  }

  @Test
  void aLockNodeWhoseCreateReplyWasLostIsFoundAgainNotCreatedTwice() throws Exception {
    Mutex mutex = new Mutex(connect(), "/lock");
    mutex.acquire();
    assertThat(creates.get()).as("creates sent").isEqualTo(1);
    assertThat(mutex.lockNodePath()).endsWith("-lock-0000000000");
  }

  @Test
  void aTakeWhoseReplyWasLostIsRecognisedByItsReceiptNotLost() throws Exception {
    String item = "/q/_c_00000000-0000-0000-0000-000000000000-item-0000000007";
    everywhere("/q");
    everywhere("/q-taken");
    everywhere(item);
    DistributedQueue.Item taken = new DistributedQueue(connect(), "/q").poll();
    assertThat(taken).isNotNull();
    assertThat(taken.data()).isEqualTo(item.getBytes(StandardCharsets.UTF_8));
    assertThat(multis.get()).as("takes sent").isEqualTo(1);
  }
}
