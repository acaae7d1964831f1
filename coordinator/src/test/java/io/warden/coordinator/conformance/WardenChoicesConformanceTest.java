package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where Warden deliberately differs from a default ZooKeeper, documented in its code: TTL nodes are
 * on by default (StateMachine, WardenConfig) — every other test here creates them without
 * configuring anything; switched off, a TTL create gets ZooKeeper's answer for disabled extended
 * types, Unimplemented. Always runs against Warden.
 */
class WardenChoicesConformanceTest {
  @TempDir Path dir;

  @Test
  void ttlCreateIsUnimplementedWhenExtendedTypesAreSwitchedOff() throws Exception {
    try (WardenTarget off = WardenTarget.start(dir, b -> b.extendedTypesEnabled(false));
        Clients clients = new Clients(off.connectString())) {
      ZooKeeper zk = clients.connect();
      assertThatThrownBy(
              () ->
                  zk.create(
                      "/ttl",
                      null,
                      Ids.OPEN_ACL_UNSAFE,
                      CreateMode.PERSISTENT_WITH_TTL,
                      new Stat(),
                      60_000))
          .isInstanceOf(KeeperException.UnimplementedException.class);
      assertThat(zk.exists("/ttl", false)).isNull();
      // the connection stays usable: this Unimplemented is an answer, not an unknown opcode
      zk.create("/plain", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      assertThat(zk.getState()).isEqualTo(ZooKeeper.States.CONNECTED);
    }
  }
}
