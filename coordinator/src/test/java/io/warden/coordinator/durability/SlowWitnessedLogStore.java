package io.warden.coordinator.durability;

import io.warden.coordinator.node.LogStore;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * An honest log store that is slow: each {@code append} first waits a random 0…maxDelayMs (a
 * disk with erratic fsync latency), then appends to the real store, and only after that
 * returns tells the {@link DurabilityWitness} the new durable index. A server that made an
 * entry visible while its fsync was still pending would be caught during the wait.
 */
final class SlowWitnessedLogStore implements LogStore {
  private final LogStore delegate;
  private final DurabilityWitness witness;
  private final SplittableRandom random;
  private final int maxDelayMs;

  SlowWitnessedLogStore(LogStore delegate, DurabilityWitness witness, long seed, int maxDelayMs) {
    this.delegate = delegate;
    this.witness = witness;
    this.random = new SplittableRandom(seed);
    this.maxDelayMs = maxDelayMs;
  }

  @Override
  public Persisted load() {
    Persisted p = delegate.load();
    if (!p.entries().isEmpty()) {
      witness.durable(p.entries().get(p.entries().size() - 1).index());
    }
    return p;
  }

  @Override
  public void append(HardState hardState, long truncateFromIndex, List<LogEntry> entries) {
    slowDisk();
    delegate.append(hardState, truncateFromIndex, entries);
    if (!entries.isEmpty()) {
      witness.durable(entries.get(entries.size() - 1).index());
    }
  }

  /** Simulated fsync latency (only the storage thread calls append, so the random is confined). */
  private void slowDisk() {
    int delayMs = random.nextInt(maxDelayMs + 1);
    try {
      TimeUnit.MILLISECONDS.sleep(delayMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while simulating a slow fsync", e);
    }
  }

  @Override
  public void saveMembership(byte[] membership) {
    delegate.saveMembership(membership);
  }

  @Override
  public void recordCommit(long commitIndex) {
    delegate.recordCommit(commitIndex);
  }

  @Override
  public void compactPrefix(long upToIndex) {
    delegate.compactPrefix(upToIndex);
  }

  @Override
  public long sizeBytes() {
    return delegate.sizeBytes();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
