package io.warden.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.WardenClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DistributedQueueTest extends RecipeTestBase {

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void itemsComeOutInOfferOrder() throws Exception {
    DistributedQueue q = new DistributedQueue(client(), path);
    for (int i = 0; i < 5; i++) {
      q.offer(bytes("m" + i));
    }
    assertThat(q.size()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(new String(q.poll().data(), UTF_8)).isEqualTo("m" + i);
    }
    assertThat(q.poll()).isNull();
    assertThat(q.size()).isZero();
  }

  @Test
  void takeWaitsForAnItemAndTimesOutWhenNoneComes() throws Exception {
    DistributedQueue consumer = new DistributedQueue(client(), path);
    assertThat(consumer.take(Duration.ofMillis(200))).isNull();
    CompletableFuture<DistributedQueue.Item> waiting = CompletableFuture.supplyAsync(() ->
        MutexTest.call(() -> consumer.take(Duration.ofSeconds(10))));
    new DistributedQueue(client(), path).offer(bytes("late"));
    assertThat(new String(waiting.get(10, TimeUnit.SECONDS).data(), UTF_8)).isEqualTo("late");
  }

  @Test
  void itemsAreDurableAcrossProducerSessions() throws Exception {
    WardenClient producer = client();
    new DistributedQueue(producer, path).offer(bytes("kept"));
    producer.close();
    assertThat(new String(new DistributedQueue(caughtUpClient(), path).poll().data(), UTF_8))
        .isEqualTo("kept");
  }

  @Test
  void racingConsumersTakeEveryItemExactlyOnce() throws Exception {
    DistributedQueue producer = new DistributedQueue(client(), path);
    int items = 120;
    for (int i = 0; i < items; i++) {
      producer.offer(bytes(Integer.toString(i)));
    }
    ConcurrentLinkedQueue<String> taken = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> consumers = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      DistributedQueue q = new DistributedQueue(client(), path);
      consumers.add(CompletableFuture.runAsync(() -> MutexTest.run(() -> {
        DistributedQueue.Item item;
        while ((item = q.poll()) != null) {
          taken.add(new String(item.data(), UTF_8));
        }
      })));
    }
    CompletableFuture.allOf(consumers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(taken).hasSize(items);
    assertThat(new HashSet<>(taken)).hasSize(items);
  }

  @Test
  void everyItemIsDeliveredExactlyOnceWhileConsumersAreKilled() throws Exception {
    long seed = seed("everyItemIsDeliveredExactlyOnceWhileConsumersAreKilled");
    Random random = new Random(seed);
    int items = 150;
    WardenClient producerClient = client();
    DistributedQueue producer = new DistributedQueue(producerClient, path);
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    List<String> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> running = new ArrayList<>();
    List<WardenClient> consumers = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int c = 0; c < 2; c++) {
        WardenClient client = client();
        consumers.add(client);
        DistributedQueue q = new DistributedQueue(client, path);
        running.add(CompletableFuture.runAsync(() -> {
          try {
            while (true) {
              DistributedQueue.Item item = q.take(Duration.ofSeconds(5));
              if (item == null) {
                return;
              }
              if (!delivered.add(new String(item.data(), UTF_8))) {
                duplicates.add(new String(item.data(), UTF_8));
              }
            }
          } catch (Exception | Error killed) {
            // the consumer's session was killed under it: that is the point of this test
          }
        }));
      }
      for (int i = 0; i < items / 5; i++) {
        producer.offer(bytes(round + "-" + i));
      }
      // kill one consumer of this round at a random moment: its session dies under it, as when
      // its process crashes (no closeSession, no chance to finish what it was doing)
      WardenClient victim = consumers.get(consumers.size() - 1 - random.nextInt(2));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> delivered.size() >= 1);
      if (server.canExpireSessions()) {
        server.expireSession(victim.sessionId());
      } else {
        victim.close();
      }
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> delivered.size() == items);
    assertThat(duplicates).isEmpty();
    // the consumers' sessions took the items: the producer's server may not have applied that yet
    producerClient.blocking().sync(path);
    assertThat(producer.size()).isZero();
  }

  @Test
  void badInputFailsClearly() throws Exception {
    WardenClient c = client();
    assertThatThrownBy(() -> new DistributedQueue(c, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DistributedQueue(c, "/q/")).isInstanceOf(IllegalArgumentException.class);
    c.close();
    DistributedQueue q = new DistributedQueue(c, path);
    assertThatThrownBy(() -> q.offer(bytes("x"))).isInstanceOf(IllegalStateException.class);
  }
}
