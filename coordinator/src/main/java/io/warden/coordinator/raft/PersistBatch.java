package io.warden.coordinator.raft;

import java.util.List;

/**
 * What the storage thread must make durable, in one fsynced batch, before the core may count
 * it: an optional new hard state, an optional truncation of a conflicting suffix, and entries.
 * Group commit falls out of the driver: while one batch is being fsynced, new proposals
 * accumulate and travel in the next one.
 *
 * @param hardState null when unchanged
 * @param truncateFromIndex 0 when nothing is truncated
 * @param seq the core's mutation sequence this batch covers: messages that waited for it may go
 * @param commitIndex the core's commit index when the batch was taken: every entry up to it is
 *     durable once this batch is (storage may record it as a restart's commit hint)
 */
public record PersistBatch(HardState hardState, long truncateFromIndex, List<LogEntry> entries, long seq,
    long commitIndex) {
  public long lastIndex() {
    return entries.isEmpty() ? -1 : entries.get(entries.size() - 1).index();
  }
}
