package io.warden.coordinator.sim;

import io.warden.coordinator.node.CorruptStorageException;
import io.warden.coordinator.node.LogStore;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A simulated disk for the Raft log, modelled on RocksStorage (DESIGN.md §4): hard state in
 * RocksDB, entries in append-only segment files, both written as framed records with a CRC:
 *
 * <ul>
 *   <li>{@link #write} appends the batch's records without syncing (the storage thread has
 *       started writing): the hard state, if any, as one record (DurableLog's RocksDB write)
 *       and the truncation and entries as the next (its segment frame), so a crash can keep
 *       the new hard state without the entries, as in production; {@link #sync} makes them
 *       and every record before them durable (the fsync returned);</li>
 *   <li>{@link #compactPrefix} writes an unsynced record (DurableLog syncs it: the simulation
 *       also covers losing it);</li>
 *   <li>a crash ({@link #crash}) keeps the synced state and a random prefix of the unsynced
 *       records — possibly with the next one torn part-way — because a power loss keeps some
 *       prefix of what reached the device. Recovery ({@link #load}) replays the survivors and
 *       stops at the first record whose length or CRC does not check (a torn tail, which
 *       SegmentFiles drops), so a torn record is simply absent: a frame is atomic.</li>
 * </ul>
 *
 * It refuses the same misuse DurableLog refuses (a gap, an overwrite without truncation, a
 * write before load), so a Raft core that produced such a batch fails here as it would in
 * production.
 */
final class SimLogStore implements LogStore {
  private static final byte APPEND = 1;
  private static final byte COMPACT = 2;
  private static final byte MEMBERSHIP = 3;
  private static final byte COMMIT = 4;

  // The durable state: what every crash keeps.
  private HardState hardState = HardState.INITIAL;
  private byte[] membership;
  private long firstIndex = 1;
  private final TreeMap<Long, LogEntry> entries = new TreeMap<>();
  private long commitHint;

  /** Records written but not yet synced, in write order. */
  private final List<byte[]> unsynced = new ArrayList<>();
  /** What survived of them at the last crash (the last possibly torn), replayed by load(). */
  private final List<byte[]> survivors = new ArrayList<>();

  // The writer's view of the bounds, like DurableLog's, for refusing gaps at once.
  private boolean loaded;
  private long boundFirst = 1;
  private long boundLast;
  private long tornRecords;

  @Override
  public Persisted load() {
    for (byte[] frame : survivors) {
      byte[] record = verified(frame);
      if (record == null) {
        tornRecords++;
        break; // a torn tail: the batch never completed, RocksDB drops it
      }
      fold(record);
    }
    survivors.clear();
    List<LogEntry> out = new ArrayList<>();
    long expected = firstIndex;
    long previousTerm = 0;
    for (LogEntry e : entries.tailMap(firstIndex, true).values()) {
      if (e.index() != expected) {
        throw new CorruptStorageException("simulated log: gap at index " + expected + " (next is " + e.index() + ")");
      }
      if (e.term() < previousTerm) {
        throw new CorruptStorageException("simulated log: term " + e.term() + " at index " + e.index()
            + " is lower than the term before it (" + previousTerm + ")");
      }
      previousTerm = e.term();
      out.add(e);
      expected++;
    }
    loaded = true;
    boundFirst = firstIndex;
    boundLast = firstIndex - 1 + out.size();
    return new Persisted(hardState, membership == null ? null : membership.clone(), firstIndex, List.copyOf(out),
        commitHint);
  }

  @Override
  public void append(HardState hs, long truncateFromIndex, List<LogEntry> batch) {
    write(hs, truncateFromIndex, batch);
    sync();
  }

  /** The storage thread started writing this batch: it is on its way to disk, not yet durable. */
  void write(HardState hs, long truncateFromIndex, List<LogEntry> batch) {
    checkContinues(truncateFromIndex, batch);
    if (hs != null) {
      unsynced.add(frame(appendRecord(hs, 0, List.of())));
    }
    if (truncateFromIndex > 0 || !batch.isEmpty()) {
      unsynced.add(frame(appendRecord(null, truncateFromIndex, batch)));
    }
  }

  private static byte[] appendRecord(HardState hs, long truncateFromIndex, List<LogEntry> batch) {
    ByteBuffer b = ByteBuffer.allocate(payloadSize(batch));
    b.put(APPEND);
    b.put((byte) (hs == null ? 0 : 1));
    if (hs != null) {
      b.putLong(hs.term()).putInt(hs.votedFor());
    }
    b.putLong(truncateFromIndex).putInt(batch.size());
    for (LogEntry e : batch) {
      b.putLong(e.index()).putLong(e.term()).put(e.type().code()).putInt(e.data().length).put(e.data());
    }
    return b.array();
  }

  /** The fsync returned: every record written so far is durable. */
  void sync() {
    for (byte[] frame : unsynced) {
      fold(verified(frame));
    }
    unsynced.clear();
  }

  @Override
  public void saveMembership(byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + bytes.length);
    b.put(MEMBERSHIP).putInt(bytes.length).put(bytes);
    unsynced.add(frame(b.array()));
    sync();
  }

  /** Unsynced, like RocksStorage's: survives a crash only if the crash keeps its record. */
  @Override
  public void recordCommit(long commitIndex) {
    if (!loaded) {
      throw new IllegalStateException("recordCommit before load()");
    }
    ByteBuffer b = ByteBuffer.allocate(1 + 8);
    b.put(COMMIT).putLong(commitIndex);
    unsynced.add(frame(b.array()));
  }

  @Override
  public void compactPrefix(long upToIndex) {
    if (!loaded) {
      throw new IllegalStateException("compactPrefix before load()");
    }
    if (upToIndex < boundFirst) {
      return;
    }
    ByteBuffer b = ByteBuffer.allocate(1 + 8);
    b.put(COMPACT).putLong(upToIndex);
    unsynced.add(frame(b.array()));
    boundFirst = upToIndex + 1;
    boundLast = Math.max(boundLast, upToIndex);
  }

  @Override
  public long sizeBytes() {
    long size = 0;
    for (LogEntry e : entries.values()) {
      size += e.sizeBytes();
    }
    return size;
  }

  @Override
  public void close() {
  }

  /**
   * Power loss: the synced state stays; of the unsynced records a random prefix survives, and
   * sometimes the next one survives torn (a prefix of its bytes).
   */
  void crash(Random random) {
    int kept = random.nextInt(unsynced.size() + 1);
    survivors.clear();
    survivors.addAll(unsynced.subList(0, kept));
    if (kept < unsynced.size() && random.nextBoolean()) {
      byte[] whole = unsynced.get(kept);
      byte[] torn = new byte[random.nextInt(whole.length)];
      System.arraycopy(whole, 0, torn, 0, torn.length);
      survivors.add(torn);
    }
    unsynced.clear();
    loaded = false;
  }

  // ---- what the invariants read: the durable state only ---------------------------------------

  HardState durableHardState() {
    return hardState;
  }

  /** The durable entry at {@code index} that recovery would load, or null. */
  LogEntry durableEntry(long index) {
    return index < firstIndex ? null : entries.get(index);
  }

  long durableLastIndex() {
    return entries.isEmpty() ? firstIndex - 1 : Math.max(firstIndex - 1, entries.lastKey());
  }

  long tornRecords() {
    return tornRecords;
  }

  // ---- records -------------------------------------------------------------------------------

  private void checkContinues(long truncateFromIndex, List<LogEntry> batch) {
    if (!loaded) {
      throw new IllegalStateException("append before load(): the store must be verified first");
    }
    for (int i = 1; i < batch.size(); i++) {
      if (batch.get(i).index() != batch.get(i - 1).index() + 1) {
        throw new IllegalArgumentException("entries are not contiguous at " + batch.get(i).index());
      }
    }
    long retainedLast = truncateFromIndex > 0 ? Math.min(boundLast, truncateFromIndex - 1) : boundLast;
    retainedLast = Math.max(retainedLast, boundFirst - 1);
    if (batch.isEmpty()) {
      boundLast = retainedLast;
      return;
    }
    long start = batch.get(0).index();
    long end = batch.get(batch.size() - 1).index();
    if (end < boundFirst) {
      boundLast = retainedLast;
      return;
    }
    if (Math.max(start, boundFirst) != retainedLast + 1) {
      throw new IllegalStateException("append of entries " + start + ".." + end + " (truncating from "
          + truncateFromIndex + ") does not continue the retained log " + boundFirst + ".." + retainedLast);
    }
    boundLast = end;
  }

  private void fold(byte[] record) {
    ByteBuffer b = ByteBuffer.wrap(record);
    byte type = b.get();
    switch (type) {
      case APPEND -> {
        if (b.get() == 1) {
          hardState = new HardState(b.getLong(), b.getInt());
        }
        long truncateFrom = b.getLong();
        int n = b.getInt();
        if (truncateFrom > 0) {
          entries.tailMap(truncateFrom, true).clear();
        }
        for (int i = 0; i < n; i++) {
          long index = b.getLong();
          long term = b.getLong();
          EntryType entryType = EntryType.of(b.get());
          byte[] data = new byte[b.getInt()];
          b.get(data);
          entries.put(index, new LogEntry(index, term, entryType, data));
        }
      }
      case COMPACT -> {
        long upTo = b.getLong();
        entries.headMap(upTo, true).clear();
        firstIndex = Math.max(firstIndex, upTo + 1);
      }
      case MEMBERSHIP -> {
        byte[] m = new byte[b.getInt()];
        b.get(m);
        membership = m;
      }
      case COMMIT -> commitHint = b.getLong(); // the last written wins, as a RocksDB put would
      default -> throw new IllegalStateException("unknown record type " + type);
    }
  }

  private static int payloadSize(List<LogEntry> batch) {
    int size = 1 + 1 + 12 + 8 + 4;
    for (LogEntry e : batch) {
      size += 8 + 8 + 1 + 4 + e.data().length;
    }
    return size;
  }

  /** [length:int][record][crc32(record):int] */
  private static byte[] frame(byte[] record) {
    CRC32 crc = new CRC32();
    crc.update(record);
    ByteBuffer b = ByteBuffer.allocate(4 + record.length + 4);
    b.putInt(record.length).put(record).putInt((int) crc.getValue());
    return b.array();
  }

  /** The record inside a frame, or null if the frame is short or its CRC does not match. */
  private static byte[] verified(byte[] frame) {
    if (frame.length < 4) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    int length = b.getInt();
    if (length < 0 || b.remaining() < length + 4) {
      return null;
    }
    byte[] record = new byte[length];
    b.get(record);
    CRC32 crc = new CRC32();
    crc.update(record);
    return b.getInt() == (int) crc.getValue() ? record : null;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("disk[hs=" + hardState.term() + "/" + hardState.votedFor() + " first="
        + firstIndex + " entries=");
    for (Map.Entry<Long, LogEntry> e : entries.entrySet()) {
      s.append(e.getKey()).append('/').append(e.getValue().term()).append(' ');
    }
    return s.append("unsynced=").append(unsynced.size()).append(']').toString();
  }
}
