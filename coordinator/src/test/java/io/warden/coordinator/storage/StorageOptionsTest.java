package io.warden.coordinator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageOptionsTest {

  @Test
  void defaultsAreValidAndModest() {
    assertThat(StorageOptions.DEFAULTS.snapshotsRetained()).isEqualTo(2);
    StorageOptions defaults = StorageOptions.DEFAULTS;
    assertThat(defaults.blockCacheBytes() + 2 * defaults.writeBufferBytes())
        .isLessThanOrEqualTo(32L * 1024 * 1024);
  }

  @Test
  void invalidValuesAreRefusedWithTheirName() {
    assertThatThrownBy(() -> StorageOptions.DEFAULTS.withSnapshotsRetained(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("storage option snapshotsRetained = 0 is outside [1, 100]");
    assertThatThrownBy(() -> StorageOptions.DEFAULTS.withSnapshotChunkLimits(0, 10))
        .hasMessageContaining("snapshotChunkBytesMax = 0");
    assertThatThrownBy(() -> StorageOptions.DEFAULTS.withSnapshotChunkLimits(65 * 1024 * 1024, 10))
        .hasMessageContaining("snapshotChunkBytesMax = 68157440");
    assertThatThrownBy(() -> StorageOptions.DEFAULTS.withSnapshotChunkLimits(100, 0))
        .hasMessageContaining("snapshotChunksMax = 0");
    assertThatThrownBy(() -> StorageOptions.DEFAULTS.withMemory(1024, 4 << 20))
        .hasMessageContaining("blockCacheBytes = 1024");
    assertThatThrownBy(() -> StorageOptions.DEFAULTS.withMemory(8 << 20, 1))
        .hasMessageContaining("writeBufferBytes = 1");
  }
}
