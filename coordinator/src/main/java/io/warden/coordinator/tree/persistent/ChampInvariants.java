package io.warden.coordinator.tree.persistent;

import java.util.HashSet;
import java.util.Set;

/**
 * The expensive structural check of a CHAMP trie, for tests: every key sits where its hash says,
 * bitmaps agree with array lengths, collision nodes only below the last level and with equal
 * hashes, no duplicate keys, and the canonical form (no non-root node with a single entry).
 */
final class ChampInvariants {
  private ChampInvariants() {
  }

  /** Checks the trie and returns the number of entries it holds. */
  static int check(ChampNode root, int width) {
    return check(root, width, 0, 0, true);
  }

  private static int check(ChampNode node, int width, int shift, int hashPrefix, boolean isRoot) {
    if (node instanceof ChampNode.Collision c) {
      return checkCollision(c, width, shift, hashPrefix);
    }
    ChampNode.Bitmap b = (ChampNode.Bitmap) node;
    require((b.dataMap & b.nodeMap) == 0, "slot marked both inline and sub-node");
    int entries = Integer.bitCount(b.dataMap);
    int subNodes = Integer.bitCount(b.nodeMap);
    require(b.content.length == width * entries + subNodes, "content length != bitmaps");
    if (!isRoot) {
      require(entries + subNodes > 0, "empty non-root node");
      require(!(entries == 1 && subNodes == 0), "non-root node with a single entry");
    }
    require(shift <= ChampNode.LAST_SHIFT, "bitmap node below the last level");
    int prefixMask = shift == 0 ? 0 : (1 << shift) - 1;
    int count = 0;
    int entryIndex = 0;
    int nodeIndex = width * entries;
    for (int frag = 0; frag < 32; frag++) {
      int bit = 1 << frag;
      if ((b.dataMap & bit) != 0) {
        Object key = b.content[entryIndex];
        require(key != null && (width == 1 || b.content[entryIndex + 1] != null), "null slot");
        int h = ChampNode.hash(key);
        require(ChampNode.fragment(h, shift) == frag, "key in the wrong slot");
        require((h & prefixMask) == hashPrefix, "key under the wrong parent");
        entryIndex += width;
        count++;
      } else if ((b.nodeMap & bit) != 0) {
        ChampNode sub = (ChampNode) b.content[nodeIndex++];
        count += check(sub, width, shift + ChampNode.BITS_PER_LEVEL, hashPrefix | (frag << shift),
            false);
      }
    }
    return count;
  }

  private static int checkCollision(ChampNode.Collision c, int width, int shift, int hashPrefix) {
    require(shift > ChampNode.LAST_SHIFT, "collision node above the last level");
    require(c.hash == hashPrefix, "collision node under the wrong parent");
    require(c.content.length % width == 0 && c.content.length >= 2 * width,
        "collision node with fewer than two entries");
    Set<Object> seen = new HashSet<>();
    for (int i = 0; i < c.content.length; i += width) {
      require(ChampNode.hash(c.content[i]) == c.hash, "collision key with another hash");
      require(seen.add(c.content[i]), "duplicate key in a collision node");
    }
    return seen.size();
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("CHAMP invariant violated: " + what);
    }
  }
}
