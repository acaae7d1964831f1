package io.warden.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.WardenClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BarrierTest extends RecipeTestBase {

  @Test
  void noBarrierMeansNoWait() throws Exception {
    assertThat(new Barrier(client(), path).waitOnBarrier(Duration.ofMillis(100))).isTrue();
  }

  @Test
  void waitersPassOnlyOnceTheBarrierIsRemovedAndThenAllTogether() throws Exception {
    Barrier owner = new Barrier(client(), path);
    owner.setBarrier();
    owner.setBarrier(); // idempotent
    List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Barrier b = new Barrier(client(), path);
      waiters.add(CompletableFuture.supplyAsync(() -> MutexTest.call(() ->
          b.waitOnBarrier(Duration.ofSeconds(10)))));
    }
    org.awaitility.Awaitility.await().during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2)).until(() -> waiters.stream().noneMatch(f -> f.isDone()));
    owner.removeBarrier();
    for (CompletableFuture<Boolean> w : waiters) {
      assertThat(w.get(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aWaiterTimesOutWhileTheBarrierStands() throws Exception {
    new Barrier(client(), path).setBarrier();
    assertThat(new Barrier(client(), path).waitOnBarrier(Duration.ofMillis(200))).isFalse();
  }

  @Test
  void theBarrierOutlivesTheSessionThatRaisedIt() throws Exception {
    WardenClient raiser = client();
    new Barrier(raiser, path).setBarrier();
    raiser.close();
    Barrier b = new Barrier(client(), path);
    assertThat(b.waitOnBarrier(Duration.ofMillis(100))).isFalse();
    b.removeBarrier();
    assertThat(b.waitOnBarrier(Duration.ofMillis(100))).isTrue();
  }

  @Test
  void badPathsFailClearly() throws Exception {
    WardenClient c = client();
    assertThatThrownBy(() -> new Barrier(c, "/a/../b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Barrier(c, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
