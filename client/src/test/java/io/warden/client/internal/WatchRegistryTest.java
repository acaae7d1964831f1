package io.warden.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.client.Watcher;
import io.warden.protocol.EventType;
import io.warden.protocol.WatcherType;
import org.junit.jupiter.api.Test;

/** The Java client's dispatch rules (reference §11.4), table by table. */
class WatchRegistryTest {
  private final WatchRegistry registry = new WatchRegistry();
  private final Watcher data = e -> { };
  private final Watcher exist = e -> { };
  private final Watcher child = e -> { };
  private final Watcher persistent = e -> { };
  private final Watcher recursive = e -> { };

  private void registerAll() {
    registry.add(WatchKind.DATA, "/a/b", data);
    registry.add(WatchKind.EXIST, "/a/b", exist);
    registry.add(WatchKind.CHILD, "/a/b", child);
    registry.add(WatchKind.PERSISTENT, "/a/b", persistent);
    registry.add(WatchKind.PERSISTENT_RECURSIVE, "/a", recursive);
  }

  @Test
  void dataChangeGoesToDataExistPersistentAndRecursiveAncestors() {
    registerAll();
    assertThat(registry.materialize(EventType.NODE_DATA_CHANGED, "/a/b"))
        .containsExactlyInAnyOrder(data, exist, persistent, recursive);
    assertThat(registry.materialize(EventType.NODE_DATA_CHANGED, "/a/b"))
        .containsExactlyInAnyOrder(persistent, recursive); // one-shots are gone
  }

  @Test
  void deletionGoesToEveryTableAndChildrenChangedSkipsRecursive() {
    registerAll();
    assertThat(registry.materialize(EventType.NODE_CHILDREN_CHANGED, "/a/b"))
        .containsExactlyInAnyOrder(child, persistent);
    registry.add(WatchKind.CHILD, "/a/b", child);
    assertThat(registry.materialize(EventType.NODE_DELETED, "/a/b"))
        .containsExactlyInAnyOrder(data, exist, child, persistent, recursive);
    assertThat(registry.materialize(EventType.NODE_CREATED, "/other")).isEmpty();
  }

  @Test
  void recursiveOnTheRootSeesEverything() {
    registry.add(WatchKind.PERSISTENT_RECURSIVE, "/", recursive);
    assertThat(registry.materialize(EventType.NODE_CREATED, "/x/y/z")).containsExactly(recursive);
  }

  @Test
  void removalReportsEventsAndWhatTheServerMustForget() {
    registerAll();
    Watcher second = e -> { };
    registry.add(WatchKind.DATA, "/a/b", second);
    assertThat(registry.remove("/a/b", data, WatcherType.DATA))
        .containsEntry(data, EventType.DATA_WATCH_REMOVED);
    assertThat(registry.emptiedServerTypes("/a/b", WatcherType.DATA)).isEmpty();
    registry.remove("/a/b", second, WatcherType.DATA);
    registry.remove("/a/b", exist, WatcherType.DATA);
    assertThat(registry.emptiedServerTypes("/a/b", WatcherType.DATA))
        .containsExactly(WatcherType.DATA);
    assertThat(registry.remove("/a/b", data, WatcherType.DATA)).isEmpty();
    assertThat(registry.remove("/a/b", null, WatcherType.ANY)).containsOnlyKeys(child, persistent);
    assertThat(registry.hasAny("/a", WatcherType.PERSISTENT_RECURSIVE)).isTrue();
  }

  @Test
  void setWatchesBatchesStayNearTheLimitAndUseTheOldOpcodeWithoutPersistentWatches() {
    for (int i = 0; i < 300; i++) {
      registry.add(WatchKind.DATA, "/node-" + "x".repeat(90) + i, data);
    }
    var batches = SetWatchesBatcher.batches(registry, new Chroot("/root"), 10_000);
    assertThat(batches).hasSizeGreaterThan(2);
    int total = batches.stream().mapToInt(b -> b.paths().get(WatchKind.DATA).size()).sum();
    assertThat(total).isEqualTo(300);
    assertThat(batches).allMatch(b -> b.opcode() == io.warden.protocol.OpCode.SET_WATCHES);
    assertThat(batches.get(0).paths().get(WatchKind.DATA)).allMatch(p -> p.startsWith("/root/"));
  }

  @Test
  void chrootMapsBothWays() {
    Chroot chroot = new Chroot("/app");
    assertThat(chroot.toServer("/")).isEqualTo("/app");
    assertThat(chroot.toServer("/x")).isEqualTo("/app/x");
    assertThat(chroot.toClient("/app")).isEqualTo("/");
    assertThat(chroot.toClient("/app/x")).isEqualTo("/x");
    assertThat(chroot.toClient("/apple")).isEqualTo("/apple");
    assertThat(chroot.toClient("/zookeeper/config")).isEqualTo("/zookeeper/config");
  }
}
