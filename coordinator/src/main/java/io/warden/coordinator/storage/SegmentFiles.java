package io.warden.coordinator.storage;

import io.warden.coordinator.node.CorruptStorageException;
import io.warden.coordinator.node.StorageException;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft log's entries in Warden's own append-only segment files (DESIGN.md §4, D3).
 *
 * <h2>Why not RocksDB</h2>
 *
 * A synced RocksDB write appends to a WAL file that grows with every write, so each fsync also
 * commits the file's new size (a journal commit on ext4); RocksDB's remedy, WAL recycling, is
 * off under the point-in-time recovery a log needs. The log's bytes were then written twice
 * more, by the memtable flush and by compaction. A segment here is created at its full size
 * up front (sparse, like ZooKeeper's padded transaction log), so an append's
 * {@code fdatasync} flushes data only, and each entry is written once.
 *
 * <h2>Layout</h2>
 *
 * Files {@code segment-<16-digit sequence>.log} in one directory, in sequence order. Each
 * starts with a 24-byte header (magic and format, its sequence number, a random salt),
 * followed by frames, 8-byte aligned. A frame is one {@link #append}: header {@code payload
 * length (4) | payload CRC (4) | CRC of those 8 bytes (4)}, then the payload {@code truncate-from
 * index (8) | entry count (4) | entries}, each {@code index (8) | term (8) | type (1) | data
 * length (4) | data}. Every CRC is CRC32C over the segment's salt and then the bytes, so a
 * frame embedded in a client's value (which a client could compute) never verifies: recovery
 * can trust that a frame that verifies was written by this log. Past the last frame the file
 * reads as zeros. The log is never
 * overwritten: a Raft truncation is a frame whose truncate-from index drops every earlier
 * entry at or above it when the frames are replayed, so a crash never leaves a half-rewritten
 * record; old segments are deleted whole once a snapshot covers them.
 *
 * <h2>Crash recovery</h2>
 *
 * An append is one write of one frame and one {@code fdatasync}, and the next append waits
 * for it, so only the newest frame of the newest segment can be torn by a crash, and that
 * frame was never acknowledged (its fsync had not returned). At {@link #recover} a frame that
 * fails its checks is therefore a torn write when no valid frame follows it in its segment,
 * the segment is the newest, and it is dropped (its bytes are zeroed so they cannot be misread
 * later). Anything else that fails a check (a bad frame followed by a good one, a bad frame in
 * an older segment, a header of another format) is damage: {@link CorruptStorageException}
 * naming the file and offset, and the node does not start.
 *
 * <h2>Threads</h2>
 *
 * {@link #recover} once, before anything else. Then {@link #append} on the storage thread and
 * {@link #deleteCoveredSegments} on the snapshot thread, concurrently: the segment list is
 * guarded by {@code this}, held only for bookkeeping, never during I/O; the snapshot thread
 * only deletes segments the storage thread has finished with. {@link #close} waits for calls
 * in flight (the close guard), later calls throw {@link StorageException}.
 */
final class SegmentFiles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);
  /** "WDNLOG" and format 1, big-endian. */
  static final long MAGIC = 0x5744_4E4C_4F47_0001L;
  static final int SEGMENT_HEADER_BYTES = 24;
  static final int FRAME_HEADER_BYTES = 12;
  static final int ALIGNMENT = 8;
  private static final int PAYLOAD_HEADER_BYTES = 8 + 4;
  private static final int ENTRY_HEADER_BYTES = 8 + 8 + 1 + 4;
  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".log";
  private static final String TEMPORARY = ".tmp";
  private static final int SCAN_CHUNK_BYTES = 1 << 20;

  private static final SecureRandom SALTS = new SecureRandom();

  /** One segment file. {@code maxIndex} covers every entry ever written to it (0: none). */
  private static final class Segment {
    final long sequence;
    final Path path;
    long salt;
    long usedBytes;
    long maxIndex;

    Segment(long sequence, Path path) {
      this.sequence = sequence;
      this.path = path;
    }
  }

  private final Path directory;
  private final long segmentBytes;
  // Guarded by this (bookkeeping only). The last segment is the active one.
  private final List<Segment> segments = new ArrayList<>();
  // Storage thread only, after recover().
  private FileChannel active;
  private boolean recovered;
  private final ReentrantReadWriteLock closeGuard = new ReentrantReadWriteLock();
  private boolean closed; // guarded by closeGuard

  private SegmentFiles(Path directory, long segmentBytes) {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens (creating if needed) the segment directory. Leftovers of a segment creation a crash
   * interrupted ({@code *.tmp}) are removed; nothing else is read until {@link #recover}.
   */
  static SegmentFiles open(Path directory, long segmentBytes) {
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segment size must be at least 4096 bytes: " + segmentBytes);
    }
    try {
      Files.createDirectories(directory);
      try (Stream<Path> files = Files.list(directory)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (p.getFileName().toString().endsWith(TEMPORARY)) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException("opening the log directory " + directory + ": " + e, e);
    }
    return new SegmentFiles(directory, segmentBytes);
  }

  Path directory() {
    return directory;
  }

  // ---- recovery -----------------------------------------------------------------------------

  /**
   * Reads every segment, drops a torn tail (with a warning in the log), and replays the frames:
   * returns the entries with
   * index ≥ {@code firstIndex}, which must continue one another (a gap or overlap, or a term
   * lower than its predecessor's, is corruption). Entries below {@code firstIndex} are covered
   * by a snapshot and skipped; a frame may hold some of them when it raced a compaction.
   *
   * @param mayBeEmpty whether the store never held a term or compacted its log; if not, a
   *     directory without segments lost them (the first segment is created before any entry
   *     or term is written), and that is refused
   */
  List<LogEntry> recover(long firstIndex, boolean mayBeEmpty) {
    enter("recovering the log");
    try {
      List<Segment> found = listSegments();
      if (found.isEmpty() && !mayBeEmpty) {
        throw new CorruptStorageException("the log directory " + directory + " holds no segment,"
            + " but the store has a term or a compacted log: its segments were lost");
      }
      Replay replay = new Replay(firstIndex);
      for (int i = 0; i < found.size(); i++) {
        readSegment(found.get(i), i == found.size() - 1, replay);
      }
      synchronized (this) {
        segments.clear();
        segments.addAll(found);
      }
      if (active != null) {
        active.close(); // a second recover (tests, the benchmark) starts over
      }
      if (found.isEmpty()) {
        startSegment(1);
      } else {
        Segment last = found.get(found.size() - 1);
        active = FileChannel.open(last.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      recovered = true;
      return List.copyOf(replay.entries);
    } catch (IOException e) {
      throw new StorageException("recovering the log in " + directory + ": " + e, e);
    } finally {
      exit();
    }
  }

  private List<Segment> listSegments() throws IOException {
    List<Segment> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
          throw new CorruptStorageException(
              "the log directory " + directory + " holds a file that is not a log segment: " + name);
        }
        String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        long sequence;
        try {
          sequence = Long.parseLong(digits);
        } catch (NumberFormatException e) {
          throw new CorruptStorageException("log segment with a malformed name: " + p);
        }
        found.add(new Segment(sequence, p));
      }
    }
    found.sort((a, b) -> Long.compare(a.sequence, b.sequence));
    for (int i = 1; i < found.size(); i++) {
      if (found.get(i).sequence != found.get(i - 1).sequence + 1) {
        throw new CorruptStorageException(
            "log segment " + (found.get(i - 1).sequence + 1) + " is missing (the next one is "
                + found.get(i).path + ")");
      }
    }
    return found;
  }

  /** Reads one segment's frames into {@code replay}, dropping a torn tail if it is the newest. */
  private void readSegment(Segment segment, boolean newest, Replay replay) throws IOException {
    try (FileChannel ch = FileChannel.open(segment.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
      readFully(ch, header, 0);
      header.flip();
      if (header.remaining() < SEGMENT_HEADER_BYTES || header.getLong() != MAGIC) {
        throw corrupt(segment, 0, "not a Warden log segment of this format (bad magic)");
      }
      long sequence = header.getLong();
      if (sequence != segment.sequence) {
        throw corrupt(segment, 8, "its header says sequence " + sequence);
      }
      segment.salt = header.getLong();
      long salt = segment.salt;
      long position = SEGMENT_HEADER_BYTES;
      ByteBuffer frameHeader = ByteBuffer.allocate(FRAME_HEADER_BYTES);
      while (position + FRAME_HEADER_BYTES <= size) {
        frameHeader.clear();
        readFully(ch, frameHeader, position);
        frameHeader.flip();
        int length = frameHeader.getInt();
        int payloadCrc = frameHeader.getInt();
        int headerCrc = frameHeader.getInt();
        if (length == 0 && payloadCrc == 0 && headerCrc == 0) {
          break; // past the last frame
        }
        String problem = null;
        Frame frame = null;
        if (headerCrc != crc(salt, frameHeader.array(), 0, 8)) {
          problem = "frame header CRC mismatch";
        } else if (length < PAYLOAD_HEADER_BYTES || length > size - position - FRAME_HEADER_BYTES) {
          problem = "frame length " + length + " does not fit the file";
        } else {
          ByteBuffer payload = ByteBuffer.allocate(length);
          readFully(ch, payload, position + FRAME_HEADER_BYTES);
          if (payload.position() != length || crc(salt, payload.array(), 0, length) != payloadCrc) {
            problem = "frame payload CRC mismatch";
          } else {
            try {
              frame = decodeFrame(payload.array());
            } catch (IllegalArgumentException e) {
              throw corrupt(segment, position, e.getMessage());
            }
          }
        }
        if (problem != null) {
          long followingFrame = scanTail(ch, salt, position, size).validFrameAt();
          if (!newest || followingFrame >= 0) {
            throw corrupt(segment, position, problem + (followingFrame >= 0
                ? "; a valid frame follows at offset " + followingFrame : "; it is not the newest segment"));
          }
          dropTornTail(ch, segment, position, problem);
          return;
        }
        replay.apply(frame, segment, position);
        for (LogEntry e : frame.entries) {
          segment.maxIndex = Math.max(segment.maxIndex, e.index());
        }
        position += aligned(FRAME_HEADER_BYTES + length);
      }
      segment.usedBytes = Math.min(position, size);
      // A zero header ends the frames. Damage that zeroed a header would hide those after it:
      // refuse if a valid frame follows.
      Tail tail = scanTail(ch, salt, position, size);
      if (tail.validFrameAt() >= 0) {
        throw corrupt(segment, position, "the frames end here, yet a valid frame follows at offset "
            + tail.validFrameAt());
      }
      if (tail.nonZero()) {
        if (!newest) {
          // Only the newest segment can hold a torn frame: here a damaged header hid a frame.
          throw corrupt(segment, position, "the frames end here, yet non-zero bytes follow;"
              + " it is not the newest segment");
        }
        // the zeroed header of a torn frame; its rest must not linger
        dropTornTail(ch, segment, position, "a zeroed frame header with bytes after it");
      }
    }
  }

  private void dropTornTail(FileChannel ch, Segment segment, long position, String problem)
      throws IOException {
    LOG.warn("log segment {}: dropping the write a crash interrupted at offset {} ({}); it was"
        + " never acknowledged, its fsync had not returned", segment.path, position, problem);
    segment.usedBytes = position;
    clearTail(ch, position);
  }

  /** What follows the last good frame: the first frame that verifies (-1: none), any non-zero byte. */
  private record Tail(long validFrameAt, boolean nonZero) {}

  /**
   * One pass over {@code [from, size)} ({@code from} is frame-aligned): the first aligned frame
   * whose header and payload verify, and whether any byte is non-zero. A valid frame's length
   * is at least {@value #PAYLOAD_HEADER_BYTES}, so a word of zeros never starts one.
   */
  private static Tail scanTail(FileChannel ch, long salt, long from, long size) throws IOException {
    boolean nonZero = false;
    ByteBuffer chunk = ByteBuffer.allocate(SCAN_CHUNK_BYTES + FRAME_HEADER_BYTES);
    for (long base = from; base < size; base += SCAN_CHUNK_BYTES) {
      chunk.clear();
      readFully(ch, chunk, base);
      int limit = chunk.position();
      byte[] bytes = chunk.array();
      ByteBuffer view = ByteBuffer.wrap(bytes, 0, limit);
      for (int at = 0; at < Math.min(SCAN_CHUNK_BYTES, limit); at += ALIGNMENT) {
        if (at + Long.BYTES <= limit ? view.getLong(at) == 0 : isZero(bytes, at, limit)) {
          continue;
        }
        nonZero = true;
        if (at + FRAME_HEADER_BYTES <= limit && verifies(ch, salt, view, base, at, size)) {
          return new Tail(base + at, true);
        }
      }
    }
    return new Tail(-1, nonZero);
  }

  private static boolean verifies(FileChannel ch, long salt, ByteBuffer view, long base, int at,
      long size) throws IOException {
    int length = view.getInt(at);
    if (view.getInt(at + 8) != crc(salt, view.array(), at, 8) || length < PAYLOAD_HEADER_BYTES
        || length > size - (base + at) - FRAME_HEADER_BYTES) {
      return false;
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    readFully(ch, payload, base + at + FRAME_HEADER_BYTES);
    return crc(salt, payload.array(), 0, length) == view.getInt(at + 4);
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * For a store being created: refuses a log directory that already holds segments. They
   * belong to a store whose RocksDB half (term, vote, first index) was lost, and starting on
   * them with an empty hard state could vote twice in one term.
   */
  static void refuseLeftoverSegments(Path directory) {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> files = Files.list(directory)) {
      long segments = files.filter(p -> p.getFileName().toString().startsWith(PREFIX)
          && p.getFileName().toString().endsWith(SUFFIX)).count();
      if (segments > 0) {
        throw new CorruptStorageException("the store beside " + directory + " is empty (no format"
            + " version, term or vote), yet the log directory holds " + segments + " segment(s):"
            + " the store's metadata was lost; refusing to start on the log without its term and"
            + " vote (restore the data directory, or remove it to rejoin as a new node)");
      }
    } catch (IOException e) {
      throw new StorageException("listing the log directory " + directory + ": " + e, e);
    }
  }

  /** Zeroes everything from {@code position} on (truncate, then extend sparsely), synced. */
  private void clearTail(FileChannel ch, long position) throws IOException {
    long size = Math.max(ch.size(), segmentBytes);
    ch.truncate(position);
    ch.write(ByteBuffer.allocate(1), size - 1);
    ch.force(true);
  }

  /** Replays frames in order into the retained suffix of the log. */
  private static final class Replay {
    final long firstIndex;
    final ArrayList<LogEntry> entries = new ArrayList<>();

    Replay(long firstIndex) {
      this.firstIndex = firstIndex;
    }

    long lastIndex() {
      return entries.isEmpty() ? firstIndex - 1 : entries.get(entries.size() - 1).index();
    }

    void apply(Frame frame, Segment segment, long position) {
      if (frame.truncateFrom > 0) {
        while (!entries.isEmpty() && entries.get(entries.size() - 1).index() >= frame.truncateFrom) {
          entries.remove(entries.size() - 1);
        }
      }
      for (LogEntry e : frame.entries) {
        if (e.index() < firstIndex) {
          continue; // a snapshot covers it
        }
        if (e.index() != lastIndex() + 1) {
          throw new CorruptStorageException("log segment " + segment.path + ", frame at offset "
              + position + ": entry " + e.index() + " does not continue the log at "
              + lastIndex() + " (a gap, or an overwrite without truncation)");
        }
        if (!entries.isEmpty() && e.term() < entries.get(entries.size() - 1).term()) {
          throw new CorruptStorageException("log segment " + segment.path + ", frame at offset "
              + position + ": entry " + e.index() + " has term " + e.term()
              + ", lower than term " + entries.get(entries.size() - 1).term()
              + " of the entry before it");
        }
        entries.add(e);
      }
    }
  }

  // ---- append -------------------------------------------------------------------------------

  /**
   * Writes one frame (a truncation, if {@code truncateFromIndex > 0}, and the entries) and
   * fdatasyncs it. The caller checked that the entries continue the log.
   */
  void append(long truncateFromIndex, List<LogEntry> entries) {
    append(truncateFromIndex, entries, true);
  }

  /** {@link #append} with the sync optional: for the JMH benchmark only (see RaftLogAppendBenchmark). */
  void append(long truncateFromIndex, List<LogEntry> entries, boolean sync) {
    enter("appending to the log");
    try {
      if (!recovered) {
        throw new IllegalStateException("append before recover()");
      }
      Segment segment;
      synchronized (this) {
        segment = segments.get(segments.size() - 1);
      }
      ByteBuffer frame = encodeFrame(segment.salt, truncateFromIndex, entries);
      if (segment.usedBytes > SEGMENT_HEADER_BYTES && segment.usedBytes + frame.remaining() > segmentBytes) {
        active.close();
        segment = startSegment(segment.sequence + 1);
        seal(frame, segment.salt);
      }
      long position = segment.usedBytes;
      while (frame.hasRemaining()) {
        position += active.write(frame, position);
      }
      if (sync) {
        active.force(false);
      }
      long maxIndex = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).index();
      synchronized (this) {
        segment.usedBytes = position;
        segment.maxIndex = Math.max(segment.maxIndex, maxIndex);
      }
    } catch (IOException e) {
      throw new StorageException("appending to the log in " + directory + ": " + e, e);
    } finally {
      exit();
    }
  }

  /**
   * Creates segment {@code sequence} at its full size, durably (file and directory entry)
   * before anything is written to it, and makes it the active one.
   */
  private Segment startSegment(long sequence) throws IOException {
    Path path = directory.resolve(String.format("%s%016d%s", PREFIX, sequence, SUFFIX));
    Path temporary = directory.resolve(path.getFileName() + TEMPORARY);
    long salt = SALTS.nextLong();
    try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_BYTES)
          .putLong(MAGIC).putLong(sequence).putLong(salt).flip();
      ch.write(header, 0);
      ch.write(ByteBuffer.allocate(1), segmentBytes - 1); // the full size, sparse
      ch.force(true);
    }
    Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory();
    active = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Segment segment = new Segment(sequence, path);
    segment.salt = salt;
    segment.usedBytes = SEGMENT_HEADER_BYTES;
    synchronized (this) {
      segments.add(segment);
    }
    return segment;
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /** One frame, sealed with the CRCs of a segment whose salt is {@code salt}. */
  static ByteBuffer encodeFrame(long salt, long truncateFromIndex, List<LogEntry> entries) {
    int payloadBytes = PAYLOAD_HEADER_BYTES;
    for (LogEntry e : entries) {
      payloadBytes += ENTRY_HEADER_BYTES + e.data().length;
    }
    int total = aligned(FRAME_HEADER_BYTES + payloadBytes);
    ByteBuffer buffer = ByteBuffer.allocate(total);
    buffer.position(FRAME_HEADER_BYTES);
    buffer.putLong(truncateFromIndex).putInt(entries.size());
    for (LogEntry e : entries) {
      buffer.putLong(e.index()).putLong(e.term()).put(e.type().code()).putInt(e.data().length).put(e.data());
    }
    buffer.putInt(0, payloadBytes);
    seal(buffer, salt);
    buffer.clear();
    return buffer;
  }

  /** Writes the CRCs of an encoded frame (its length already in place) for {@code salt}. */
  static void seal(ByteBuffer frame, long salt) {
    byte[] bytes = frame.array();
    frame.putInt(4, crc(salt, bytes, FRAME_HEADER_BYTES, frame.getInt(0)));
    frame.putInt(8, crc(salt, bytes, 0, 8));
  }

  private record Frame(long truncateFrom, List<LogEntry> entries) {}

  /** Decodes a payload whose CRC matched; a malformed one was written by a bug, not a crash. */
  private static Frame decodeFrame(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    long truncateFrom = in.getLong();
    int count = in.getInt();
    if (truncateFrom < 0 || count < 0 || count > (payload.length - PAYLOAD_HEADER_BYTES) / ENTRY_HEADER_BYTES) {
      throw new IllegalArgumentException("impossible frame (truncate-from " + truncateFrom
          + ", " + count + " entries)");
    }
    List<LogEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.remaining() < ENTRY_HEADER_BYTES) {
        throw new IllegalArgumentException("entry " + i + " of the frame is cut short");
      }
      long index = in.getLong();
      long term = in.getLong();
      byte code = in.get();
      int length = in.getInt();
      EntryType type = EntryType.of(code);
      if (index <= 0 || term <= 0 || type == null || length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("impossible entry " + i + " of the frame (index "
            + index + ", term " + term + ", type code " + code + ", " + length + " bytes)");
      }
      if (!entries.isEmpty() && index != entries.get(entries.size() - 1).index() + 1) {
        throw new IllegalArgumentException("the frame's entries are not contiguous at index " + index);
      }
      byte[] data = new byte[length];
      in.get(data);
      entries.add(new LogEntry(index, term, type, data));
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the frame's last entry");
    }
    return new Frame(truncateFrom, entries);
  }

  // ---- compaction and size ------------------------------------------------------------------

  /**
   * Deletes the oldest segments while every entry in them is ≤ {@code upToIndex}; never the
   * active one. The caller made the new first index durable first, so a crash afterwards
   * never finds the log starting above it.
   */
  void deleteCoveredSegments(long upToIndex) {
    enter("deleting covered log segments");
    try {
      List<Segment> doomed = new ArrayList<>();
      synchronized (this) {
        while (segments.size() > 1 && segments.get(0).maxIndex <= upToIndex) {
          doomed.add(segments.remove(0));
        }
      }
      for (Segment s : doomed) {
        Files.deleteIfExists(s.path);
      }
    } catch (IOException e) {
      throw new StorageException("deleting log segments in " + directory + ": " + e, e);
    } finally {
      exit();
    }
  }

  /** Bytes of frames in the retained segments. */
  synchronized long sizeBytes() {
    long total = 0;
    for (Segment s : segments) {
      total += s.usedBytes - SEGMENT_HEADER_BYTES;
    }
    return total;
  }

  synchronized int segmentCount() {
    return segments.size();
  }

  @Override
  public void close() {
    closeGuard.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (active != null) {
        active.close();
      }
    } catch (IOException e) {
      throw new StorageException("closing the log in " + directory + ": " + e, e);
    } finally {
      closeGuard.writeLock().unlock();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private void enter(String what) {
    closeGuard.readLock().lock();
    if (closed) {
      closeGuard.readLock().unlock();
      throw new StorageException(what + ": the log in " + directory + " is closed");
    }
  }

  private void exit() {
    closeGuard.readLock().unlock();
  }

  private static CorruptStorageException corrupt(Segment segment, long offset, String reason) {
    return new CorruptStorageException("log segment " + segment.path + ", offset " + offset + ": " + reason);
  }

  private static void readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = ch.read(buffer, position + buffer.position());
      if (n < 0) {
        return;
      }
    }
  }

  static int aligned(int bytes) {
    return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private static int crc(long salt, byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    for (int shift = 56; shift >= 0; shift -= 8) {
      crc.update((int) (salt >>> shift));
    }
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
