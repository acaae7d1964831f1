package io.warden.brokersim.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.PartitionState;
import io.warden.brokersim.layout.TopicPartition;
import io.warden.client.WardenClient;
import io.warden.coordinator.server.TestEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale run, scaled down, against a 3-node Warden ensemble. */
class ScaleRunTest {
  @TempDir
  Path dir;

  @Test
  void eachStepAddsItsTopicsAndEveryFailoverElectsANewControllerThatLeavesNoPartitionOffline()
      throws Exception {
    long seed = 11;
    try (TestEnsemble ensemble = TestEnsemble.start(Files.createDirectories(dir.resolve("e")), 3, 0)) {
      ensemble.awaitStable(Duration.ofSeconds(30));
      List<String> progress = new CopyOnWriteArrayList<>();
      ScaleRun.Settings settings = new ScaleRun.Settings(ensemble.connectString(), 8, List.of(60, 180),
          30, 3, 2, Duration.ofSeconds(4), seed);
      List<ScaleRun.Step> steps = new ScaleRun(settings, progress::add).run();

      assertThat(steps).extracting(ScaleRun.Step::partitions).containsExactly(60, 180);
      assertThat(steps).extracting(ScaleRun.Step::topics).containsExactly(2, 6);
      for (ScaleRun.Step step : steps) {
        assertThat(step.failoverMs()).hasSize(2).allMatch(ms -> ms >= 0);
        assertThat(step.violations()).isEmpty();
      }
      // the first election and each of the four failovers reported its work, in epoch order (as
      // the fleet stops broker by broker at the end, one more may be elected)
      assertThat(progress).filteredOn(l -> l.contains("topics /"))
          .extracting(l -> l.replaceAll(".* (epoch \\d+):.*", "$1"))
          .startsWith("epoch 1", "epoch 2", "epoch 3", "epoch 4", "epoch 5");
      assertThat(steps.stream().flatMap(s -> s.ledByKilled().stream()).mapToInt(Integer::intValue).sum())
          .isPositive();

      try (WardenClient c = WardenClient.builder(ensemble.connectString() + "/scale-" + Long.toHexString(seed))
          .build()) {
        // the first election, then four kills: epoch 5 (more if the controller moved while the
        // fleet stopped broker by broker)
        assertThat(Layout.decodeControllerEpoch(c.blocking().getData(Layout.CONTROLLER_EPOCH).data()))
            .isGreaterThanOrEqualTo(5);
        assertThat(c.blocking().getChildren(Layout.BROKER_IDS)).as("the run closes its sessions").isEmpty();
        assertThat(c.blocking().getChildren(Layout.BROKER_TOPICS)).hasSize(6);
        for (int p = 0; p < 30; p++) {
          TopicPartition tp = new TopicPartition("scale-00005", p);
          PartitionState s = Layout.decodePartitionState(
              c.blocking().getData(Layout.partitionStatePath(tp)).data(), Layout.partitionStatePath(tp));
          assertThat(s.hasLeader()).as(tp.toString()).isTrue();
          assertThat(s.isr()).as(tp.toString()).contains(s.leader());
        }
      }
    }
  }
}
