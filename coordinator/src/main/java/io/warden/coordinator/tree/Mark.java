package io.warden.coordinator.tree;

/**
 * A point to which a {@link DataTree} can be rolled back in O(1) (a failed multi, §8.3): the
 * tree's persistent roots and the position in its change list at the time of the mark.
 */
public final class Mark {
  private final DataTree tree;
  private final TreeState state;
  private final long changeSeq;

  Mark(DataTree tree, TreeState state, long changeSeq) {
    this.tree = tree;
    this.state = state;
    this.changeSeq = changeSeq;
  }

  DataTree tree() {
    return tree;
  }

  TreeState state() {
    return state;
  }

  long changeSeq() {
    return changeSeq;
  }
}
