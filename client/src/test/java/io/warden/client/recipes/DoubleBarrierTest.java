package io.warden.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.WardenClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DoubleBarrierTest extends RecipeTestBase {

  @Test
  void allPartiesEnterTogetherAndLeaveTogether() throws Exception {
    int parties = 5;
    List<String> log = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < parties; i++) {
      DoubleBarrier b = new DoubleBarrier(client(), path, "m" + i, parties);
      all.add(CompletableFuture.runAsync(() -> MutexTest.run(() -> {
        log.add("arrive");
        assertThat(b.enter(Duration.ofSeconds(15))).isTrue();
        log.add("work");
        assertThat(b.leave(Duration.ofSeconds(15))).isTrue();
        log.add("gone");
      })));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    // nobody worked before everyone arrived; nobody left before everyone worked
    assertThat(log.subList(0, parties)).containsOnly("arrive");
    assertThat(log.subList(parties, 2 * parties)).containsOnly("work");
    assertThat(log.subList(2 * parties, 3 * parties)).containsOnly("gone");
    assertThat(caughtUpClient().blocking().getChildren(path)).isEmpty();
  }

  @Test
  void enterTimesOutWhenPartiesAreMissingAndLeavesNoTrace() throws Exception {
    WardenClient c = client();
    DoubleBarrier b = new DoubleBarrier(c, path, "alone", 3);
    assertThat(b.enter(Duration.ofMillis(200))).isFalse();
    assertThat(c.blocking().getChildren(path)).isEmpty();
  }

  @Test
  void aDeadPartyDoesNotBlockLeave() throws Exception {
    WardenClient doomed = client();
    DoubleBarrier a = new DoubleBarrier(doomed, path, "a", 2);
    DoubleBarrier b = new DoubleBarrier(client(), path, "b", 2);
    CompletableFuture<Boolean> aIn = CompletableFuture.supplyAsync(() -> MutexTest.call(() ->
        a.enter(Duration.ofSeconds(10))));
    assertThat(b.enter(Duration.ofSeconds(10))).isTrue();
    assertThat(aIn.get(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Boolean> bOut = CompletableFuture.supplyAsync(() -> MutexTest.call(() ->
        b.leave(Duration.ofSeconds(10))));
    doomed.close(); // a dies inside the barrier: its ephemeral member node goes
    assertThat(bOut.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void badArgumentsFailClearly() throws Exception {
    WardenClient c = client();
    assertThatThrownBy(() -> new DoubleBarrier(c, path, "a/b", 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memberId");
    assertThatThrownBy(() -> new DoubleBarrier(c, path, "ready", 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DoubleBarrier(c, path, "x", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
