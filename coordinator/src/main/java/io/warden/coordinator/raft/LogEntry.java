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

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e && e.index == index && e.term == term && e.type == type
        && java.util.Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + java.util.Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "LogEntry[" + index + "/" + term + " " + type + " " + data.length + " bytes]";
  }

  /** Bytes this entry costs in memory and on disk, roughly; for batching and snapshot triggers. */
  public int sizeBytes() {
    return data.length + 32;
  }
}
