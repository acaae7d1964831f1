package io.warden.coordinator.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.coordinator.server.TestServers;
import io.warden.coordinator.server.WardenServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Durable before visible" (DESIGN.md D3, THREADING.md ordering rule 3), observed from the
 * outside: the server's log store is wrapped to report each index once its append (with
 * fsync) has returned, and to make fsyncs randomly slow; raw clients check that no reply,
 * ping answer or watch event they receive carries a zxid above that durable index. The
 * planted-bug test runs the same checker against a store that acknowledges appends before
 * writing them and expects it to be caught.
 *
 * <p>Seeded (fsync delays and the op mix); replay with {@code -Dwarden.visibility.seed=<seed>}.
 */
class DurableBeforeVisibleTest {
  private static final String SEED_PROPERTY = "warden.visibility.seed";
  private static final int MAX_FSYNC_DELAY_MS = 8;
  private static final long TARGET_WRITES = 2000;
  private static final long TARGET_EVENTS = 300;

  @TempDir
  Path dir;

  private long seed;

  @BeforeEach
  void seed() {
    seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
    System.out.println("DurableBeforeVisibleTest seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
  }

  @Test
  void noReplyOrEventCarriesAZxidBeyondTheDurableIndex() {
    DurabilityWitness witness = new DurabilityWitness();
    WardenServer.StoreWrapper slowDisk = stores -> new WardenServer.Stores(
        new SlowWitnessedLogStore(stores.log(), witness, seed, MAX_FSYNC_DELAY_MS), stores.snapshots());
    // A small snapCount: snapshots and log compaction run concurrently with the load.
    try (WardenServer server = WardenServer.start(TestServers.config(dir).snapCount(50).build(),
        UnaryOperator.identity(), slowDisk);
        VisibilityLoad load = new VisibilityLoad(witness)) {
      load.createLayout(server.clientPort());
      load.start(server.clientPort(), seed, 2);
      await("write replies and watch events").atMost(Duration.ofSeconds(60))
          .until(() -> load.writesOk() >= TARGET_WRITES && witness.checkedEvents() >= TARGET_EVENTS
              || !witness.violations().isEmpty() || !load.problems().isEmpty());
      load.close();

      assertThat(load.problems()).isEmpty();
      assertThat(witness.violations()).as("frames whose zxid was not yet durable").isEmpty();
      assertThat(witness.checkedReplies()).isGreaterThanOrEqualTo(TARGET_WRITES);
      assertThat(witness.checkedEvents()).isGreaterThanOrEqualTo(TARGET_EVENTS);
      assertThat(server.runtime().status().lastSnapshotIndex()).as("snapshots taken under load").isPositive();
      System.out.printf("checked %d replies and %d events up to zxid 0x%x (durable 0x%x)%n", witness.checkedReplies(),
          witness.checkedEvents(), witness.maxSeenZxid(), witness.durableIndex());
    }
  }

  @Test
  void theCheckerCatchesAStoreThatAcknowledgesBeforeItWrites() throws Exception {
    DurabilityWitness witness = new DurabilityWitness();
    LyingLogStore[] lying = new LyingLogStore[1];
    WardenServer.StoreWrapper lyingDisk = stores -> {
      lying[0] = new LyingLogStore(stores.log(), witness, seed, MAX_FSYNC_DELAY_MS);
      return new WardenServer.Stores(lying[0], stores.snapshots());
    };
    try (WardenServer server =
        WardenServer.start(TestServers.config(dir).build(), UnaryOperator.identity(), lyingDisk)) {
      try (VisibilityLoad load = new VisibilityLoad(witness)) {
        load.createLayout(server.clientPort());
        load.start(server.clientPort(), seed, 2);
        await("the planted violation to be seen").atMost(Duration.ofSeconds(60))
            .until(() -> !witness.violations().isEmpty() || !load.problems().isEmpty());
        assertThat(load.problems()).isEmpty();
      } finally {
        lying[0].drain();
      }
      DurabilityWitness.Violation v = witness.violations().get(0);
      System.out.println("planted violation caught: " + v);
      assertThat(v.zxid()).isGreaterThan(v.durableIndex());
    }
  }
}
