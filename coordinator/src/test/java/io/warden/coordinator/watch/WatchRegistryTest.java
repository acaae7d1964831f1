package io.warden.coordinator.watch;

import static io.warden.protocol.EventType.NODE_CHILDREN_CHANGED;
import static io.warden.protocol.EventType.NODE_CREATED;
import static io.warden.protocol.EventType.NODE_DATA_CHANGED;
import static io.warden.protocol.EventType.NODE_DELETED;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.protocol.WatcherType;
import org.junit.jupiter.api.Test;

class WatchRegistryTest {
  private final WatchRegistry r = new WatchRegistry();

  @Test
  void standardDataWatchFiresOnceAndIsSetOncePerConnection() {
    assertThat(r.add(1, "/a", WatchKind.DATA)).isTrue();
    assertThat(r.add(1, "/a", WatchKind.DATA)).isFalse();
    assertThat(r.trigger("/a", NODE_DATA_CHANGED)).containsExactly(new Notification(1, NODE_DATA_CHANGED, "/a"));
    assertThat(r.trigger("/a", NODE_DATA_CHANGED)).isEmpty();
    assertThat(r.totalWatches()).isZero();
  }

  @Test
  void deleteFiresDataAndChildWatchesOncePerConnection() {
    r.add(1, "/a", WatchKind.DATA);
    r.add(1, "/a", WatchKind.CHILD);
    r.add(2, "/a", WatchKind.CHILD);
    assertThat(r.trigger("/a", NODE_DELETED)).extracting(Notification::watcherId).containsExactly(1L, 2L);
    assertThat(r.totalWatches()).isZero();
  }

  @Test
  void childWatchSeesOnlyChildrenChangedAndDelete() {
    r.add(1, "/p", WatchKind.CHILD);
    assertThat(r.trigger("/p", NODE_DATA_CHANGED)).isEmpty();
    assertThat(r.trigger("/p", NODE_CREATED)).isEmpty();
    assertThat(r.trigger("/p", NODE_CHILDREN_CHANGED)).hasSize(1);
    assertThat(r.trigger("/p", NODE_CHILDREN_CHANGED)).isEmpty();
  }

  @Test
  void persistentWatchStaysAndCoexistsWithAStandardOne() {
    r.add(1, "/a", WatchKind.PERSISTENT);
    r.add(1, "/a", WatchKind.DATA);
    assertThat(r.trigger("/a", NODE_DATA_CHANGED)).hasSize(1);
    assertThat(r.contains(1, "/a", WatcherType.DATA)).as("standard consumed").isFalse();
    assertThat(r.contains(1, "/a", WatcherType.PERSISTENT)).isTrue();
    assertThat(r.trigger("/a", NODE_CHILDREN_CHANGED)).hasSize(1);
    assertThat(r.trigger("/a", NODE_DELETED)).hasSize(1);
    assertThat(r.trigger("/a", NODE_CREATED)).hasSize(1);
  }

  @Test
  void recursiveWatchSeesDescendantsButNeverChildrenChanged() {
    r.add(1, "/a", WatchKind.PERSISTENT_RECURSIVE);
    assertThat(r.trigger("/a/b/c", NODE_CREATED)).containsExactly(new Notification(1, NODE_CREATED, "/a/b/c"));
    assertThat(r.trigger("/a", NODE_DATA_CHANGED)).hasSize(1);
    assertThat(r.trigger("/a", NODE_CHILDREN_CHANGED)).isEmpty();
    assertThat(r.trigger("/ab", NODE_CREATED)).as("prefix is not an ancestor").isEmpty();
    r.add(2, "/", WatchKind.PERSISTENT_RECURSIVE);
    assertThat(r.trigger("/x", NODE_DELETED)).extracting(Notification::watcherId).containsExactly(2L);
  }

  @Test
  void removeWatchesByTypeAndCheckWatches() {
    r.add(1, "/a", WatchKind.DATA);
    r.add(1, "/a", WatchKind.CHILD);
    r.add(1, "/a", WatchKind.PERSISTENT_RECURSIVE);
    assertThat(r.contains(1, "/a", WatcherType.CHILDREN)).isTrue();
    assertThat(r.remove(1, "/a", WatcherType.PERSISTENT)).isFalse();
    assertThat(r.remove(1, "/a", WatcherType.DATA)).isTrue();
    assertThat(r.watchCount(1)).isEqualTo(2);
    assertThat(r.remove(1, "/a", WatcherType.ANY)).isTrue();
    assertThat(r.watchCount(1)).isZero();
    assertThat(r.remove(1, "/a", WatcherType.ANY)).isFalse();
    assertThat(r.trigger("/a/b", NODE_CREATED)).isEmpty();
  }

  @Test
  void closingAConnectionDropsAllItsWatches() {
    r.add(1, "/a", WatchKind.DATA);
    r.add(1, "/b", WatchKind.PERSISTENT);
    r.add(2, "/a", WatchKind.DATA);
    assertThat(r.watcherCount()).isEqualTo(2);
    assertThat(r.pathCount()).isEqualTo(2);
    r.removeWatcher(1);
    assertThat(r.totalWatches()).isEqualTo(1);
    assertThat(r.trigger("/a", NODE_DELETED)).extracting(Notification::watcherId).containsExactly(2L);
    assertThat(r.trigger("/b", NODE_DELETED)).isEmpty();
  }
}
