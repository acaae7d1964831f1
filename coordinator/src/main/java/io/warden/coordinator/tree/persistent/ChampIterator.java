package io.warden.coordinator.tree.persistent;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * Walks a CHAMP trie in its canonical order (the order of {@code forEach}) with an explicit
 * stack, so iteration is lazy and needs no recursion. The trie has at most 8 levels.
 */
final class ChampIterator<T> implements Iterator<T> {
  private static final int MAX_DEPTH = 8;

  private final int width;
  private final BiFunction<Object, Object, T> element;
  private final Object[][] contents = new Object[MAX_DEPTH][];
  private final int[] positions = new int[MAX_DEPTH];
  private final int[] entryEnds = new int[MAX_DEPTH];
  private int depth;

  ChampIterator(ChampNode root, int width, BiFunction<Object, Object, T> element) {
    this.width = width;
    this.element = element;
    pushNode(root, 0);
  }

  private void pushNode(ChampNode node, int level) {
    depth = level;
    contents[level] = node.content();
    positions[level] = 0;
    entryEnds[level] = node instanceof ChampNode.Bitmap b
        ? width * Integer.bitCount(b.dataMap)
        : node.content().length;
  }

  @Override
  public boolean hasNext() {
    while (depth >= 0) {
      Object[] content = contents[depth];
      int pos = positions[depth];
      if (pos < entryEnds[depth]) {
        return true;
      }
      if (pos < content.length) {
        positions[depth] = pos + 1;
        pushNode((ChampNode) content[pos], depth + 1);
      } else {
        contents[depth] = null;
        depth--;
      }
    }
    return false;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object[] content = contents[depth];
    int pos = positions[depth];
    positions[depth] = pos + width;
    return element.apply(content[pos], content[pos + width - 1]);
  }
}
