package io.warden.coordinator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchSettingsTest {
  private static final String THREE = "10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181";

  @Test
  void pinnedSessionsTakeTheServersInTurnAndKeepTheChroot() {
    BenchSettings s = BenchSettings.of(THREE + "/app", BenchOp.SET).withPin(true);
    assertThat(s.connectFor(0)).isEqualTo("10.0.0.1:2181/app");
    assertThat(s.connectFor(1)).isEqualTo("10.0.0.2:2181/app");
    assertThat(s.connectFor(2)).isEqualTo("10.0.0.3:2181/app");
    assertThat(s.connectFor(3)).isEqualTo("10.0.0.1:2181/app");
  }

  @Test
  void unpinnedSessionsGetTheWholeList() {
    BenchSettings s = BenchSettings.of(THREE, BenchOp.SET);
    assertThat(s.connectFor(0)).isEqualTo(THREE);
    assertThat(s.connectFor(5)).isEqualTo(THREE);
  }

  @Test
  void opNamesRoundTrip() {
    for (BenchOp op : BenchOp.values()) {
      assertThat(BenchOp.parse(op.cliName())).isEqualTo(op);
    }
    assertThat(BenchOp.WATCH_FANOUT.cliName()).isEqualTo("watch-fanout");
    assertThatThrownBy(() -> BenchOp.parse("SET")).hasMessageContaining("unknown op 'SET'");
  }

  @Test
  void valueSizeIsBounded() {
    assertThatThrownBy(() -> BenchSettings.of(THREE, BenchOp.SET).withValueBytes(2_000_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--size");
  }
}
