package io.warden.coordinator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.LogEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic test content: an entry's type and bytes, and a snapshot chunk's bytes, follow
 * from their position alone, so a reader (or a parent process after a crash) can check them
 * without having seen them written.
 */
final class TestData {
  private TestData() {}

  static LogEntry entry(long index, long term) {
    EntryType type = EntryType.values()[(int) (index % EntryType.values().length)];
    return new LogEntry(index, term, type, entryBytes(index, term));
  }

  static List<LogEntry> entries(long fromIndex, long toIndex, long term) {
    List<LogEntry> entries = new ArrayList<>();
    for (long index = fromIndex; index <= toIndex; index++) {
      entries.add(entry(index, term));
    }
    return entries;
  }

  /** 0 to 63 bytes (every 7th entry is empty), depending on index and term. */
  static byte[] entryBytes(long index, long term) {
    int length = index % 7 == 0 ? 0 : (int) ((index * 31 + term) % 64);
    byte[] bytes = new byte[length];
    new SplittableRandom(index * 1_000_003 + term).nextBytes(bytes);
    return bytes;
  }

  /** The entries, in order, equal field by field (data compared by content). */
  static void assertEntries(List<LogEntry> actual, List<LogEntry> expected) {
    assertThat(actual)
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(expected);
  }

  /** Whether {@code actual} is exactly {@link #entry}(index, term) for its own index. */
  static boolean isIntact(LogEntry actual, long expectedTerm) {
    LogEntry expected = entry(actual.index(), expectedTerm);
    return actual.term() == expected.term()
        && actual.type() == expected.type()
        && Arrays.equals(actual.data(), expected.data());
  }

  static byte[] chunk(long snapshotIndex, int chunk, int length) {
    byte[] bytes = new byte[length];
    new SplittableRandom(snapshotIndex * 7_919 + chunk).nextBytes(bytes);
    return bytes;
  }

  static byte[] membership(long snapshotIndex) {
    return ByteBuffer.allocate(12).putInt(3).putLong(snapshotIndex).array();
  }
}
