package io.warden.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SemaphoreTest extends RecipeTestBase {

  @Test
  void givesOutAtMostItsPermitsAndTimesOutCleanly() throws Exception {
    Semaphore.Lease a = new Semaphore(client(), path, 2).acquire();
    Semaphore.Lease b = new Semaphore(client(), path, 2).acquire(Duration.ofSeconds(5));
    assertThat(b).isNotNull();
    Semaphore third = new Semaphore(client(), path, 2);
    assertThat(third.acquire(Duration.ofMillis(200))).isNull();
    assertThat(third.leaseCount()).isEqualTo(2);
    a.close();
    assertThat(third.acquire(Duration.ofSeconds(5))).isNotNull();
    assertThat(b.isValid()).isTrue();
  }

  @Test
  void aReleasedLeaseLetsAWaiterIn() throws Exception {
    Semaphore.Lease held = new Semaphore(client(), path, 1).acquire();
    Semaphore other = new Semaphore(client(), path, 1);
    CompletableFuture<Semaphore.Lease> waiting = CompletableFuture.supplyAsync(() ->
        MutexTest.call(() -> other.acquire(Duration.ofSeconds(10))));
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
        .until(() -> !waiting.isDone());
    held.close();
    held.close(); // idempotent
    assertThat(held.isValid()).isFalse();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void sixClientsNeverExceedThreePermits() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Semaphore s = new Semaphore(client(), path, 3);
      all.add(CompletableFuture.runAsync(() -> MutexTest.run(() -> {
        for (int k = 0; k < 15; k++) {
          try (Semaphore.Lease lease = s.acquire()) {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.yield();
            inside.decrementAndGet();
          }
        }
      })));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(maxInside.get()).isBetween(1, 3);
    assertThat(new Semaphore(caughtUpClient(), path, 3).leaseCount()).isZero();
  }

  @Test
  void aDeadHoldersLeaseIsFreed() throws Exception {
    WardenClient holder = client();
    new Semaphore(holder, path, 1).acquire();
    Semaphore other = new Semaphore(client(), path, 1);
    CompletableFuture<Semaphore.Lease> waiting = CompletableFuture.supplyAsync(() ->
        MutexTest.call(() -> other.acquire(Duration.ofSeconds(10))));
    holder.close();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aLeaseIsInvalidWhileSuspended() throws Exception {
    Proxied p = proxiedClient(Duration.ofSeconds(8));
    Semaphore.Lease lease = new Semaphore(p.client(), path, 1).acquire();
    p.proxy().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.SUSPENDED));
    assertThat(lease.isValid()).isFalse();
    p.proxy().heal();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.RECONNECTED));
    assertThat(lease.isValid()).isTrue();
    lease.close();
  }

  @Test
  void badArgumentsFailClearly() throws Exception {
    WardenClient c = client();
    assertThatThrownBy(() -> new Semaphore(c, path, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits");
    assertThatThrownBy(() -> new Semaphore(c, "x/y", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
