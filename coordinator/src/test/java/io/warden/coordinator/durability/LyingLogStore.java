package io.warden.coordinator.durability;

import io.warden.coordinator.node.LogStore;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A planted bug: {@code append} returns at once — telling the node its entries are durable —
 * and writes them later on a background thread after a random delay, reporting them to the
 * {@link DurabilityWitness} only then. This is a store that lies about fsync (or a node that
 * acknowledges before its append completes); the witness must catch it. Use it without
 * snapshots: compaction could overtake the late appends.
 */
final class LyingLogStore implements LogStore {
  private final LogStore delegate;
  private final DurabilityWitness witness;
  private final SplittableRandom random;
  private final int maxDelayMs;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "lying-log-writer");
    t.setDaemon(true);
    return t;
  });
  /** The first failure of a late append; the node cannot see it (that is the lie). */
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  LyingLogStore(LogStore delegate, DurabilityWitness witness, long seed, int maxDelayMs) {
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
    int delayMs = random.nextInt(1, maxDelayMs + 1);
    writer.execute(() -> {
      try {
        TimeUnit.MILLISECONDS.sleep(delayMs);
        delegate.append(hardState, truncateFromIndex, entries);
        if (!entries.isEmpty()) {
          witness.durable(entries.get(entries.size() - 1).index());
        }
      } catch (InterruptedException | RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    });
  }

  /** Waits for the late appends (call before closing the real store). */
  void drain() throws InterruptedException {
    writer.shutdown();
    if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("late appends did not finish");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a late append failed", failure.get());
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
