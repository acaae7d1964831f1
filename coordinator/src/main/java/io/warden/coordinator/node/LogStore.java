package io.warden.coordinator.node;

import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import java.util.List;

/**
 * The durable Raft log and hard state (DESIGN.md §4, columns {@code log} and {@code meta}).
 *
 * <p>Blocking interface: the node calls it only from its dedicated storage thread, never from
 * the core thread or an event loop. Implementations must tolerate {@link #compactPrefix} being
 * called from the snapshot thread concurrently with {@link #append} from the storage thread.
 *
 * <p>Every stored record carries a CRC; {@link #load} verifies all of them and throws
 * {@link CorruptStorageException} naming the first bad record. Failures of the engine itself
 * surface as {@link StorageException}.
 */
public interface LogStore extends AutoCloseable {

  /**
   * Everything the node needs to restart: hard state, membership and the retained log, and
   * the highest commit index recorded ({@link #recordCommit}; 0 if none).
   */
  record Persisted(HardState hardState, byte[] membership, long firstIndex, List<LogEntry> entries,
      long commitHint) {
  }

  /**
   * Reads and verifies the stored state. For an empty store: {@link HardState#INITIAL}, null
   * membership, firstIndex 1 and no entries. The entries are contiguous from
   * {@code firstIndex} (a gap is corruption).
   */
  Persisted load();

  /**
   * Durably writes, in one atomic batch fsynced before returning: the hard state (if not
   * null), the removal of every entry with index ≥ {@code truncateFromIndex} (if it is > 0;
   * Raft discards a conflicting suffix this way), and the entries (contiguous, ascending).
   * When this returns, all of it survives a crash; when it throws, none of it may be relied on.
   */
  void append(HardState hardState, long truncateFromIndex, List<LogEntry> entries);

  /**
   * Records that the log is committed up to {@code commitIndex}, without an fsync: what
   * {@link #load} returns as the commit hint is a lower bound of the ensemble's commit index,
   * perhaps older than the last one recorded (a machine crash may lose the latest). A restart
   * applies the entries up to it at once instead of waiting for a leader to say they are
   * committed. Called from the storage thread, after {@link #append} made those entries durable.
   */
  void recordCommit(long commitIndex);

  /** Durably stores the current membership (opaque bytes owned by the Raft core). */
  void saveMembership(byte[] membership);

  /**
   * Deletes every entry with index ≤ {@code upToIndex}, after a snapshot at that index was
   * committed; the first retained index becomes {@code upToIndex + 1}. Need not fsync: a crash
   * that loses it merely keeps entries the snapshot already covers.
   */
  void compactPrefix(long upToIndex);

  /** Approximate bytes the retained log occupies, for metrics and snapshot triggers. */
  long sizeBytes();

  @Override
  void close();
}
