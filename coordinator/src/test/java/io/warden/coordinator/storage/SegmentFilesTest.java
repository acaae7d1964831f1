package io.warden.coordinator.storage;

import static io.warden.coordinator.storage.TestData.assertEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.coordinator.node.CorruptStorageException;
import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.node.StorageException;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft log's segment files ({@link SegmentFiles}) through {@link RocksStorage}: rotation,
 * compaction, truncation, and the files as a crash or a disk leaves them, damaged with plain
 * file writes under {@code raft-log/}. A torn tail (only the newest frame of the newest
 * segment, never acknowledged) is dropped; any other damage is refused, naming file and offset.
 */
class SegmentFilesTest {
  static final StorageOptions SMALL_SEGMENTS = StorageOptions.DEFAULTS.withLogSegmentBytes(64 * 1024);
  private static final int ENTRY_BYTES = 500;

  @TempDir Path directory;
  private RocksStorage store;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---- rotation and compaction ------------------------------------------------------------

  @Test
  void manyAppendsRotateIntoSeveralSegmentsThatAllLoadBack() throws IOException {
    open();
    writeLog(1, 400, 2);

    assertThat(segmentFiles()).hasSizeGreaterThanOrEqualTo(3);
    Persisted persisted = reopen();
    assertThat(persisted.firstIndex()).isEqualTo(1);
    assertEntries(persisted.entries(), entries(1, 400, 2));
  }

  @Test
  void compactPrefixDeletesTheSegmentsItCoversButNeverTheNewest() throws IOException {
    open();
    writeLog(1, 400, 2);
    List<Path> before = segmentFiles();
    long sizeBefore = store.sizeBytes();

    store.compactPrefix(300);

    List<Path> after = segmentFiles();
    assertThat(after).hasSizeLessThan(before.size()).contains(before.get(before.size() - 1));
    assertThat(before.subList(before.size() - after.size(), before.size())).isEqualTo(after);
    // The oldest kept segment still holds the new first entry: nothing retained was deleted.
    assertThat(firstEntryIndexIn(after.get(0))).isLessThanOrEqualTo(301);
    assertThat(store.sizeBytes()).isLessThan(sizeBefore);
    Persisted persisted = reopen();
    assertThat(persisted.firstIndex()).isEqualTo(301);
    assertEntries(persisted.entries(), entries(301, 400, 2));

    store.compactPrefix(400);

    assertThat(segmentFiles()).containsExactly(before.get(before.size() - 1));
    assertThat(reopen().entries()).isEmpty();
    store.append(null, 0, entries(401, 405, 3));
    assertEntries(reopen().entries(), entries(401, 405, 3));
  }

  @Test
  void entriesBelowTheFirstIndexInAKeptSegmentAreNotReturned() throws IOException {
    open();
    writeLog(1, 40, 2);
    assertThat(segmentFiles()).hasSize(1);

    store.compactPrefix(25);

    assertThat(segmentFiles()).hasSize(1);
    Persisted persisted = reopen();
    assertThat(persisted.firstIndex()).isEqualTo(26);
    assertEntries(persisted.entries(), entries(26, 40, 2));
  }

  @Test
  void compactionBeyondTheLastEntryKeepsOnlyTheNewestSegment() throws IOException {
    open();
    writeLog(1, 400, 2);
    Path newest = newestSegment();

    store.compactPrefix(1000);

    assertThat(segmentFiles()).containsExactly(newest);
    store.append(null, 0, entries(1001, 1003, 3));
    Persisted persisted = reopen();
    assertThat(persisted.firstIndex()).isEqualTo(1001);
    assertEntries(persisted.entries(), entries(1001, 1003, 3));
  }

  @Test
  void aBatchLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
    open();
    store.append(new HardState(2, 1), 0, entries(1, 5, 2));
    store.append(null, 0, entries(6, 305, 2)); // about 160 KB, the segments are 64 KiB

    store.append(null, 0, entries(306, 310, 2));

    List<Path> files = segmentFiles();
    assertThat(files).hasSize(3);
    assertThat(Files.size(files.get(1))).isGreaterThan(SMALL_SEGMENTS.logSegmentBytes());
    assertThat(frames(files.get(1))).hasSize(1);
    assertThat(firstEntryIndexIn(files.get(1))).isEqualTo(6);
    assertThat(firstEntryIndexIn(files.get(2))).isEqualTo(306);
    assertEntries(reopen().entries(), entries(1, 310, 2));
  }

  // ---- truncation ---------------------------------------------------------------------------

  @Test
  void aTruncationWithEntriesReplacesTheConflictingSuffix() {
    open();
    store.append(new HardState(1, 1), 0, entries(1, 10, 1));

    store.append(new HardState(2, 2), 6, entries(6, 8, 2));

    List<LogEntry> expected = new ArrayList<>(entries(1, 5, 1));
    expected.addAll(entries(6, 8, 2));
    assertEntries(reopen().entries(), expected);
    store.append(null, 0, entries(9, 9, 2));
    expected.addAll(entries(9, 9, 2));
    assertEntries(reopen().entries(), expected);
  }

  @Test
  void aTruncationWithoutEntriesShortensTheLog() {
    open();
    store.append(new HardState(1, 1), 0, entries(1, 10, 1));

    store.append(null, 7, List.of());

    assertEntries(reopen().entries(), entries(1, 6, 1));
    store.append(new HardState(3, 1), 0, entries(7, 8, 3));
    List<LogEntry> expected = new ArrayList<>(entries(1, 6, 1));
    expected.addAll(entries(7, 8, 3));
    assertEntries(reopen().entries(), expected);
  }

  @Test
  void aTruncationReachesIntoAnOlderSegment() throws IOException {
    open();
    writeLog(1, 400, 2);
    List<Path> files = segmentFiles();
    long truncateFrom = firstEntryIndexIn(files.get(1)) - 10; // in the first segment
    assertThat(truncateFrom).isGreaterThan(1);

    store.append(new HardState(3, 1), truncateFrom, entries(truncateFrom, truncateFrom + 4, 3));

    List<LogEntry> expected = new ArrayList<>(entries(1, truncateFrom - 1, 2));
    expected.addAll(entries(truncateFrom, truncateFrom + 4, 3));
    assertEntries(reopen().entries(), expected);
    // The first segment still holds entries of the retained prefix: compaction below the
    // truncation point must keep it, and the replay must still drop the truncated entries.
    store.compactPrefix(truncateFrom - 5);
    assertThat(segmentFiles()).contains(files.get(0));
    assertEntries(reopen().entries(), expected.subList((int) truncateFrom - 5, expected.size()));
  }

  // ---- torn tail: dropped -------------------------------------------------------------------

  @Test
  void aTornLastFrameIsDroppedItsBytesClearedAndLaterAppendsLoadBack() throws IOException {
    writeLogAndClose(1, 30); // frames of 10 entries
    Path segment = newestSegment();
    Frame last = lastFrame(segment);
    long cut = last.offset() + last.bytes() / 2;

    zero(segment, cut, (int) (last.end() - cut)); // the second half never reached the disk

    assertLastFrameDroppedAndLaterAppendsLoadBack(segment, last);
  }

  @Test
  void aLastFrameWithABadHeaderCrcIsDropped() throws IOException {
    writeLogAndClose(1, 30);
    Path segment = newestSegment();
    Frame last = lastFrame(segment);

    flipBit(segment, last.offset() + 9, 3); // the header's own CRC

    assertLastFrameDroppedAndLaterAppendsLoadBack(segment, last);
  }

  @Test
  void aZeroedLastFrameHeaderWithBytesAfterItIsDropped() throws IOException {
    writeLogAndClose(1, 30);
    Path segment = newestSegment();
    Frame last = lastFrame(segment);

    zero(segment, last.offset(), SegmentFiles.FRAME_HEADER_BYTES); // its payload reached the disk

    assertLastFrameDroppedAndLaterAppendsLoadBack(segment, last);
  }

  /**
   * A client value may hold bytes that look like a frame, CRCs included (a client can compute
   * CRC32C). When the frame carrying that value is torn, the look-alike must not pass for a
   * valid frame after it (which would refuse the start): CRCs start from the segment's salt.
   */
  @Test
  void aFrameForgedInsideAClientValueDoesNotMakeATornTailLookLikeDamage() throws IOException {
    writeLogAndClose(1, 30);
    ByteBuffer forged = SegmentFiles.encodeFrame(0, 0, entries(999, 999, 2));
    byte[] value = new byte[3 + forged.remaining() + 100];
    forged.get(value, 3, forged.remaining()); // 3 bytes put the look-alike on an 8-byte boundary
    java.util.Arrays.fill(value, value.length - 100, value.length, (byte) 7);
    open();
    store.append(null, 0, List.of(new LogEntry(31, 2, EntryType.COMMAND, value)));
    store.close();
    store = null;
    Path segment = newestSegment();
    Frame last = lastFrame(segment);
    zero(segment, last.end() - 50, 50); // torn: its end never reached the disk

    Persisted persisted = open();

    assertEntries(persisted.entries(), entries(1, 30, 2));
  }

  /**
   * The reverse of a lost log directory: RocksDB's files (term, vote, first index) are gone but
   * the segments are not. Opening that as a new store would serve the old log with no term and
   * no vote, and could vote twice in a term.
   */
  @Test
  void segmentsWithoutTheirRocksDbStoreAreRefused() throws IOException {
    writeLogAndClose(1, 30);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path p : files.filter(p -> !p.equals(logDirectory())).toList()) {
        Files.delete(p);
      }
    }

    assertThatThrownBy(() -> RocksStorage.open(directory, SMALL_SEGMENTS))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("the log directory holds")
        .hasMessageContaining("metadata was lost");
  }

  /**
   * For a log 1..30 (term 2) whose last frame (21..30) was torn: 1..20 load, the torn bytes
   * are zeroed (so no later recovery can misread them), and new entries after 20 load back.
   */
  private void assertLastFrameDroppedAndLaterAppendsLoadBack(Path segment, Frame last)
      throws IOException {
    Persisted persisted = open();

    assertEntries(persisted.entries(), entries(1, 20, 2));
    assertThat(readBytes(segment, last.offset(), last.bytes())).containsOnly(0);
    store.append(new HardState(3, 1), 0, entries(21, 22, 3));
    store.append(null, 0, entries(23, 23, 3));
    List<LogEntry> expected = new ArrayList<>(entries(1, 20, 2));
    expected.addAll(entries(21, 23, 3));
    assertEntries(reopen().entries(), expected);
  }

  @Test
  void aTornFirstFrameOfANewSegmentIsDropped() throws IOException {
    open();
    writeLog(1, 400, 2);
    int segmentsBefore = segmentFiles().size();
    long lastIndex = 400;
    while (segmentFiles().size() == segmentsBefore) {
      store.append(null, 0, entries(lastIndex + 1, lastIndex + 10, 2));
      lastIndex += 10;
    }
    store.close();
    store = null;
    Path segment = newestSegment();
    assertThat(frames(segment)).hasSize(1);
    zero(segment, lastFrame(segment).offset() + 40, 100);

    assertEntries(open().entries(), entries(1, lastIndex - 10, 2));
  }

  // ---- damage: refused ----------------------------------------------------------------------

  @Test
  void aFlippedBitInAFrameFollowedByAValidOneIsRefused() throws IOException {
    writeLogAndClose(1, 30);
    Path segment = newestSegment();
    Frame middle = frames(segment).get(1);
    flipBit(segment, middle.offset() + 100, 5);

    assertLoadRefused(segment, middle.offset(), "frame payload CRC mismatch; a valid frame follows at offset "
        + frames(segment).get(2).offset());
  }

  @Test
  void aFlippedBitInTheLastFrameOfAnOlderSegmentIsRefused() throws IOException {
    writeLogAndClose(1, 400);
    Path older = segmentFiles().get(0);
    Frame last = lastFrame(older);
    flipBit(older, last.end() - 20, 0);

    assertLoadRefused(older, last.offset(), "frame payload CRC mismatch; it is not the newest segment");
  }

  @Test
  void aZeroedFrameHeaderFollowedByValidFramesIsRefused() throws IOException {
    writeLogAndClose(1, 30);
    Path segment = newestSegment();
    Frame middle = frames(segment).get(1);
    zero(segment, middle.offset(), SegmentFiles.FRAME_HEADER_BYTES);

    assertLoadRefused(segment, middle.offset(), "the frames end here, yet a valid frame follows");
  }

  @Test
  void aZeroedLastFrameHeaderInAnOlderSegmentIsRefusedThere() throws IOException {
    writeLogAndClose(1, 400);
    Path older = segmentFiles().get(0);
    Frame last = lastFrame(older);
    zero(older, last.offset(), SegmentFiles.FRAME_HEADER_BYTES);

    assertLoadRefused(older, last.offset(), "not the newest segment");
  }

  @Test
  void aBadMagicIsRefused() throws IOException {
    writeLogAndClose(1, 30);
    Path segment = newestSegment();
    flipBit(segment, 2, 1);

    assertLoadRefused(segment, 0, "not a Warden log segment of this format (bad magic)");
  }

  @Test
  void aSegmentHeaderNamingAnotherSequenceIsRefused() throws IOException {
    writeLogAndClose(1, 30);
    Path segment = newestSegment();
    overwrite(segment, 8, ByteBuffer.allocate(8).putLong(7).array());

    assertLoadRefused(segment, 8, "its header says sequence 7");
  }

  @Test
  void aMissingMiddleSegmentIsRefused() throws IOException {
    writeLogAndClose(1, 400);
    List<Path> files = segmentFiles();
    Files.delete(files.get(1));

    assertLoadRefused("log segment 2 is missing (the next one is " + files.get(2));
  }

  @Test
  void aMissingFirstSegmentIsRefusedAsALogThatDoesNotStartAtTheFirstIndex() throws IOException {
    writeLogAndClose(1, 400);
    List<Path> files = segmentFiles();
    Files.delete(files.get(0));

    assertLoadRefused(files.get(1).toString(), "does not continue the log at 0");
  }

  @Test
  void aForeignFileInTheLogDirectoryIsRefused() throws IOException {
    writeLogAndClose(1, 30);
    Files.write(logDirectory().resolve("notes.txt"), new byte[] {1});

    assertLoadRefused("holds a file that is not a log segment: notes.txt");
  }

  @Test
  void aDeletedLogDirectoryIsRefusedOnceATermWasWritten() throws IOException {
    open();
    store.append(new HardState(1, 1), 0, List.of());
    store.close();
    store = null;
    deleteRecursively(logDirectory());

    assertLoadRefused("holds no segment, but the store has a term or a compacted log");
  }

  @Test
  void aFrameWhoseTermDecreasesIsRefused() throws IOException {
    writeLogAndClose(1, 30);

    long offset = appendRawFrame(0, entries(31, 31, 1));

    assertLoadRefused(newestSegment(), -1, "frame at offset " + offset
        + ": entry 31 has term 1, lower than term 2 of the entry before it");
  }

  @Test
  void aFrameThatLeavesAGapIsRefused() throws IOException {
    writeLogAndClose(1, 30);

    long offset = appendRawFrame(0, entries(33, 34, 2));

    assertLoadRefused(newestSegment(), -1,
        "frame at offset " + offset + ": entry 33 does not continue the log at 30");
  }

  @Test
  void aFrameThatOverwritesWithoutATruncationIsRefused() throws IOException {
    writeLogAndClose(1, 30);

    appendRawFrame(0, entries(25, 26, 3));

    assertLoadRefused(newestSegment(), -1, "entry 25 does not continue the log at 30");
  }

  @Test
  void aFrameWithAnImpossibleEntryAndAValidCrcIsRefused() throws IOException {
    writeLogAndClose(1, 30);
    long salt = saltOf(newestSegment());
    ByteBuffer frame = SegmentFiles.encodeFrame(salt, 0, entries(31, 31, 2));
    int typeAt = SegmentFiles.FRAME_HEADER_BYTES + 8 + 4 + 8 + 8;
    frame.put(typeAt, (byte) 99);
    SegmentFiles.seal(frame, salt);

    long offset = appendRawFrame(frame);

    assertLoadRefused(newestSegment(), offset, "impossible entry 0 of the frame (index 31, term 2, type code 99");
  }

  // ---- SegmentFiles alone -------------------------------------------------------------------

  @Test
  void leftoversOfAnInterruptedSegmentCreationAreRemovedAtOpen() throws IOException {
    Path log = Files.createDirectories(logDirectory());
    Path leftover = Files.write(log.resolve("segment-0000000000000002.log.tmp"), new byte[] {1, 2});

    try (SegmentFiles files = SegmentFiles.open(log, 4096)) {
      assertThat(leftover).doesNotExist();
      assertThat(files.recover(1, true)).isEmpty();
    }
  }

  @Test
  void segmentsBelow4096BytesAreRefused() {
    assertThatThrownBy(() -> SegmentFiles.open(logDirectory(), 4095))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 4096 bytes");
  }

  @Test
  void appendingBeforeRecoveryOrAfterCloseIsRefused() {
    SegmentFiles files = SegmentFiles.open(logDirectory(), 4096);
    assertThatThrownBy(() -> files.append(0, entries(1, 1, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before recover()");
    files.recover(1, true);
    files.append(0, entries(1, 1, 1));
    files.close();

    assertThatThrownBy(() -> files.append(0, entries(2, 2, 1)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void smallSegmentsRotateAtTheirSizeAndCountTheirFrameBytes() {
    try (SegmentFiles files = SegmentFiles.open(logDirectory(), 4096)) {
      files.recover(1, true);
      long frameBytes = SegmentFiles.encodeFrame(0, 0, entries(1, 1, 1)).remaining();

      for (long index = 1; index <= 20; index++) {
        files.append(0, entries(index, index, 1));
      }

      long perSegment = (4096 - SegmentFiles.SEGMENT_HEADER_BYTES) / frameBytes;
      assertThat(files.segmentCount()).isEqualTo((int) ((20 + perSegment - 1) / perSegment));
      assertThat(files.sizeBytes()).isEqualTo(20 * frameBytes);
      assertEntries(files.recover(1, false), entries(1, 20, 1));
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Deterministic entries of {@value #ENTRY_BYTES} bytes, so that a few hundred fill segments. */
  static List<LogEntry> entries(long from, long to, long term) {
    List<LogEntry> entries = new ArrayList<>();
    for (long index = from; index <= to; index++) {
      byte[] data = new byte[ENTRY_BYTES];
      new SplittableRandom(index * 1_000_003 + term).nextBytes(data);
      entries.add(new LogEntry(index, term, EntryType.COMMAND, data));
    }
    return entries;
  }

  private Persisted open() {
    store = RocksStorage.open(directory, SMALL_SEGMENTS);
    return store.load();
  }

  private Persisted reopen() {
    store.close();
    return open();
  }

  /** Hard state term {@code term}, then entries from..to in batches of ten (one frame each). */
  private void writeLog(long from, long to, long term) {
    store.append(new HardState(term, 1), 0, List.of());
    for (long start = from; start <= to; start += 10) {
      store.append(null, 0, entries(start, Math.min(to, start + 9), term));
    }
  }

  private void writeLogAndClose(long from, long to) {
    open();
    writeLog(from, to, 2);
    store.close();
    store = null;
  }

  /** A negative offset: the message names the frame's offset in the reason instead. */
  private void assertLoadRefused(Path segment, long offset, String reason) {
    assertLoadRefused("log segment " + segment + (offset >= 0 ? ", offset " + offset : ""), reason);
  }

  private void assertLoadRefused(String... messageParts) {
    store = RocksStorage.open(directory, SMALL_SEGMENTS);
    var refusal = assertThatThrownBy(store::load).isInstanceOf(CorruptStorageException.class);
    for (String part : messageParts) {
      refusal.hasMessageContaining(part);
    }
  }

  private Path logDirectory() {
    return directory.resolve(RocksStorage.LOG_DIRECTORY);
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(logDirectory())) {
      return files.sorted().toList();
    }
  }

  private Path newestSegment() throws IOException {
    List<Path> files = segmentFiles();
    return files.get(files.size() - 1);
  }

  /** A frame's place in its segment: {@code bytes} includes header and alignment padding. */
  record Frame(long offset, int bytes) {
    long end() {
      return offset + bytes;
    }
  }

  /** The frames of a segment, found by their length fields (no verification). */
  static List<Frame> frames(Path segment) throws IOException {
    List<Frame> frames = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long position = SegmentFiles.SEGMENT_HEADER_BYTES;
      ByteBuffer header = ByteBuffer.allocate(SegmentFiles.FRAME_HEADER_BYTES);
      while (position + SegmentFiles.FRAME_HEADER_BYTES <= ch.size()) {
        header.clear();
        ch.read(header, position);
        int length = header.getInt(0);
        if (length == 0) {
          break;
        }
        int bytes = SegmentFiles.aligned(SegmentFiles.FRAME_HEADER_BYTES + length);
        frames.add(new Frame(position, bytes));
        position += bytes;
      }
    }
    return frames;
  }

  static Frame lastFrame(Path segment) throws IOException {
    List<Frame> frames = frames(segment);
    return frames.get(frames.size() - 1);
  }

  /** The index of the first entry of the segment's first frame. */
  private static long firstEntryIndexIn(Path segment) throws IOException {
    long payload = frames(segment).get(0).offset() + SegmentFiles.FRAME_HEADER_BYTES;
    return ByteBuffer.wrap(readBytes(segment, payload + 8 + 4, 8)).getLong();
  }

  /** Writes a frame with valid CRCs after the newest segment's last frame; returns its offset. */
  private long appendRawFrame(long truncateFromIndex, List<LogEntry> entries) throws IOException {
    return appendRawFrame(SegmentFiles.encodeFrame(saltOf(newestSegment()), truncateFromIndex, entries));
  }

  private long appendRawFrame(ByteBuffer frame) throws IOException {
    Path segment = newestSegment();
    long offset = lastFrame(segment).end();
    byte[] bytes = new byte[frame.remaining()];
    frame.duplicate().get(bytes);
    overwrite(segment, offset, bytes);
    return offset;
  }

  /** The salt in a segment's header, which every CRC in the segment starts from. */
  static long saltOf(Path segment) throws IOException {
    return ByteBuffer.wrap(readBytes(segment, 16, 8)).getLong();
  }

  static byte[] readBytes(Path file, long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining() && ch.read(buffer, offset + buffer.position()) >= 0) {
        // read on
      }
    }
    return buffer.array();
  }

  static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        ch.write(buffer, offset + buffer.position());
      }
    }
  }

  static void zero(Path file, long offset, int length) throws IOException {
    overwrite(file, offset, new byte[length]);
  }

  private static void flipBit(Path file, long offset, int bit) throws IOException {
    byte[] one = readBytes(file, offset, 1);
    one[0] ^= (byte) (1 << bit);
    overwrite(file, offset, one);
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
