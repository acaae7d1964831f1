package io.warden.coordinator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.coordinator.storage.DiskFormat.InvalidRecordException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DiskFormatTest {

  @Property(tries = 300)
  void everySingleBitFlipInASealedValueIsDetected(
      @ForAll @Size(max = 100) byte[] payload, @ForAll @IntRange(min = 0, max = 1000) int position)
      throws InvalidRecordException {
    byte[] value = DiskFormat.seal(payload);
    assertThat(DiskFormat.unseal(value)).isEqualTo(payload);
    int bit = position % (value.length * 8);
    value[bit / 8] ^= (byte) (1 << (bit % 8));

    assertThatThrownBy(() -> DiskFormat.unseal(value)).isInstanceOf(InvalidRecordException.class);
  }

  @Property(tries = 300)
  void manifestsRoundTrip(
      @ForAll @LongRange(min = 1) long index,
      @ForAll @IntRange(min = 0) int chunks,
      @ForAll @Size(max = 50) byte[] membership,
      @ForAll int contentCrc)
      throws InvalidRecordException {
    SnapshotManifest manifest = new SnapshotManifest(index, 2, membership, chunks, 77, contentCrc);

    SnapshotManifest decoded =
        DiskFormat.decodeManifest(index, DiskFormat.encodeManifest(manifest));

    assertThat(decoded).usingRecursiveComparison().isEqualTo(manifest);
  }

  @Test
  void aManifestUnderAnotherSnapshotsKeyIsRefused() {
    byte[] value = DiskFormat.encodeManifest(new SnapshotManifest(10, 2, new byte[0], 1, 5, 0));

    assertThatThrownBy(() -> DiskFormat.decodeManifest(20, value))
        .hasMessage("manifest describes index 10");
  }

  @Test
  void chunkKeysSortInNumericOrderAndRangeEndsBoundTheirSnapshot() {
    assertThat(Arrays.compareUnsigned(DiskFormat.chunkKey(255, 0), DiskFormat.chunkKey(256, 0)))
        .isNegative();
    byte[] lastChunkOf7 = DiskFormat.chunkKey(7, -1);
    assertThat(Arrays.compareUnsigned(lastChunkOf7, DiskFormat.chunkRangeEnd(7))).isNegative();
    assertThat(Arrays.compareUnsigned(DiskFormat.chunkRangeEnd(7), DiskFormat.chunkKey(8, 0)))
        .isNegative();
    assertThat(DiskFormat.snapshotIndexOfManifestKey(DiskFormat.manifestKey(42))).isEqualTo(42);
    assertThat(DiskFormat.describeMetaKey(DiskFormat.manifestKey(42))).isEqualTo("snapshot/42");
    assertThat(DiskFormat.describeMetaKey(DiskFormat.KEY_FIRST_INDEX)).isEqualTo("first-index");
  }
}
