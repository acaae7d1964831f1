package io.warden.coordinator.node;

import io.warden.coordinator.fsm.FsmImage;
import io.warden.coordinator.fsm.StateMachine;
import io.warden.coordinator.raft.Membership;
import io.warden.coordinator.raft.RaftCore;
import io.warden.coordinator.raft.RaftOptions;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node comes back from its stores: the newest snapshot becomes the state machine, the
 * log after it becomes the Raft core, and a data directory created for another ensemble is
 * refused. One function, used by the real runtime and by the simulation, so both recover
 * exactly alike.
 */
public final class NodeRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRecovery.class);
  /** What recovery produced. */
  public record Recovered(StateMachine fsm, RaftCore raft, long snapshotIndex) {
  }

  private NodeRecovery() {
  }

  /**
   * Blocking (reads both stores): call it before the node's threads start.
   *
   * @param bootstrapMembership the ensemble as configured; stored at first start
   */
  public static Recovered recover(int serverId, boolean extendedTypes, RaftOptions raftOptions, Random random,
      Membership bootstrapMembership, LogStore logStore, SnapshotStore snapshotStore, RaftCore.Faults faults) {
    StateMachine fsm = new StateMachine(extendedTypes);
    long snapshotIndex = 0;
    long snapshotTerm = 0;
    byte[] snapshotMembership = null;
    Optional<SnapshotStore.SnapshotSource> latest = snapshotStore.openLatest();
    if (latest.isPresent()) {
      try (SnapshotStore.SnapshotSource src = latest.get()) {
        SnapshotMeta meta = src.meta();
        fsm.restore(readImage(src));
        snapshotIndex = meta.index();
        snapshotTerm = meta.term();
        snapshotMembership = meta.membership();
      }
      // how long recovery took is the runtime's to say: this path runs in simulated time too
      LOG.info("restored snapshot at index {} ({} znodes, {} sessions)", snapshotIndex,
          fsm.tree().nodeCount(), fsm.sessions().size());
    }
    LogStore.Persisted persisted = logStore.load();
    if (snapshotIndex > 0) {
      // The compaction after a snapshot is not synced: a crash may have lost it, leaving the
      // store's log ending below the snapshot, where the next append would be a gap. Redo it.
      logStore.compactPrefix(snapshotIndex);
    }
    long after = snapshotIndex;
    LOG.info("log holds {} entries after the snapshot (term {}); replaying",
        persisted.entries().stream().filter(e -> e.index() > after).count(), persisted.hardState().term());
    checkEnsemble(serverId, bootstrapMembership, persisted.membership());
    if (persisted.membership() == null) {
      logStore.saveMembership(bootstrapMembership.encode());
    }
    Membership membership = snapshotMembership != null ? Membership.decode(snapshotMembership) : bootstrapMembership;
    try {
      RaftCore raft = new RaftCore(serverId, raftOptions, random, membership, persisted.hardState(), snapshotIndex,
          snapshotTerm, persisted.entries(), faults);
      long committed = raft.restoreCommitHint(persisted.commitHint());
      if (committed > snapshotIndex) {
        LOG.info("entries up to index {} are known committed: applied as the node starts, not after an election",
            committed);
      }
      return new Recovered(fsm, raft, snapshotIndex);
    } catch (IllegalStateException e) {
      throw new CorruptStorageException("stored log does not fit the snapshot at index " + snapshotIndex + ": "
          + e.getMessage());
    }
  }

  /**
   * The bootstrap membership stored at first start must be the configured one: a data
   * directory from another ensemble (or another node of it) is refused.
   */
  static void checkEnsemble(int serverId, Membership configured, byte[] stored) {
    if (stored == null) {
      return;
    }
    Membership m = Membership.decode(stored);
    if (!m.equals(configured)) {
      throw new CorruptStorageException("data directory belongs to another ensemble: it was created for "
          + describe(m) + ", but this server is configured for " + describe(configured));
    }
    if (!m.voters().contains(serverId) && !m.learners().contains(serverId)) {
      throw new CorruptStorageException("data directory belongs to an ensemble without server " + serverId);
    }
  }

  private static String describe(Membership m) {
    return "voters " + m.voters() + (m.learners().isEmpty() ? "" : ", observers " + m.learners());
  }

  /** Reads a committed snapshot back into a state machine image. */
  public static FsmImage.Restored readImage(SnapshotStore.SnapshotSource src) {
    Iterator<byte[]> chunks = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return src.hasNext();
      }

      @Override
      public byte[] next() {
        if (!src.hasNext()) {
          throw new NoSuchElementException();
        }
        return src.nextChunk();
      }
    };
    try {
      return FsmImage.read(chunks);
    } catch (IllegalStateException e) {
      throw new CorruptStorageException("snapshot at index " + src.meta().index() + " is unreadable: " + e.getMessage());
    }
  }
}
