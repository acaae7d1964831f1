package io.warden.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The core thread is a network event loop, and sockets opened from its context are served by
 * it — the premise of putting the peer connections on the core (no hand-off per message). It
 * rests on Vert.x's internal context API, so a Vert.x upgrade that serves them elsewhere must
 * fail here.
 */
class CoreEventLoopTest {
  private final Vertx vertx = Vertx.vertx();
  private final CoreEventLoop core = CoreEventLoop.create(vertx, 7);

  @AfterEach
  void close() throws Exception {
    core.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void tasksRunInOrderOnTheNamedCoreThread() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 100; i++) {
      int n = i;
      core.executor().execute(() -> ran.add(n + "@" + Thread.currentThread().getName()));
    }
    core.executor().submit(() -> { }).get(10, TimeUnit.SECONDS);
    assertThat(ran).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(ran.get(i)).isEqualTo(i + "@warden-core-7");
    }
  }

  @Test
  void socketsListenedAndDialledFromItsContextAreServedByTheCoreThread() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    int port = echoServerOn(core.context(), threads);
    String reply = dialFrom(core.context(), port, threads);
    assertThat(reply).isEqualTo("ping");
    assertThat(threads).containsExactly("warden-core-7");
  }

  @Test
  void socketsOfAnotherContextAreNot() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Context other = vertx.getOrCreateContext();
    int port = echoServerOn(other, threads);
    dialFrom(other, port, threads);
    assertThat(threads).isNotEmpty().doesNotContain("warden-core-7");
  }

  @Test
  void socketsAreServedWhileTasksKeepComing() throws Exception {
    // A chain of tasks that requeue themselves, as under load; with Netty's default quantum a
    // socket would wait about a second behind them.
    Set<String> threads = ConcurrentHashMap.newKeySet();
    int port = echoServerOn(core.context(), threads);
    AtomicBoolean stop = new AtomicBoolean();
    long chainEndsNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Runnable[] link = new Runnable[1];
    link[0] = () -> {
      long until = System.nanoTime() + 100_000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      if (!stop.get() && System.nanoTime() < chainEndsNanos) {
        core.executor().execute(link[0]);
      }
    };
    core.executor().execute(link[0]);
    try {
      long t0 = System.nanoTime();
      assertThat(dialFrom(core.context(), port, threads)).isEqualTo("ping");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(ms).as("connect and echo round trip behind the task chain, ms").isLessThan(500);
    } finally {
      stop.set(true);
    }
  }

  /** An echo server listened from {@code context}; records the threads its handlers ran on. */
  private int echoServerOn(Context context, Set<String> threads) throws Exception {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    context.runOnContext(v -> {
      NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
      server.connectHandler(s -> {
        threads.add(Thread.currentThread().getName());
        s.handler(buf -> {
          threads.add(Thread.currentThread().getName());
          s.write(buf);
        });
      });
      server.listen().onSuccess(s -> port.complete(s.actualPort())).onFailure(port::completeExceptionally);
    });
    return port.get(10, TimeUnit.SECONDS);
  }

  /** Dials from {@code context}, sends "ping" and returns what came back. */
  private String dialFrom(Context context, int port, Set<String> threads) throws Exception {
    CompletableFuture<String> reply = new CompletableFuture<>();
    NetClient client = vertx.createNetClient();
    context.runOnContext(v -> client.connect(port, "127.0.0.1").onSuccess(s -> {
      threads.add(Thread.currentThread().getName());
      Buffer got = Buffer.buffer();
      s.handler(buf -> {
        threads.add(Thread.currentThread().getName());
        got.appendBuffer(buf);
        if (got.length() >= 4) {
          reply.complete(got.toString());
          s.close();
        }
      });
      s.write("ping");
    }).onFailure(reply::completeExceptionally));
    return reply.get(10, TimeUnit.SECONDS);
  }
}
