package io.warden.coordinator.raft;

/**
 * One Raft log entry. {@code index} is also the entry's zxid (DESIGN.md D6). {@code data} is
 * never mutated after construction.
 */
public record LogEntry(long index, long term, EntryType type, byte[] data) {
  public LogEntry {
    if (index <= 0 || term <= 0) {
      throw new IllegalArgumentException("index and term start at 1: " + index + "/" + term);
    }
    if (type == null || data == null) {
      throw new IllegalArgumentException("type and data are required");
    }
  }

  /** Bytes this entry costs in memory and on disk, roughly; for batching and snapshot triggers. */
  public int sizeBytes() {
    return data.length + 32;
  }
}
