package io.warden.coordinator.storage;

import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.node.SnapshotMeta;
import io.warden.coordinator.node.SnapshotStore.SnapshotSink;
import java.nio.file.Path;

/**
 * The victim of {@link CrashDurabilityTest}, run in its own JVM and killed with SIGKILL while
 * it writes. It prints a line only after the store call returned, so every printed line is an
 * acknowledgement the store must honour after the kill.
 *
 * <p>Usage: {@code CrashChild append|snapshot <directory> <term>}.
 */
public final class CrashChild {
  static final int SNAPSHOT_CHUNK_BYTES = 16 * 1024;

  private CrashChild() {}

  public static void main(String[] args) {
    String mode = args[0];
    Path directory = Path.of(args[1]);
    long term = Long.parseLong(args[2]);
    try (RocksStorage store = RocksStorage.open(directory, StorageOptions.DEFAULTS)) {
      Persisted persisted = store.load();
      System.out.println("ready");
      System.out.flush();
      switch (mode) {
        case "append" -> appendUntilKilled(store, persisted, term);
        case "snapshot" -> snapshotUntilKilled(store, term);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
  }

  /** Appends batches of 1..8 entries forever, each with the hard state; prints "ack i". */
  private static void appendUntilKilled(RocksStorage store, Persisted persisted, long term) {
    long next = persisted.firstIndex() + persisted.entries().size();
    while (true) {
      long last = next + next % 8;
      store.append(new HardState(term, 1), 0, TestData.entries(next, last, term));
      System.out.println("ack " + last);
      System.out.flush();
      next = last + 1;
    }
  }

  /** Commits snapshots at increasing indexes forever; prints "committed i" after commit. */
  private static void snapshotUntilKilled(RocksStorage store, long term) {
    long index = store.latest().map(SnapshotMeta::index).orElse(0L) + 10;
    while (true) {
      try (SnapshotSink sink = store.begin(index, term, TestData.membership(index))) {
        for (int chunk = 0; chunk < chunkCount(index); chunk++) {
          sink.writeChunk(TestData.chunk(index, chunk, SNAPSHOT_CHUNK_BYTES));
        }
        sink.commit();
      }
      System.out.println("committed " + index);
      System.out.flush();
      index += 10;
    }
  }

  static int chunkCount(long snapshotIndex) {
    return 20 + (int) (snapshotIndex % 13);
  }
}
