package io.warden.coordinator.tree.persistent;

import java.util.function.BiConsumer;

/**
 * One node of a CHAMP trie (Steindorfer and Vinju, "Optimizing Hash-Array Mapped Tries for Fast
 * and Lean Immutable JVM Collections", OOPSLA 2015), shared by {@link PersistentMap} and
 * {@link PersistentSet}. The two differ only in how many array slots an entry takes
 * ({@code width}: 2 = key and value, 1 = key only), so the set pays no slot for a dummy value.
 *
 * <p>A {@link Bitmap} node consumes 5 bits of the key's hash per level. {@code dataMap} marks the
 * slots that hold an entry inline, {@code nodeMap} those that hold a sub-node; the content array
 * holds the inline entries first and then the sub-nodes, each group in slot order. Once all 32
 * hash bits are used (below shift 30) keys with equal hashes share a {@link Collision} node.
 *
 * <p>Canonical form, kept by every update: a node other than the root never holds just one
 * entry and no sub-node (such an entry is pulled up into the parent). Hence the shape of a trie
 * depends only on its keys (up to the order inside collision nodes), and iteration order is
 * deterministic for keys with deterministic hash codes.
 *
 * <p>Nodes are immutable after construction (the arrays are never written once a node is
 * published), so a trie may be read from any thread once its root reference is safely shared.
 */
abstract sealed class ChampNode permits ChampNode.Bitmap, ChampNode.Collision {
  static final int BITS_PER_LEVEL = 5;
  static final int LAST_SHIFT = 30;

  static final Bitmap EMPTY = new Bitmap(0, 0, new Object[0]);

  /** Out-parameter of one update: did the number of keys change? */
  static final class Delta {
    boolean sizeChanged;
  }

  /** Spreads the key's hash code (a bijection, so it adds no collisions). */
  static int hash(Object key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  /** The value stored for the key (width 2) or the stored key itself (width 1); null if absent. */
  abstract Object find(Object key, int hash, int shift, int width);

  abstract ChampNode put(Object key, Object value, int hash, int shift, int width, Delta d);

  abstract ChampNode remove(Object key, int hash, int shift, int width, Delta d);

  /** True for a node with one entry and no sub-node (transient unless it is the root). */
  abstract boolean isSingleEntry();

  abstract Object[] content();

  abstract void forEach(int width, BiConsumer<Object, Object> action);

  /** A node holding the given two entries, which differ in their keys. */
  static ChampNode merge(Object k1, Object v1, int h1, Object k2, Object v2, int h2, int shift,
      int width) {
    if (shift > LAST_SHIFT) {
      return new Collision(h1, width == 2 ? new Object[] {k1, v1, k2, v2} : new Object[] {k1, k2});
    }
    int f1 = fragment(h1, shift);
    int f2 = fragment(h2, shift);
    if (f1 == f2) {
      ChampNode sub = merge(k1, v1, h1, k2, v2, h2, shift + BITS_PER_LEVEL, width);
      return new Bitmap(0, 1 << f1, new Object[] {sub});
    }
    boolean firstIsLower = f1 < f2;
    Object[] content = new Object[2 * width];
    setEntry(content, firstIsLower ? 0 : width, k1, v1, width);
    setEntry(content, firstIsLower ? width : 0, k2, v2, width);
    return new Bitmap((1 << f1) | (1 << f2), 0, content);
  }

  static int fragment(int hash, int shift) {
    return (hash >>> shift) & 31;
  }

  private static void setEntry(Object[] content, int at, Object key, Object value, int width) {
    content[at] = key;
    if (width == 2) {
      content[at + 1] = value;
    }
  }

  /**
   * The trie of {@code keys} (distinct; {@code values} parallel to them, or null for a set),
   * built bottom-up in one pass per level instead of by {@code n} puts. Puts copy every node on
   * the path they change, so loading a snapshot of a million znodes that way allocated the
   * trie many times over; this allocates each node once. The result is the same canonical trie
   * the puts in this order would give (collision nodes keep the input order).
   */
  static ChampNode build(Object[] keys, Object[] values, int width) {
    int n = keys.length;
    if (n == 0) {
      return EMPTY;
    }
    int[] hashes = new int[n];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = hash(keys[i]);
      order[i] = i;
    }
    if (n == 1) {
      return single(keys[0], values == null ? null : values[0], hashes[0], width);
    }
    return buildLevel(keys, values, hashes, order, new int[n], new int[n], 0, n, 0, width);
  }

  /**
   * Entries {@code order[from, to)} share their hash bits below {@code shift}; at least two.
   * {@code hashes[k]} is the hash of entry {@code order[k]}: the two arrays are permuted
   * together, so every level reads the hashes in sequence (looking each up through
   * {@code order} missed the cache once per entry and level: a fifth of a 1M-znode restore).
   */
  private static ChampNode buildLevel(Object[] keys, Object[] values, int[] hashes, int[] order,
      int[] scratch, int[] scratchHashes, int from, int to, int shift, int width) {
    if (shift > LAST_SHIFT) {
      Object[] content = new Object[(to - from) * width];
      for (int k = from; k < to; k++) {
        Object key = keys[order[k]];
        for (int j = from; j < k; j++) {
          if (keys[order[j]].equals(key)) {
            throw new IllegalArgumentException("duplicate key " + key);
          }
        }
        setEntry(content, (k - from) * width, key, values == null ? null : values[order[k]], width);
      }
      return new Collision(hashes[from], content);
    }
    // a stable counting sort of the range by this level's 5 hash bits
    int[] start = new int[33];
    for (int k = from; k < to; k++) {
      start[fragment(hashes[k], shift) + 1]++;
    }
    int dataMap = 0;
    int nodeMap = 0;
    for (int f = 0; f < 32; f++) {
      int count = start[f + 1];
      if (count == 1) {
        dataMap |= 1 << f;
      } else if (count > 1) {
        nodeMap |= 1 << f;
      }
      start[f + 1] += start[f];
    }
    int[] next = start.clone();
    for (int k = from; k < to; k++) {
      int at = from + next[fragment(hashes[k], shift)]++;
      scratch[at] = order[k];
      scratchHashes[at] = hashes[k];
    }
    System.arraycopy(scratch, from, order, from, to - from);
    System.arraycopy(scratchHashes, from, hashes, from, to - from);
    Object[] content = new Object[width * Integer.bitCount(dataMap) + Integer.bitCount(nodeMap)];
    int di = 0;
    int ni = width * Integer.bitCount(dataMap);
    for (int f = 0; f < 32; f++) {
      int lo = from + start[f];
      int hi = from + start[f + 1];
      if (hi - lo == 1) {
        setEntry(content, di, keys[order[lo]], values == null ? null : values[order[lo]], width);
        di += width;
      } else if (hi - lo > 1) {
        content[ni++] = buildLevel(keys, values, hashes, order, scratch, scratchHashes, lo, hi,
            shift + BITS_PER_LEVEL, width);
      }
    }
    return new Bitmap(dataMap, nodeMap, content);
  }

  /** A single-entry node; only ever transient (its parent pulls the entry up) or the root. */
  static Bitmap single(Object key, Object value, int hash, int width) {
    return new Bitmap(1 << fragment(hash, 0), 0,
        width == 2 ? new Object[] {key, value} : new Object[] {key});
  }

  static final class Bitmap extends ChampNode {
    final int dataMap;
    final int nodeMap;
    final Object[] content;

    Bitmap(int dataMap, int nodeMap, Object[] content) {
      this.dataMap = dataMap;
      this.nodeMap = nodeMap;
      this.content = content;
    }

    private int dataIndex(int bit, int width) {
      return width * Integer.bitCount(dataMap & (bit - 1));
    }

    private int nodeIndex(int bit, int width) {
      return width * Integer.bitCount(dataMap) + Integer.bitCount(nodeMap & (bit - 1));
    }

    @Override
    Object find(Object key, int hash, int shift, int width) {
      int bit = 1 << fragment(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = dataIndex(bit, width);
        return content[i].equals(key) ? content[i + width - 1] : null;
      }
      if ((nodeMap & bit) != 0) {
        ChampNode sub = (ChampNode) content[nodeIndex(bit, width)];
        return sub.find(key, hash, shift + BITS_PER_LEVEL, width);
      }
      return null;
    }

    @Override
    ChampNode put(Object key, Object value, int hash, int shift, int width, Delta d) {
      int bit = 1 << fragment(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = dataIndex(bit, width);
        Object existing = content[i];
        if (existing.equals(key)) {
          if (width == 1 || content[i + 1] == value) {
            return this;
          }
          Object[] copy = content.clone();
          copy[i + 1] = value;
          return new Bitmap(dataMap, nodeMap, copy);
        }
        Object existingValue = width == 2 ? content[i + 1] : null;
        ChampNode sub = merge(existing, existingValue, hash(existing), key, value, hash,
            shift + BITS_PER_LEVEL, width);
        d.sizeChanged = true;
        return inlineToSubNode(bit, sub, width);
      }
      if ((nodeMap & bit) != 0) {
        int j = nodeIndex(bit, width);
        ChampNode sub = (ChampNode) content[j];
        ChampNode updated = sub.put(key, value, hash, shift + BITS_PER_LEVEL, width, d);
        return updated == sub ? this : withSubNode(j, updated);
      }
      d.sizeChanged = true;
      return insertInline(bit, key, value, width);
    }

    @Override
    ChampNode remove(Object key, int hash, int shift, int width, Delta d) {
      int bit = 1 << fragment(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = dataIndex(bit, width);
        if (!content[i].equals(key)) {
          return this;
        }
        d.sizeChanged = true;
        if (shift > 0 && Integer.bitCount(dataMap) == 2 && nodeMap == 0) {
          int other = i == 0 ? width : 0;
          Object otherKey = content[other];
          return single(otherKey, width == 2 ? content[other + 1] : null, hash(otherKey), width);
        }
        return removeInline(bit, i, width);
      }
      if ((nodeMap & bit) != 0) {
        int j = nodeIndex(bit, width);
        ChampNode sub = (ChampNode) content[j];
        ChampNode updated = sub.remove(key, hash, shift + BITS_PER_LEVEL, width, d);
        if (updated == sub) {
          return this;
        }
        if (!updated.isSingleEntry()) {
          return withSubNode(j, updated);
        }
        if (shift > 0 && dataMap == 0 && Integer.bitCount(nodeMap) == 1) {
          return updated; // this node would only wrap one entry: let the parent pull it up
        }
        return subNodeToInline(bit, updated, width);
      }
      return this;
    }

    private Bitmap withSubNode(int j, ChampNode sub) {
      Object[] copy = content.clone();
      copy[j] = sub;
      return new Bitmap(dataMap, nodeMap, copy);
    }

    private Bitmap insertInline(int bit, Object key, Object value, int width) {
      int i = dataIndex(bit, width);
      Object[] copy = new Object[content.length + width];
      System.arraycopy(content, 0, copy, 0, i);
      setEntry(copy, i, key, value, width);
      System.arraycopy(content, i, copy, i + width, content.length - i);
      return new Bitmap(dataMap | bit, nodeMap, copy);
    }

    private Bitmap removeInline(int bit, int i, int width) {
      Object[] copy = new Object[content.length - width];
      System.arraycopy(content, 0, copy, 0, i);
      System.arraycopy(content, i + width, copy, i, content.length - i - width);
      return new Bitmap(dataMap ^ bit, nodeMap, copy);
    }

    /** Replaces the inline entry in slot {@code bit} by a sub-node. */
    private Bitmap inlineToSubNode(int bit, ChampNode sub, int width) {
      int i = dataIndex(bit, width);
      int newDataMap = dataMap ^ bit;
      int newNodeMap = nodeMap | bit;
      int j = width * Integer.bitCount(newDataMap) + Integer.bitCount(newNodeMap & (bit - 1));
      Object[] copy = new Object[content.length - width + 1];
      // entries before i, entries after i (shifted left), sub-nodes before j, sub, the rest
      System.arraycopy(content, 0, copy, 0, i);
      System.arraycopy(content, i + width, copy, i, j - i);
      copy[j] = sub;
      System.arraycopy(content, j + width, copy, j + 1, content.length - j - width);
      return new Bitmap(newDataMap, newNodeMap, copy);
    }

    /** Replaces the sub-node in slot {@code bit} by the single entry it holds. */
    private Bitmap subNodeToInline(int bit, ChampNode sub, int width) {
      Object[] entry = sub.content();
      int j = nodeIndex(bit, width);
      int newDataMap = dataMap | bit;
      int i = width * Integer.bitCount(newDataMap & (bit - 1));
      Object[] copy = new Object[content.length - 1 + width];
      System.arraycopy(content, 0, copy, 0, i);
      setEntry(copy, i, entry[0], width == 2 ? entry[1] : null, width);
      System.arraycopy(content, i, copy, i + width, j - i);
      System.arraycopy(content, j + 1, copy, j + width, content.length - j - 1);
      return new Bitmap(newDataMap, nodeMap ^ bit, copy);
    }

    @Override
    boolean isSingleEntry() {
      return nodeMap == 0 && Integer.bitCount(dataMap) == 1;
    }

    @Override
    Object[] content() {
      return content;
    }

    @Override
    void forEach(int width, BiConsumer<Object, Object> action) {
      int entrySlots = width * Integer.bitCount(dataMap);
      for (int i = 0; i < entrySlots; i += width) {
        action.accept(content[i], content[i + width - 1]);
      }
      for (int j = entrySlots; j < content.length; j++) {
        ((ChampNode) content[j]).forEach(width, action);
      }
    }
  }

  /** Keys whose 32-bit hashes are all equal, in insertion order; always at least two. */
  static final class Collision extends ChampNode {
    final int hash;
    final Object[] content;

    Collision(int hash, Object[] content) {
      this.hash = hash;
      this.content = content;
    }

    private int indexOf(Object key, int width) {
      for (int i = 0; i < content.length; i += width) {
        if (content[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    @Override
    Object find(Object key, int hash, int shift, int width) {
      int i = this.hash == hash ? indexOf(key, width) : -1;
      return i < 0 ? null : content[i + width - 1];
    }

    @Override
    ChampNode put(Object key, Object value, int hash, int shift, int width, Delta d) {
      if (hash != this.hash) {
        throw new IllegalStateException("collision node reached with a different hash");
      }
      int i = indexOf(key, width);
      if (i >= 0) {
        if (width == 1 || content[i + 1] == value) {
          return this;
        }
        Object[] copy = content.clone();
        copy[i + 1] = value;
        return new Collision(hash, copy);
      }
      Object[] copy = new Object[content.length + width];
      System.arraycopy(content, 0, copy, 0, content.length);
      setEntry(copy, content.length, key, value, width);
      d.sizeChanged = true;
      return new Collision(hash, copy);
    }

    @Override
    ChampNode remove(Object key, int hash, int shift, int width, Delta d) {
      int i = this.hash == hash ? indexOf(key, width) : -1;
      if (i < 0) {
        return this;
      }
      d.sizeChanged = true;
      if (content.length == 2 * width) {
        int other = i == 0 ? width : 0;
        return single(content[other], width == 2 ? content[other + 1] : null, hash, width);
      }
      Object[] copy = new Object[content.length - width];
      System.arraycopy(content, 0, copy, 0, i);
      System.arraycopy(content, i + width, copy, i, content.length - i - width);
      return new Collision(hash, copy);
    }

    @Override
    boolean isSingleEntry() {
      return false; // a collision node shrinking to one entry turns into a single-entry Bitmap
    }

    @Override
    Object[] content() {
      return content;
    }

    @Override
    void forEach(int width, BiConsumer<Object, Object> action) {
      for (int i = 0; i < content.length; i += width) {
        action.accept(content[i], content[i + width - 1]);
      }
    }
  }
}
