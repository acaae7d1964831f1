package io.warden.coordinator.tree;

import java.util.function.Consumer;

/**
 * An immutable image of a {@link DataTree} at one moment, taken in O(1) by
 * {@link DataTree#image()}. It holds only persistent (never modified) structures, so it may be
 * written from another thread — the snapshot thread — while the tree keeps changing: that is
 * how snapshots avoid stalling writes (DESIGN.md D4). {@link DataTree#restore} is its inverse.
 */
public final class TreeImage {
  private final TreeState state;

  TreeImage(TreeState state) {
    this.state = state;
  }

  /** The tree digest at the time of the image. */
  public long digest() {
    return state.digest();
  }

  public int nodeCount() {
    return state.nodes().size();
  }

  /**
   * Streams the image in the format of {@link SnapshotFormat}, cut into chunks of
   * {@code chunkBytes} (the last one shorter); each chunk is a new array owned by the sink.
   */
  public void write(int chunkBytes, Consumer<byte[]> chunkSink) {
    SnapshotFormat.write(state, chunkBytes, chunkSink);
  }
}
