package io.warden.coordinator.storage;

import io.warden.coordinator.fsm.Command;
import io.warden.coordinator.fsm.CommandCodec;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import io.warden.protocol.Id;
import io.warden.protocol.OpCode;
import io.warden.protocol.SetDataRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Raft log's append path ({@link DurableLog#append}, what {@code RocksStorage.append} runs
 * on the storage thread): one batch of {@code batchEntries} entries, each a logged setData of
 * {@code valueBytes} bytes, in one segment-file frame, fdatasynced before it returns
 * ({@code fsync=true}, the only mode a node uses) or not ({@code fsync=false}, through a
 * package-private hook, to separate the fsync from the rest). Score = time per append call.
 *
 * <p>The store lives in a fresh temporary directory under {@code -Dwarden.jmh.dir} of the
 * forked JVM ({@code -jvmArgsPrepend -Dwarden.jmh.dir=...}; default {@code java.io.tmpdir}; its
 * file system decides what an fsync costs, and a tmpfs makes it free) and is deleted afterwards. After each iteration the log prefix is compacted away, as a
 * node does after a snapshot, so the log does not grow without bound.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RaftLogAppendBenchmark {
  private static final long TERM = 1;

  @Param({"true", "false"})
  public boolean fsync;

  @Param({"1", "64"})
  public int batchEntries;

  @Param("256")
  public int valueBytes;

  Path directory;
  private RocksDatabase database;
  private SegmentFiles segments;
  DurableLog log;
  private byte[] command;
  long lastIndex;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path base = Path.of(System.getProperty("warden.jmh.dir", System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    directory = Files.createTempDirectory(base, "warden-jmh-log-");
    database = RocksDatabase.open(directory, StorageOptions.DEFAULTS);
    StoreFormat.initializeOrVerify(database);
    segments = SegmentFiles.open(directory.resolve(RocksStorage.LOG_DIRECTORY),
        StorageOptions.DEFAULTS.logSegmentBytes());
    log = new DurableLog(database, segments);
    log.load();
    log.append(new HardState(TERM, 1), 0, List.of(), true);
    byte[] value = new byte[valueBytes];
    new SplittableRandom(11).nextBytes(value);
    command = CommandCodec.encode(new Command.Txn(0x0100_0000_0000_0002L, 1_700_000_000_000L,
        List.of(new Id("ip", "127.0.0.1")), OpCode.SET_DATA,
        new SetDataRequest("/brokers/topics/orders/partitions/17/state", value, -1)));
  }

  @Benchmark
  public long append() {
    List<LogEntry> entries = new ArrayList<>(batchEntries);
    for (int i = 0; i < batchEntries; i++) {
      entries.add(new LogEntry(++lastIndex, TERM, EntryType.COMMAND, command));
    }
    log.append(null, 0, entries, fsync);
    return lastIndex;
  }

  @TearDown(Level.Iteration)
  public void compact() {
    if (lastIndex > 0) {
      log.compactPrefix(lastIndex);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    segments.close();
    database.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
