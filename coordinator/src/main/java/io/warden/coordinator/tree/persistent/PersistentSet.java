package io.warden.coordinator.tree.persistent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An immutable hash set with structural sharing, the set twin of {@link PersistentMap} (same
 * CHAMP trie, one array slot per element). The empty set is a shared constant, so a znode
 * without children allocates no set. Elements must be non-null. Safe to read from any thread
 * once published.
 */
public final class PersistentSet<E> implements Iterable<E> {
  private static final int WIDTH = 1;
  private static final PersistentSet<?> EMPTY = new PersistentSet<>(ChampNode.EMPTY, 0);

  private final ChampNode root;
  private final int size;

  private PersistentSet(ChampNode root, int size) {
    this.root = root;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <E> PersistentSet<E> empty() {
    return (PersistentSet<E>) EMPTY;
  }

  /** The set of {@code elements}, built at once (see {@link PersistentMap#ofDistinct}); they must be distinct. */
  public static <E> PersistentSet<E> ofDistinct(java.util.Collection<E> elements) {
    Object[] e = elements.toArray();
    for (Object x : e) {
      Objects.requireNonNull(x, "element");
    }
    return e.length == 0 ? empty() : new PersistentSet<>(ChampNode.build(e, null, WIDTH), e.length);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public boolean contains(Object element) {
    return element != null && root.find(element, ChampNode.hash(element), 0, WIDTH) != null;
  }

  /** This set plus {@code element}; this set itself if the element is already present. */
  public PersistentSet<E> add(E element) {
    Objects.requireNonNull(element, "element");
    ChampNode.Delta d = new ChampNode.Delta();
    ChampNode newRoot = root.put(element, null, ChampNode.hash(element), 0, WIDTH, d);
    return newRoot == root ? this : new PersistentSet<>(newRoot, size + 1);
  }

  /** This set without {@code element}; this set itself if the element is absent. */
  public PersistentSet<E> remove(Object element) {
    if (element == null) {
      return this;
    }
    ChampNode.Delta d = new ChampNode.Delta();
    ChampNode newRoot = root.remove(element, ChampNode.hash(element), 0, WIDTH, d);
    if (newRoot == root) {
      return this;
    }
    return size == 1 ? empty() : new PersistentSet<>(newRoot, size - 1);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(Consumer<? super E> action) {
    root.forEach(WIDTH, (k, v) -> action.accept((E) k));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<E> iterator() {
    return new ChampIterator<>(root, WIDTH, (k, v) -> (E) k);
  }

  /** The elements in iteration order, as a new mutable list. */
  public List<E> toList() {
    List<E> out = new ArrayList<>(size);
    forEach(out::add);
    return out;
  }

  /** Checks the trie's structural invariants (tests only; walks the whole trie). */
  void checkInvariants() {
    int counted = ChampInvariants.check(root, WIDTH);
    if (counted != size) {
      throw new IllegalStateException("size " + size + " but the trie holds " + counted);
    }
  }

  @Override
  public String toString() {
    return toList().toString();
  }
}
