package io.warden.coordinator.sim;

import io.warden.coordinator.node.SnapshotMeta;
import io.warden.coordinator.node.SnapshotStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A simulated snapshot store: a snapshot is invisible until {@code commit()}, which is atomic
 * and durable (as RocksSnapshots' manifest write with sync); a crash loses every snapshot being
 * written. The two newest committed snapshots are retained.
 */
final class SimSnapshotStore implements SnapshotStore {
  private record Stored(SnapshotMeta meta, List<byte[]> chunks) {
  }

  private final List<Stored> committed = new ArrayList<>();
  /** Bumped by a crash: sinks opened before it can no longer commit. */
  private int generation;

  @Override
  public SnapshotSink begin(long index, long term, byte[] membership) {
    int openedIn = generation;
    List<byte[]> chunks = new ArrayList<>();
    return new SnapshotSink() {
      private boolean done;

      @Override
      public void writeChunk(byte[] chunk) {
        if (done) {
          throw new IllegalStateException("write after commit/abort");
        }
        chunks.add(chunk.clone());
      }

      @Override
      public SnapshotMeta commit() {
        if (openedIn != generation) {
          throw new IllegalStateException("commit of a snapshot opened before a crash");
        }
        if (done) {
          throw new IllegalStateException("commit twice");
        }
        done = true;
        long size = 0;
        for (byte[] c : chunks) {
          size += c.length;
        }
        SnapshotMeta meta = new SnapshotMeta(index, term, membership.clone(), chunks.size(), size);
        committed.add(new Stored(meta, List.copyOf(chunks)));
        while (committed.size() > 2) {
          committed.remove(0);
        }
        return meta;
      }

      @Override
      public void abort() {
        done = true;
      }
    };
  }

  @Override
  public Optional<SnapshotSource> openLatest() {
    if (committed.isEmpty()) {
      return Optional.empty();
    }
    Stored s = committed.get(committed.size() - 1);
    return Optional.of(new SnapshotSource() {
      private int next;

      @Override
      public SnapshotMeta meta() {
        return s.meta();
      }

      @Override
      public boolean hasNext() {
        return next < s.chunks().size();
      }

      @Override
      public byte[] nextChunk() {
        return s.chunks().get(next++).clone();
      }

      @Override
      public void close() {
      }
    });
  }

  @Override
  public Optional<SnapshotMeta> latest() {
    return committed.isEmpty() ? Optional.empty() : Optional.of(committed.get(committed.size() - 1).meta());
  }

  /** Chunk {@code chunk} of the newest snapshot if it is the one at {@code index}, else null. */
  byte[] chunk(long index, int chunk) {
    Optional<SnapshotMeta> m = latest();
    if (m.isEmpty() || m.get().index() != index || chunk >= m.get().chunkCount()) {
      return null;
    }
    return committed.get(committed.size() - 1).chunks().get(chunk).clone();
  }

  long latestIndex() {
    return committed.isEmpty() ? 0 : committed.get(committed.size() - 1).meta().index();
  }

  void crash() {
    generation++;
  }

  @Override
  public void close() {
  }
}
