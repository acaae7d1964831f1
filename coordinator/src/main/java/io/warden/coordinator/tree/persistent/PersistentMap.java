package io.warden.coordinator.tree.persistent;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Iterator;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable hash map with structural sharing: {@link #put} and {@link #remove} return a new
 * map that shares all but O(log32 n) trie nodes with this one, which stays unchanged. Keeping a
 * reference to an old map is therefore an O(1) snapshot of it.
 *
 * <p>Why we wrote it: the znode tree must hand a frozen image to the snapshot thread without
 * stalling writes (DESIGN.md D4) and must undo a failed multi in O(1) (§8.3 of the wire
 * reference). Persistent maps give both by keeping old roots. The tree's package may use only
 * the JDK (DESIGN.md dependency rule), and the JDK has no persistent collections; the mature
 * libraries (Capsule, Vavr, PCollections, Paguro) would be a core dependency, and the
 * path-copying red-black trees of some are heavier per entry than a hash trie. Memory per entry
 * matters because a coordinator keeps every znode in memory, so we use CHAMP, the compact
 * hash-array-mapped trie (see {@link ChampNode}): one array slot per key and value, no
 * per-entry node objects, canonical shape. Measured (TreeMemoryReportTest, compressed oops):
 * about 20 bytes per entry beyond the keys and values themselves, against about 48 for
 * {@code java.util.HashMap}.
 *
 * <p>Keys and values must be non-null and keys must have stable {@code equals}/{@code hashCode}.
 * Iteration order is deterministic for keys whose hash codes are (e.g. {@code String},
 * {@code Long}) but otherwise unspecified. Safe to read from any thread once published.
 */
public final class PersistentMap<K, V> implements Iterable<Map.Entry<K, V>> {
  private static final int WIDTH = 2;
  private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(ChampNode.EMPTY, 0);

  private final ChampNode root;
  private final int size;

  private PersistentMap(ChampNode root, int size) {
    this.root = root;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <K, V> PersistentMap<K, V> empty() {
    return (PersistentMap<K, V>) EMPTY;
  }

  /**
   * The map of {@code keys[i]} to {@code values[i]}, built at once (see {@code ChampNode.build}):
   * what loading a snapshot needs, without the path copying of one put per entry. The keys must
   * be distinct (IllegalArgumentException where that is noticed), keys and values non-null.
   */
  public static <K, V> PersistentMap<K, V> ofDistinct(List<K> keys, List<V> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
    }
    Object[] k = keys.toArray();
    Object[] v = values.toArray();
    for (int i = 0; i < k.length; i++) {
      Objects.requireNonNull(k[i], "key");
      Objects.requireNonNull(v[i], "value");
    }
    return k.length == 0 ? empty() : new PersistentMap<>(ChampNode.build(k, v, WIDTH), k.length);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The value for {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    return key == null ? null : (V) root.find(key, ChampNode.hash(key), 0, WIDTH);
  }

  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  /** This map with {@code key} mapped to {@code value}; this map itself if that is already so. */
  public PersistentMap<K, V> put(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    ChampNode.Delta d = new ChampNode.Delta();
    ChampNode newRoot = root.put(key, value, ChampNode.hash(key), 0, WIDTH, d);
    return newRoot == root ? this : new PersistentMap<>(newRoot, d.sizeChanged ? size + 1 : size);
  }

  /** This map without {@code key}; this map itself if the key is absent. */
  public PersistentMap<K, V> remove(Object key) {
    if (key == null) {
      return this;
    }
    ChampNode.Delta d = new ChampNode.Delta();
    ChampNode newRoot = root.remove(key, ChampNode.hash(key), 0, WIDTH, d);
    if (newRoot == root) {
      return this;
    }
    return size == 1 ? empty() : new PersistentMap<>(newRoot, size - 1);
  }

  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<? super K, ? super V> action) {
    root.forEach(WIDTH, (k, v) -> action.accept((K) k, (V) v));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<Map.Entry<K, V>> iterator() {
    return new ChampIterator<>(root, WIDTH, (k, v) -> new SimpleImmutableEntry<>((K) k, (V) v));
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
    StringBuilder sb = new StringBuilder("{");
    forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v));
    return sb.append('}').toString();
  }
}
