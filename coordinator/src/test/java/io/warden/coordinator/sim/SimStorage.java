package io.warden.coordinator.sim;

import io.warden.coordinator.fsm.FsmImage;
import io.warden.coordinator.node.NodeRecovery;
import io.warden.coordinator.node.SnapshotMeta;
import io.warden.coordinator.node.SnapshotStore;
import io.warden.coordinator.node.StorageException;
import io.warden.coordinator.node.StorageIo;
import io.warden.coordinator.raft.PersistBatch;
import io.warden.coordinator.raft.RaftMessage;

/**
 * The node's storage threads in virtual time, doing exactly what NodeRuntime's ThreadedStorage,
 * OutgoingSnapshots and IncomingSnapshot do, against the simulated stores: the log thread writes
 * a batch (into the WAL) when it picks it up and reports it after a random fsync delay; the
 * snapshot thread writes local snapshots, serves chunks to followers and stores incoming ones,
 * one task at a time. Completions reach the loop as separate events (the core thread's queue),
 * so a crash can fall between a durable write and its acknowledgement.
 */
final class SimStorage implements StorageIo {
  private final Simulation sim;
  private final SimNode node;
  private final int incarnation;
  private final SimWorker logThread;
  private final SimWorker snapshotThread;
  /** Follower: the incoming snapshot being written (IncomingSnapshot's sink and index). */
  private SnapshotStore.SnapshotSink incoming;
  private long incomingIndex = -1;

  SimStorage(Simulation sim, SimNode node) {
    this.sim = sim;
    this.node = node;
    this.incarnation = node.incarnation;
    this.logThread = new SimWorker(sim, node, incarnation);
    this.snapshotThread = new SimWorker(sim, node, incarnation);
  }

  @Override
  public void persist(PersistBatch batch) {
    String what = "fsync " + describe(batch);
    logThread.submit(new SimWorker.Task(what, node.fsyncDelayNanos(),
        () -> node.log.write(batch.hardState(), batch.truncateFromIndex(), batch.entries()),
        () -> {
          node.log.sync();
          node.log.recordCommit(batch.commitIndex()); // unsynced: a crash may keep it or not
          post("persisted " + describe(batch), () -> node.loop.onPersisted(batch));
        }));
  }

  @Override
  public void snapshot(FsmImage image, long term, byte[] membership) {
    snapshotThread.submit(new SimWorker.Task("snapshot@" + image.index(), node.snapshotDelayNanos(), null, () -> {
      SnapshotStore.SnapshotSink sink = node.snapshots.begin(image.index(), term, membership);
      image.write(sim.config().snapshotChunkBytes(), sink::writeChunk);
      sink.commit();
      node.log.compactPrefix(image.index());
      post("snapshot saved@" + image.index(), () -> node.loop.onSnapshotSaved(image.index()));
    }));
  }

  @Override
  public void readSnapshotChunk(int peer, long snapshotIndex, int chunk) {
    snapshotThread.submit(new SimWorker.Task("read chunk " + chunk + "@" + snapshotIndex + " for " + peer,
        node.chunkDelayNanos(), null, () -> {
          byte[] data = node.snapshots.chunk(snapshotIndex, chunk);
          if (data == null) {
            post("chunk unavailable for " + peer, () -> node.loop.onSnapshotChunkUnavailable(peer));
            return;
          }
          SnapshotMeta meta = node.snapshots.latest().orElseThrow();
          boolean last = chunk == meta.chunkCount() - 1;
          post("chunk read for " + peer, () -> node.loop.onSnapshotChunkRead(peer, meta, chunk, data, last));
        }));
  }

  @Override
  public void storeSnapshotChunk(RaftMessage.SnapshotChunk c) {
    snapshotThread.submit(new SimWorker.Task("store " + c, node.chunkDelayNanos(), null, () -> store(c)));
  }

  /** IncomingSnapshot.store, step for step. */
  private void store(RaftMessage.SnapshotChunk c) {
    try {
      if (c.chunk() == 0) {
        abortIncoming();
        incoming = node.snapshots.begin(c.snapshotIndex(), c.snapshotTerm(), c.membership());
        incomingIndex = c.snapshotIndex();
      }
      if (incoming == null || incomingIndex != c.snapshotIndex()) {
        throw new IllegalStateException("chunk " + c.chunk() + " of snapshot " + c.snapshotIndex()
            + " without its beginning");
      }
      incoming.writeChunk(c.data());
      if (!c.last()) {
        post("chunk stored", () -> node.loop.onSnapshotChunkStored(c));
        return;
      }
      incoming.commit();
      incoming = null;
      node.log.compactPrefix(c.snapshotIndex());
      FsmImage.Restored restored;
      try (SnapshotStore.SnapshotSource src = node.snapshots.openLatest().orElseThrow()) {
        restored = NodeRecovery.readImage(src);
      }
      sim.stats().snapshotInstalls++;
      post("snapshot received@" + c.snapshotIndex(), () -> node.loop.onSnapshotReceived(c, restored));
    } catch (StorageException e) {
      throw e; // the disk itself failed: fatal, as in production
    } catch (RuntimeException e) {
      abortIncoming();
      post("snapshot receive failed", () -> node.loop.onSnapshotReceiveFailed(c, e));
    }
  }

  private void abortIncoming() {
    if (incoming != null) {
      incoming.abort();
      incoming = null;
    }
    incomingIndex = -1;
  }

  /** A completion task on the core thread's queue. */
  private void post(String what, Runnable action) {
    sim.schedule(sim.now() + node.diskRandom().nextInt(50_000), EventQueue.Kind.STORAGE, node.id, incarnation, what,
        action);
  }

  private static String describe(PersistBatch b) {
    return (b.hardState() == null ? "" : "hs " + b.hardState().term() + "/" + b.hardState().votedFor() + " ")
        + (b.truncateFromIndex() > 0 ? "trunc " + b.truncateFromIndex() + " " : "")
        + (b.entries().isEmpty() ? "" : b.entries().get(0).index() + ".." + b.lastIndex());
  }
}
