package io.warden.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.client.BlockingWardenClient;
import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TreeCacheTest extends RecipeTestBase {
  private static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;

  private BlockingWardenClient writer() throws Exception {
    BlockingWardenClient w = client().blocking();
    RecipePaths.ensure(w, io.warden.client.RetryPolicy.standard(), path);
    return w;
  }

  @Test
  void loadsTheExistingSubtree() throws Exception {
    BlockingWardenClient w = writer();
    w.create(path + "/a", "1".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT);
    w.create(path + "/a/b", "2".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT);
    TreeCache cache = closeLater(new TreeCache(caughtUpClient(), path));
    cache.start();
    assertThat(cache.snapshot().keySet()).containsExactly(path, path + "/a", path + "/a/b");
    assertThat(cache.get(path + "/a/b").data()).isEqualTo("2".getBytes(UTF_8));
    assertThat(cache.children(path)).containsExactly("a");
    assertThat(cache.isLive()).isTrue();
  }

  @Test
  void followsCreatesUpdatesAndDeletesWithEvents() throws Exception {
    BlockingWardenClient w = writer();
    TreeCache cache = closeLater(new TreeCache(client(), path));
    List<String> events = new CopyOnWriteArrayList<>();
    cache.addListener(e -> events.add(e.type() + " " + e.path()));
    cache.start();
    w.create(path + "/x", null, OPEN, CreateMode.PERSISTENT);
    w.create(path + "/x/y", null, OPEN, CreateMode.PERSISTENT);
    // the cache reads a node when it hears of it: let it see /x/y before the data changes, or
    // that read may already return the new data and there is no update to report
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(path + "/x/y") != null);
    w.setData(path + "/x/y", "v".getBytes(UTF_8), -1);
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(path + "/x/y").data() != null);
    w.delete(path + "/x/y", -1);
    w.delete(path + "/x", -1);
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(path + "/x") == null);
    assertThat(events).containsSubsequence("ADDED " + path, "INITIALIZED " + path,
        "ADDED " + path + "/x", "ADDED " + path + "/x/y", "UPDATED " + path + "/x/y",
        "REMOVED " + path + "/x/y", "REMOVED " + path + "/x");
  }

  @Test
  void aRootThatDoesNotExistYetIsPickedUpWhenCreated() throws Exception {
    TreeCache cache = closeLater(new TreeCache(client(), path + "/later"));
    cache.start();
    assertThat(cache.snapshot()).isEmpty();
    writer().create(path + "/later", "hi".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT);
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(path + "/later") != null);
  }

  @Test
  void catchesUpAfterAReconnect() throws Exception {
    BlockingWardenClient w = writer();
    w.create(path + "/old", null, OPEN, CreateMode.PERSISTENT);
    Proxied p = proxiedClient(Duration.ofSeconds(8));
    TreeCache cache = closeLater(new TreeCache(p.client(), path));
    cache.start();
    p.proxy().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.SUSPENDED));
    assertThat(cache.isLive()).isFalse();
    w.delete(path + "/old", -1);
    w.create(path + "/new", "n".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT);
    p.proxy().heal();
    await().atMost(Duration.ofSeconds(15)).until(() -> cache.get(path + "/new") != null
        && cache.get(path + "/old") == null);
    assertThat(cache.isLive()).isTrue();
  }

  @Test
  void manyQuickChangesConvergeToTheServersState() throws Exception {
    BlockingWardenClient w = writer();
    TreeCache cache = closeLater(new TreeCache(client(), path));
    cache.start();
    for (int i = 0; i < 30; i++) {
      w.create(path + "/n" + i, Integer.toString(i).getBytes(UTF_8), OPEN, CreateMode.PERSISTENT);
      w.setData(path + "/n" + i, ("v" + i).getBytes(UTF_8), -1);
      if (i % 3 == 0) {
        w.delete(path + "/n" + i, -1);
      }
    }
    // The cache reads n29 when it hears of its creation; on an ensemble its server may not have
    // applied the setData yet, and the update arrives as a later event: wait for both.
    await().atMost(Duration.ofSeconds(10)).until(() -> cache.children(path).size() == 20
        && cache.get(path + "/n29") != null
        && java.util.Arrays.equals(cache.get(path + "/n29").data(), "v29".getBytes(UTF_8)));
  }

  @Test
  void misuseFailsClearly() throws Exception {
    WardenClient c = client();
    assertThatThrownBy(() -> new TreeCache(c, "relative")).isInstanceOf(IllegalArgumentException.class);
    TreeCache cache = closeLater(new TreeCache(c, path));
    cache.start();
    assertThatThrownBy(cache::start).isInstanceOf(IllegalStateException.class);
  }
}
