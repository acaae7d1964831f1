package io.warden.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadWriteLockTest extends RecipeTestBase {

  @Test
  void readersShare() throws Exception {
    Mutex r1 = new ReadWriteLock(client(), path).readLock();
    Mutex r2 = new ReadWriteLock(client(), path).readLock();
    r1.acquire();
    assertThat(r2.acquire(Duration.ofSeconds(5))).isTrue();
    assertThat(r1.isHeld() && r2.isHeld()).isTrue();
  }

  @Test
  void aWriterExcludesReadersAndWriters() throws Exception {
    ReadWriteLock owner = new ReadWriteLock(client(), path);
    owner.writeLock().acquire();
    assertThat(new ReadWriteLock(client(), path).readLock().acquire(Duration.ofMillis(200)))
        .isFalse();
    assertThat(new ReadWriteLock(client(), path).writeLock().acquire(Duration.ofMillis(200)))
        .isFalse();
    owner.writeLock().release();
    assertThat(new ReadWriteLock(client(), path).readLock().acquire(Duration.ofSeconds(5)))
        .isTrue();
  }

  @Test
  void aWriterWaitsForReadersAndLaterReadersWaitForTheWriter() throws Exception {
    Mutex reader = new ReadWriteLock(client(), path).readLock();
    reader.acquire();
    Mutex writer = new ReadWriteLock(client(), path).writeLock();
    CompletableFuture<Boolean> writing = CompletableFuture.supplyAsync(() -> MutexTest.call(() ->
        writer.acquire(Duration.ofSeconds(10))));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> client().blocking().getChildren(path).size() == 2);
    // fair: a reader arriving after the waiting writer queues behind it
    assertThat(new ReadWriteLock(client(), path).readLock().acquire(Duration.ofMillis(200)))
        .isFalse();
    assertThat(writing).isNotDone();
    reader.release();
    assertThat(writing.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.fencingToken()).isGreaterThan(0);
  }

  @Test
  void underContentionWritersAreAloneAndReadersNeverSeeAWriter() throws Exception {
    long seed = seed("underContentionWritersAreAloneAndReadersNeverSeeAWriter");
    AtomicInteger readers = new AtomicInteger();
    AtomicInteger writers = new AtomicInteger();
    AtomicInteger violations = new AtomicInteger();
    AtomicInteger writes = new AtomicInteger();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ReadWriteLock rw = new ReadWriteLock(client(), path);
      Random random = new Random(seed + i);
      all.add(CompletableFuture.runAsync(() -> MutexTest.run(() -> {
        for (int k = 0; k < 40; k++) {
          boolean write = random.nextInt(3) == 0;
          Mutex m = write ? rw.writeLock() : rw.readLock();
          m.acquire();
          if (write) {
            if (writers.incrementAndGet() != 1 || readers.get() != 0) {
              violations.incrementAndGet();
            }
            writes.incrementAndGet();
            writers.decrementAndGet();
          } else {
            readers.incrementAndGet();
            if (writers.get() != 0) {
              violations.incrementAndGet();
            }
            readers.decrementAndGet();
          }
          m.release();
        }
      })));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(violations.get()).isZero();
    assertThat(writes.get()).isPositive();
  }

  @Test
  void aClosedHoldersLocksAreReleased() throws Exception {
    var holderClient = client();
    new ReadWriteLock(holderClient, path).writeLock().acquire();
    Mutex next = new ReadWriteLock(client(), path).writeLock();
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> MutexTest.call(() ->
        next.acquire(Duration.ofSeconds(10))));
    holderClient.close();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
