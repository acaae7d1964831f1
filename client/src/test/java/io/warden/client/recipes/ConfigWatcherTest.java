package io.warden.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.warden.client.BlockingWardenClient;
import io.warden.client.ConnectionState;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ConfigWatcherTest extends RecipeTestBase {
  private static Integer decode(byte[] data) {
    return Integer.valueOf(new String(data, UTF_8).trim());
  }

  private BlockingWardenClient writer() throws Exception {
    BlockingWardenClient w = client().blocking();
    RecipePaths.ensure(w, io.warden.client.RetryPolicy.standard(), path.substring(0,
        path.lastIndexOf('/')));
    return w;
  }

  @Test
  void theDefaultStandsUntilTheNodeExists() throws Exception {
    ConfigWatcher<Integer> cfg = closeLater(new ConfigWatcher<>(client(), path,
        ConfigWatcherTest::decode, 7)).start();
    assertThat(cfg.get()).isEqualTo(7);
    writer().create(path, "8".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    await().atMost(Duration.ofSeconds(5)).until(() -> cfg.get() == 8);
  }

  @Test
  void updatesLiveAndTellsListeners() throws Exception {
    BlockingWardenClient w = writer();
    w.create(path, "1".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    ConfigWatcher<Integer> cfg = new ConfigWatcher<>(caughtUpClient(), path,
        ConfigWatcherTest::decode, 0);
    List<Integer> heard = new CopyOnWriteArrayList<>();
    cfg.addListener(heard::add);
    closeLater(cfg).start();
    assertThat(cfg.get()).isEqualTo(1);
    w.setData(path, "2".getBytes(UTF_8), -1);
    await().atMost(Duration.ofSeconds(5)).until(() -> cfg.get() == 2);
    w.delete(path, -1);
    await().atMost(Duration.ofSeconds(5)).until(() -> cfg.get() == 0);
    assertThat(heard).containsExactly(1, 2, 0);
  }

  @Test
  void aBadValueKeepsTheLastGoodOne() throws Exception {
    BlockingWardenClient w = writer();
    w.create(path, "5".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    ConfigWatcher<Integer> cfg = closeLater(new ConfigWatcher<>(caughtUpClient(), path,
        ConfigWatcherTest::decode, 0)).start();
    w.setData(path, "five".getBytes(UTF_8), -1);
    await().atMost(Duration.ofSeconds(5)).until(() -> cfg.lastError() != null);
    assertThat(cfg.get()).isEqualTo(5);
    assertThat(cfg.lastError()).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void survivesAReconnectAndSeesWhatChangedMeanwhile() throws Exception {
    BlockingWardenClient w = writer();
    w.create(path, "1".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    Proxied p = proxiedClient(Duration.ofSeconds(8));
    p.client().blocking().sync(path); // a new session: see caughtUpClient()
    ConfigWatcher<Integer> cfg = closeLater(new ConfigWatcher<>(p.client(), path,
        ConfigWatcherTest::decode, 0)).start();
    p.proxy().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.SUSPENDED));
    w.setData(path, "3".getBytes(UTF_8), -1);
    assertThat(cfg.get()).isEqualTo(1); // stale while cut off
    p.proxy().heal();
    await().atMost(Duration.ofSeconds(15)).until(() -> cfg.get() == 3);
  }

  @Test
  void aNullDecoderIsRejected() throws Exception {
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
        new ConfigWatcher<Integer>(client(), path, null, 0))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("decoder");
  }
}
