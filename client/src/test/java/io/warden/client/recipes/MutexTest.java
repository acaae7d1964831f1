package io.warden.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MutexTest extends RecipeTestBase {

  @Test
  void acquireCreatesOneNodeAndReleaseRemovesIt() throws Exception {
    WardenClient c = client();
    Mutex mutex = new Mutex(c, path);
    mutex.acquire();
    assertThat(mutex.isHeld()).isTrue();
    assertThat(c.blocking().getChildren(path)).hasSize(1)
        .allMatch(n -> n.startsWith("_c_") && n.contains("-lock-"));
    assertThat(mutex.lockNodePath()).startsWith(path + "/_c_");
    mutex.release();
    assertThat(mutex.isHeld()).isFalse();
    assertThat(c.blocking().getChildren(path)).isEmpty();
  }

  @Test
  void aSecondClientWaitsUntilTheFirstReleases() throws Exception {
    Mutex first = new Mutex(client(), path);
    Mutex second = new Mutex(client(), path);
    first.acquire();
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> call(() ->
        second.acquire(Duration.ofSeconds(10))));
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
        .until(() -> !waiting.isDone());
    first.release();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(second.isHeld()).isTrue();
  }

  @Test
  void aTimedOutAcquireReturnsFalseAndLeavesNothingBehind() throws Exception {
    WardenClient c = client();
    Mutex holder = new Mutex(c, path);
    holder.acquire();
    Mutex other = new Mutex(client(), path);
    assertThat(other.acquire(Duration.ofMillis(200))).isFalse();
    assertThat(other.isHeld()).isFalse();
    // other's session deleted its node: c's server may not have applied that yet
    c.blocking().sync(path);
    assertThat(c.blocking().getChildren(path)).hasSize(1);
    assertThat(other.acquire(Duration.ZERO)).isFalse();
  }

  @Test
  void waitersAreServedInArrivalOrder() throws Exception {
    Mutex holder = new Mutex(client(), path);
    holder.acquire();
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> waiters = new ArrayList<>();
    WardenClient c = client();
    for (int i = 0; i < 4; i++) {
      int n = i;
      Mutex m = new Mutex(client(), path);
      waiters.add(CompletableFuture.runAsync(() -> run(() -> {
        m.acquire();
        order.add(n);
        m.release();
      })));
      await().atMost(Duration.ofSeconds(5))
          .until(() -> c.blocking().getChildren(path).size() == n + 2);
    }
    holder.release();
    CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(order).containsExactly(0, 1, 2, 3);
  }

  @Test
  void eightClientsKeepASharedCounterExact() throws Exception {
    int clients = 8;
    int perClient = 150;
    WardenClient setup = client();
    String counter = path + "-counter";
    setup.blocking().create(counter, "0".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    long[] local = {0};
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        WardenClient c = client();
        Mutex mutex = new Mutex(c, path);
        done.add(pool.submit(() -> {
          for (int k = 0; k < perClient; k++) {
            mutex.acquire();
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            // read-modify-write without compare-and-set: only the lock makes it exact
            long value = Long.parseLong(new String(c.blocking().getData(counter).data(), UTF_8));
            c.blocking().setData(counter, Long.toString(value + 1).getBytes(UTF_8), -1);
            local[0] = local[0] + 1;
            inside.decrementAndGet();
            mutex.release();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // the workers' sessions wrote the counter: setup's server may not have applied the last write
    setup.blocking().sync(counter);
    long total = Long.parseLong(new String(setup.blocking().getData(counter).data(), UTF_8));
    assertThat(total).isEqualTo((long) clients * perClient);
    assertThat(local[0]).isEqualTo((long) clients * perClient);
    assertThat(maxInside.get()).isEqualTo(1);
  }

  @Test
  void fencingTokensGrowWithEveryHolder() throws Exception {
    long last = 0;
    for (int i = 0; i < 4; i++) {
      Mutex m = new Mutex(client(), path);
      m.acquire();
      assertThat(m.fencingToken()).isGreaterThan(last);
      last = m.fencingToken();
      m.release();
    }
  }

  @Test
  void closingTheHoldersSessionHandsTheLockOn() throws Exception {
    WardenClient holderClient = client();
    Mutex holder = new Mutex(holderClient, path);
    holder.acquire();
    long token = holder.fencingToken();
    Mutex next = new Mutex(client(), path);
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> call(() ->
        next.acquire(Duration.ofSeconds(10))));
    holderClient.close(); // no release: the session ends and takes the node along
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(next.fencingToken()).isGreaterThan(token);
    assertThat(holder.isHeld()).isFalse();
    holder.release(); // only forgets: the client is closed
  }

  @Test
  void isHeldIsFalseWhileSuspendedAndTrueAgainAfterReconnect() throws Exception {
    Proxied p = proxiedClient(Duration.ofSeconds(8));
    Mutex mutex = new Mutex(p.client(), path);
    mutex.acquire();
    p.proxy().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.SUSPENDED));
    assertThat(mutex.isHeld()).isFalse();
    p.proxy().heal();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.RECONNECTED));
    assertThat(mutex.isHeld()).isTrue();
    Mutex other = new Mutex(client(), path);
    assertThat(other.acquire(Duration.ofMillis(100))).isFalse(); // the session kept the lock
    mutex.release();
    assertThat(other.acquire(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void losingTheSessionLosesTheLockAndAWaiterFailsWithSessionExpired() throws Exception {
    Proxied p = proxiedClient(Duration.ofMillis(1500));
    Mutex holder = new Mutex(client(), path);
    holder.acquire();
    Mutex waiter = new Mutex(p.client(), path);
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> call(() ->
        waiter.acquire(Duration.ofSeconds(30))));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> holder.isHeld() && client().blocking().getChildren(path).size() == 2);
    p.proxy().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.LOST));
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
        () -> waiting.get(10, TimeUnit.SECONDS));
    assertThat(failure).hasRootCauseInstanceOf(WardenException.class);
    assertThat(((WardenException) rootCause(failure)).code()).isEqualTo(ErrorCode.SESSION_EXPIRED);
    assertThat(waiter.isHeld()).isFalse();
  }

  @Test
  void misuseFailsClearly() throws Exception {
    WardenClient c = client();
    assertThatThrownBy(() -> new Mutex(c, "no-slash")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-slash");
    assertThatThrownBy(() -> new Mutex(c, "/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Mutex(c, "/a//b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Mutex(null, path)).isInstanceOf(NullPointerException.class);
    Mutex mutex = new Mutex(c, path);
    assertThatThrownBy(mutex::release).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not hold");
    assertThatThrownBy(mutex::fencingToken).isInstanceOf(IllegalStateException.class);
    mutex.acquire();
    assertThatThrownBy(mutex::acquire).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reentrant");
  }

  @Test
  void aClosedClientFailsFastInsteadOfHanging() throws Exception {
    WardenClient c = client();
    c.close();
    Mutex mutex = new Mutex(c, path);
    assertThatThrownBy(() -> mutex.acquire(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void anInterruptedWaiterLeavesNothingBehind() throws Exception {
    WardenClient c = client();
    new Mutex(c, path).acquire();
    Mutex waiter = new Mutex(client(), path);
    Thread t = new Thread(() -> {
      try {
        waiter.acquire();
      } catch (InterruptedException expected) {
        Thread.currentThread().interrupt();
      } catch (WardenException e) {
        throw new IllegalStateException(e);
      }
    });
    t.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.blocking().getChildren(path).size() == 2);
    t.interrupt();
    t.join(5000);
    assertThat(t.isAlive()).isFalse();
    c.blocking().sync(path); // the waiter's session deleted its node
    assertThat(c.blocking().getChildren(path)).hasSize(1);
  }

  static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  interface Body<T> {
    T run() throws Exception;
  }

  interface VoidBody {
    void run() throws Exception;
  }

  static <T> T call(Body<T> body) {
    try {
      return body.run();
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  static void run(VoidBody body) {
    call(() -> {
      body.run();
      return null;
    });
  }
}
