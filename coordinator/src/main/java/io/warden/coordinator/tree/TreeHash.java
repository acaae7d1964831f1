package io.warden.coordinator.tree;

import io.warden.protocol.Acl;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The tree digest (DESIGN.md D5): the sum, modulo 2^64, of a 64-bit hash of every node (path,
 * data, ACL, kind, owner and every Stat input). A sum is order-independent, so it is updated in
 * O(1) per node change (subtract the old node's hash, add the new one's) and replicas that
 * applied the same entries have equal digests whatever their internal layout.
 *
 * <p>Deterministic across JVMs by construction: it hashes UTF-16 chars and bytes with fixed
 * constants and never uses {@code String.hashCode} or identity hashes. Each 64-bit word is mixed
 * with the SplitMix64 finalizer before it is folded in by a rotate-multiply step, which is a
 * bijection of the running state, so no input word is lost. Not cryptographic: it detects
 * divergence, it does not resist an adversary. Changing anything here changes every digest,
 * which is why the snapshot format version covers it.
 */
final class TreeHash {
  private static final long CONTENT_SEED = 0x57415244454E0001L;
  private static final long NODE_SEED = 0x57415244454E0002L;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private TreeHash() {
  }

  /** Hash of what changes rarely: path, data (null differs from empty) and ACL, in order. */
  static long content(String path, byte[] data, List<Acl> acl) {
    long h = string(CONTENT_SEED, path);
    h = bytes(h, data);
    h = step(h, acl.size());
    for (Acl a : acl) {
      h = step(h, a.perms());
      h = string(h, a.id().scheme());
      h = string(h, a.id().id());
    }
    return mix(h);
  }

  /** Hash of a whole node: its content hash plus everything that goes into its Stat. */
  static long node(Znode n) {
    long h = step(NODE_SEED, n.contentHash());
    h = step(h, n.czxid());
    h = step(h, n.mzxid());
    h = step(h, n.ctime());
    h = step(h, n.mtime());
    h = step(h, n.pzxid());
    h = step(h, ((long) n.version() << 32) | (n.aversion() & 0xFFFFFFFFL));
    h = step(h, ((long) n.childCreations() << 32) | n.children().size());
    h = step(h, n.kind().ordinal());
    h = step(h, n.owner());
    return mix(h);
  }

  private static long step(long h, long word) {
    return Long.rotateLeft(h ^ mix(word), 29) * GOLDEN;
  }

  /** SplitMix64's finalizer: a bijective, well-avalanched 64-bit mix. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long string(long h, String s) {
    h = step(h, s.length());
    int i = 0;
    for (; i + 4 <= s.length(); i += 4) {
      h = step(h, (long) s.charAt(i) << 48 | (long) s.charAt(i + 1) << 32
          | (long) s.charAt(i + 2) << 16 | s.charAt(i + 3));
    }
    long tail = 0;
    for (; i < s.length(); i++) {
      tail = tail << 16 | s.charAt(i);
    }
    return step(h, tail);
  }

  private static long bytes(long h, byte[] b) {
    if (b == null) {
      return step(h, -1);
    }
    h = step(h, b.length);
    int i = 0;
    for (; i + 8 <= b.length; i += 8) {
      h = step(h, (long) BIG_ENDIAN_LONG.get(b, i)); // the 8 bytes as one word, one load
    }
    long tail = 0;
    for (; i < b.length; i++) {
      tail = tail << 8 | (b[i] & 0xFF);
    }
    return step(h, tail);
  }
}
