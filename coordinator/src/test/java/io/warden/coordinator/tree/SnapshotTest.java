package io.warden.coordinator.tree;

import static io.warden.coordinator.tree.Fixtures.ANON;
import static io.warden.coordinator.tree.Fixtures.mk;
import static io.warden.coordinator.tree.Fixtures.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TreeImage.write / DataTree.restore: round trips, frozen images, corrupt input refused. */
class SnapshotTest {

  private static DataTree randomTree(long seed, int steps) {
    DataTree tree = DataTree.initial();
    RandomOps ops = new RandomOps(seed, 1);
    for (int i = 0; i < steps; i++) {
      ops.step(tree);
    }
    return tree;
  }

  private static List<byte[]> write(TreeImage image, int chunkBytes) {
    List<byte[]> chunks = new ArrayList<>();
    image.write(chunkBytes, chunks::add);
    return chunks;
  }

  private static byte[] concat(List<byte[]> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    chunks.forEach(out::writeBytes);
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 4096, 1 << 20})
  void roundTripPreservesEverything(int chunkBytes) {
    long seed = RandomOps.seed("roundTripPreservesEverything(" + chunkBytes + ")");
    DataTree tree = randomTree(seed, 2_000);
    List<byte[]> chunks = write(tree.image(), chunkBytes);
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertThat(chunks.get(i)).hasSize(chunkBytes);
    }
    DataTree restored = DataTree.restore(chunks.iterator());
    restored.checkInvariants();
    assertThat(restored.digest()).isEqualTo(tree.digest());
    assertThat(restored.nodeCount()).isEqualTo(tree.nodeCount());
    assertThat(restored.approximateDataBytes()).isEqualTo(tree.approximateDataBytes());
    assertThat(restored.ephemeralCount()).isEqualTo(tree.ephemeralCount());
    assertThat(RandomOps.dump(restored)).isEqualTo(RandomOps.dump(tree));
    for (long s = 1; s <= 3; s++) {
      assertThat(restored.getEphemerals(s, null)).isEqualTo(tree.getEphemerals(s, null));
    }
    assertThat(restored.reapCandidates(Long.MAX_VALUE, 1000))
        .isEqualTo(tree.reapCandidates(Long.MAX_VALUE, 1000));

    // the restored tree behaves identically from here on (sequence counters included)
    RandomOps more = new RandomOps(seed + 1, 10_000);
    RandomOps same = new RandomOps(seed + 1, 10_000);
    for (int i = 0; i < 500; i++) {
      more.step(tree);
      same.step(restored);
    }
    assertThat(restored.digest()).isEqualTo(tree.digest());
  }

  @Test
  void writingIsDeterministic() {
    long seed = RandomOps.seed("writingIsDeterministic");
    byte[] one = concat(write(randomTree(seed, 500).image(), 100));
    byte[] two = concat(write(randomTree(seed, 500).image(), 333));
    assertThat(one).isEqualTo(two);
  }

  @Test
  void aRestoredTreeWritesTheSameBytesAsTheTreeItCameFrom() {
    // children are written in their set's order, not sorted: that order must not depend on
    // how the set was built (a restored node and a live one snapshot the same state alike)
    long seed = RandomOps.seed("aRestoredTreeWritesTheSameBytesAsTheTreeItCameFrom");
    DataTree tree = randomTree(seed, 3_000);
    DataTree wide = DataTree.initial();
    mk(wide, "/wide", 2);
    for (int i = 0; i < 5_000; i++) {
      mk(wide, "/wide/c" + Integer.toString(i * 7919, 36), 3 + i);
    }
    for (DataTree t : List.of(tree, wide)) {
      byte[] original = concat(write(t.image(), 4096));
      DataTree restored = DataTree.restore(write(t.image(), 4096).iterator());
      assertThat(concat(write(restored.image(), 4096))).isEqualTo(original);
    }
  }

  @Test
  void oldImageStillWritesTheOldState() {
    DataTree tree = DataTree.initial();
    mk(tree, "/a", 2);
    mk(tree, "/a/e", CreateMode.EPHEMERAL, session(1), 3);
    Map<String, String> before = RandomOps.dump(tree);
    TreeImage image = tree.image();

    tree.removeEphemerals(1, 4);
    tree.setData("/a", new byte[] {1, 2, 3}, -1, ANON, 5, 50);
    mk(tree, "/b", 6);
    tree.delete("/a", -1, ANON, 7);
    assertThat(tree.digest()).isNotEqualTo(image.digest());

    DataTree restored = DataTree.restore(write(image, 64).iterator());
    assertThat(RandomOps.dump(restored)).isEqualTo(before);
    assertThat(restored.digest()).isEqualTo(image.digest());
    assertThat(restored.ephemeralCount(1)).isEqualTo(1);
  }

  @Test
  void imageWrittenOnAnotherThreadWhileTheTreeChanges() throws Exception {
    long seed = RandomOps.seed("imageWrittenOnAnotherThreadWhileTheTreeChanges");
    DataTree tree = randomTree(seed, 3_000);
    Map<String, String> before = RandomOps.dump(tree);
    TreeImage image = tree.image();
    ExecutorService snapshotThread = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<List<byte[]>> written =
          CompletableFuture.supplyAsync(() -> write(image, 512), snapshotThread);
      RandomOps ops = new RandomOps(seed + 1, 100_000);
      while (!written.isDone()) { // keep writing on this ("core") thread meanwhile
        ops.step(tree);
      }
      for (int i = 0; i < 1_000; i++) {
        ops.step(tree);
      }
      DataTree restored = DataTree.restore(written.get(30, TimeUnit.SECONDS).iterator());
      assertThat(RandomOps.dump(restored)).isEqualTo(before);
    } finally {
      snapshotThread.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------- corruption

  private static byte[] validSnapshot() {
    DataTree tree = DataTree.initial();
    mk(tree, "/a", 2);
    mk(tree, "/a/b", 3);
    return concat(write(tree.image(), 1 << 16));
  }

  private static Iterator<byte[]> one(byte[] bytes) {
    return List.of(bytes).iterator();
  }

  private static void assertRejected(byte[] bytes, String messagePart) {
    assertThatThrownBy(() -> DataTree.restore(one(bytes)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(messagePart);
  }

  @Test
  void rejectsBadMagicAndVersion() {
    byte[] s = validSnapshot();
    byte[] badMagic = s.clone();
    badMagic[0] ^= 1;
    assertRejected(badMagic, "bad magic");
    byte[] badVersion = s.clone();
    ByteBuffer.wrap(badVersion).putInt(4, 99);
    assertRejected(badVersion, "unsupported snapshot format version 99");
  }

  @Test
  void rejectsTruncationAnywhere() {
    byte[] s = validSnapshot();
    for (int length = 0; length < s.length; length++) {
      byte[] cut = Arrays.copyOf(s, length);
      assertThatThrownBy(() -> DataTree.restore(one(cut))).as("cut at %d", length)
          .isInstanceOf(IllegalStateException.class);
    }
    assertRejected(Arrays.copyOf(s, s.length - 3), "truncated");
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] s = validSnapshot();
    assertRejected(Arrays.copyOf(s, s.length + 1), "unexpected bytes after the trailer");
  }

  @Test
  void rejectsADigestMismatch() {
    byte[] s = validSnapshot();
    ByteBuffer.wrap(s).putLong(12, 0x1234L);
    assertRejected(s, "digest mismatch");
  }

  @Test
  void rejectsAChangedDataByteThroughTheDigest() {
    DataTree tree = DataTree.initial();
    tree.create("/a", new byte[] {42, 42, 42}, io.warden.protocol.Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT, -1, ANON, 2, 0);
    byte[] s = concat(write(tree.image(), 4096));
    int at = indexOf(s, new byte[] {42, 42, 42});
    s[at + 1] = 43;
    assertRejected(s, "digest mismatch");
  }

  @Test
  void rejectsAWrongNodeCount() {
    byte[] s = validSnapshot();
    ByteBuffer.wrap(s).putInt(8, 7);
    assertThatThrownBy(() -> DataTree.restore(one(s))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("snapshot");
  }

  @Test
  void pathsBeyondAsciiRoundTripAndInvalidUtf8IsRefused() {
    DataTree tree = DataTree.initial();
    mk(tree, "/caf\u00e9", 2);
    mk(tree, "/caf\u00e9/\u20ac\u00fc", 3);
    byte[] s = concat(write(tree.image(), 1 << 16));
    DataTree restored = DataTree.restore(one(s));
    assertThat(RandomOps.dump(restored)).isEqualTo(RandomOps.dump(tree));

    int at = indexOf(s, "/caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    s[at + 5] = (byte) 0xff; // the second byte of the \u00e9: no longer UTF-8
    assertRejected(s, "not valid UTF-8");
  }

  @Test
  void rejectsANodeThatAppearsTwice() {
    DataTree tree = DataTree.initial();
    mk(tree, "/a", 2);
    mk(tree, "/a/b", 3);
    mk(tree, "/a/c", 4);
    byte[] s = concat(write(tree.image(), 1 << 16));
    int at = indexOf(s, "/a/c".getBytes());
    s[at + 3] = 'b'; // a second "/a/b"
    assertRejected(s, "duplicate node /a/b");
  }

  @Test
  void rejectsAChildBeforeItsParentAndInvalidPaths() {
    byte[] s = validSnapshot();
    int at = indexOf(s, "/a/b".getBytes());
    byte[] orphan = s.clone();
    orphan[at + 1] = 'x'; // "/x/b": its parent never appeared
    assertRejected(orphan, "precedes its parent");
    byte[] invalid = s.clone();
    invalid[at + 2] = '.';
    invalid[at + 3] = '/'; // "/a/b" becomes "/a./", which ends in a slash
    assertRejected(invalid, "invalid path");
  }

  @Test
  void rejectsASnapshotWithoutTheBuiltInNodes() {
    TreeState initial = DataTree.initial().mark().state();
    var nodes = initial.nodes().remove("/zookeeper/quota").remove("/zookeeper/config")
        .remove("/zookeeper");
    Znode root = nodes.get("/");
    Znode bareRoot = root.withChildren(root.children().remove("zookeeper"));
    nodes = nodes.put("/", bareRoot);
    TreeState bare = new TreeState(nodes, initial.ephemerals(), initial.reapable(),
        TreeHash.node(bareRoot), 1, 0);
    List<byte[]> chunks = new ArrayList<>();
    new TreeImage(bare).write(100, chunks::add);
    assertThatThrownBy(() -> DataTree.restore(chunks.iterator()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("built-in node /zookeeper is missing");
  }

  @Test
  void restoredTreeAcceptsWrites() {
    DataTree restored = DataTree.restore(one(validSnapshot()));
    assertThat(restored.create("/a/c", null, io.warden.protocol.Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_SEQUENTIAL, -1, ANON, 9, 0).value().path())
        .isEqualTo("/a/c0000000001");
    assertThat(restored.delete("/a", -1, ANON, 10).code()).isEqualTo(ErrorCode.NOT_EMPTY);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
