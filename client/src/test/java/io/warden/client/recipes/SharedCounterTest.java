package io.warden.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.client.WardenClient;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedCounterTest extends RecipeTestBase {

  @Test
  void startsAtTheInitialValueAndIsReadableAsText() throws Exception {
    WardenClient c = client();
    SharedCounter counter = new SharedCounter(c, path, 41);
    assertThat(counter.get()).isEqualTo(41);
    assertThat(counter.add(1)).isEqualTo(42);
    assertThat(new String(c.blocking().getData(path).data(), UTF_8)).isEqualTo("42");
  }

  @Test
  void compareAndSetFailsOnAStaleVersion() throws Exception {
    SharedCounter a = new SharedCounter(client(), path, 0);
    SharedCounter b = new SharedCounter(client(), path, 0);
    SharedCounter.Versioned seen = a.getVersioned();
    assertThat(b.trySet(b.getVersioned(), 10)).isTrue();
    assertThat(a.trySet(seen, 5)).isFalse();
    assertThat(a.get()).isEqualTo(10);
  }

  @Test
  void concurrentAddsFromSixClientsLoseNothing() throws Exception {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      SharedCounter counter = new SharedCounter(client(), path, 0);
      all.add(CompletableFuture.runAsync(() -> MutexTest.run(() -> {
        for (int k = 0; k < 50; k++) {
          counter.add(1);
        }
      })));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(new SharedCounter(caughtUpClient(), path, 0).get()).isEqualTo(300);
  }

  @Test
  void aNodeThatIsNotANumberFailsClearly() throws Exception {
    WardenClient c = client();
    c.blocking().create("/" + getClass().getSimpleName(), null, Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    c.blocking().create(path, "twelve".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertThatThrownBy(() -> new SharedCounter(c, path, 0).get())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("twelve");
  }

  @Test
  void overflowIsAnError() throws Exception {
    SharedCounter counter = new SharedCounter(client(), path, Long.MAX_VALUE);
    assertThatThrownBy(() -> counter.add(1)).isInstanceOf(ArithmeticException.class);
    assertThat(counter.get()).isEqualTo(Long.MAX_VALUE);
  }
}
