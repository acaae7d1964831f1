package io.warden.coordinator.tree;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZnodeVersionTest {
  @Test
  void versionsWrapButNeverBecomeMinusOne() {
    assertThat(Znode.nextVersion(0)).isEqualTo(1);
    assertThat(Znode.nextVersion(Integer.MAX_VALUE)).isEqualTo(Integer.MIN_VALUE);
    assertThat(Znode.nextVersion(-2)).as("-1 means 'any version' on the wire").isZero();
  }
}
