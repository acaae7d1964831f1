package io.warden.coordinator.storage;

import static io.warden.coordinator.storage.TestData.assertEntries;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.HardState;
import io.warden.coordinator.raft.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of appends, truncations, compactions, reopenings and appends torn by a
 * crash, against a model of the log (a first index and a list of entries): after every
 * reopening and at the end, the store loads exactly the model. Small segments (64 KiB) and
 * entries of up to 6 KB make the log rotate every few appends, and compactions delete
 * segments (the statistics printed after the run show how many). jqwik prints the seed and
 * the shrunk sample of a failing run, and retries that sample first on the next run; replay
 * a seed with {@code @Property(seed = "...")}. Few tries: closing RocksDB flushes it, which
 * dominates the run time.
 */
class SegmentFilesModelTest {

  sealed interface Op {}

  /** Entries continuing the log, in the current term. */
  record Append(int count, int entryBytes) implements Op {}

  /** A new term's leader replaces the last {@code back} entries (at most) with its own. */
  record Truncate(int back, int count, int entryBytes) implements Op {}

  /** A snapshot covers the log up to {@code keep} entries before its end (beyond it if negative). */
  record Compact(int keep) implements Op {}

  record Reopen() implements Op {}

  /** An append whose frame a crash cut at {@code tearPermille}/1000 of its bytes; then a restart. */
  record TornAppend(int count, int entryBytes, int tearPermille) implements Op {}

  @Property(tries = 10)
  void theStoreAlwaysLoadsWhatTheModelHolds(@ForAll("operations") List<Op> operations)
      throws IOException {
    Path directory = Files.createTempDirectory("warden-segments-model-");
    try {
      new Run(directory).execute(operations);
    } finally {
      deleteRecursively(directory);
    }
  }

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Integer> count = Arbitraries.integers().between(1, 20);
    Arbitrary<Integer> entryBytes =
        Arbitraries.integers().between(0, 6000).withDistribution(RandomDistribution.uniform());
    Arbitrary<Op> append = Combinators.combine(count, entryBytes).as(Append::new);
    Arbitrary<Op> truncate = Combinators.combine(
        Arbitraries.integers().between(0, 30), Arbitraries.integers().between(0, 10), entryBytes)
        .as(Truncate::new);
    Arbitrary<Op> compact = Arbitraries.integers().between(-5, 30).map(Compact::new);
    Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
    Arbitrary<Op> torn = Combinators.combine(
        count, entryBytes, Arbitraries.integers().between(0, 999)).as(TornAppend::new);
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        Tuple.of(8, append),
        Tuple.of(2, truncate),
        Tuple.of(2, compact),
        Tuple.of(1, reopen),
        Tuple.of(1, torn));
    return op.list().ofMinSize(5).ofMaxSize(20);
  }

  /** One run: the store, and the model it must match. */
  private static final class Run {
    private final Path directory;
    private RocksStorage store;
    private long firstIndex = 1;
    private final List<LogEntry> entries = new ArrayList<>();
    private long term; // 0 until the run writes its first hard state

    Run(Path directory) {
      this.directory = directory;
    }

    void execute(List<Op> operations) throws IOException {
      open();
      term = 1;
      store.append(new HardState(term, 1), 0, List.of());
      try {
        for (Op op : operations) {
          apply(op);
        }
        store.close();
        open();
        Statistics.label("segments started").collect(bucket(sequenceOf(newestSegment())));
        Statistics.label("segments deleted")
            .collect(bucket(sequenceOf(newestSegment()) - segmentCount()));
      } finally {
        store.close();
      }
    }

    // (Java 17: no pattern matching for switch yet.)
    private void apply(Op op) throws IOException {
      if (op instanceof Append a) {
        List<LogEntry> added = newEntries(lastIndex() + 1, a.count(), a.entryBytes());
        store.append(null, 0, added);
        entries.addAll(added);
      } else if (op instanceof Truncate t) {
        long from = Math.max(firstIndex, lastIndex() + 1 - t.back());
        term++;
        List<LogEntry> added = newEntries(from, t.count(), t.entryBytes());
        store.append(new HardState(term, 1), from, added);
        entries.removeIf(e -> e.index() >= from);
        entries.addAll(added);
      } else if (op instanceof Compact c) {
        long upTo = lastIndex() - c.keep();
        if (upTo >= firstIndex) {
          store.compactPrefix(upTo);
          entries.removeIf(e -> e.index() <= upTo);
          firstIndex = upTo + 1;
        }
      } else if (op instanceof Reopen) {
        store.close();
        open();
      } else if (op instanceof TornAppend t) {
        tornAppend(t);
      } else {
        throw new AssertionError(op);
      }
    }

    private void tornAppend(TornAppend t) throws IOException {
      List<LogEntry> added = newEntries(lastIndex() + 1, t.count(), t.entryBytes());
      store.append(null, 0, added);
      store.close();
      Path segment = newestSegment();
      SegmentFilesTest.Frame last = SegmentFilesTest.lastFrame(segment);
      byte[] before = SegmentFilesTest.readBytes(segment, last.offset(), last.bytes());
      long cut = last.offset() + (long) last.bytes() * t.tearPermille() / 1000;
      SegmentFilesTest.zero(segment, cut, (int) (last.end() - cut));
      // The bytes zeroed may all have been zeros already (padding, an empty entry's tail).
      boolean intact = Arrays.equals(
          before, SegmentFilesTest.readBytes(segment, last.offset(), last.bytes()));
      if (intact) {
        entries.addAll(added);
      }
      Statistics.label("torn appends").collect(intact ? "intact (only zeros were zeroed)" : "dropped");
      open();
    }

    /** Opens the store and checks that it loads the model. */
    private void open() {
      store = RocksStorage.open(directory, SegmentFilesTest.SMALL_SEGMENTS);
      Persisted persisted = store.load();
      assertThat(persisted.firstIndex()).isEqualTo(firstIndex);
      assertThat(persisted.hardState().term()).isEqualTo(term);
      assertEntries(persisted.entries(), entries);
    }

    private long lastIndex() {
      return entries.isEmpty() ? firstIndex - 1 : entries.get(entries.size() - 1).index();
    }

    private List<LogEntry> newEntries(long from, int count, int entryBytes) {
      List<LogEntry> added = new ArrayList<>();
      for (long index = from; index < from + count; index++) {
        byte[] data = new byte[entryBytes];
        new SplittableRandom(index * 7_919 + term).nextBytes(data);
        added.add(new LogEntry(index, term, EntryType.COMMAND, data));
      }
      return added;
    }

    private Path newestSegment() throws IOException {
      try (Stream<Path> files = segmentFiles()) {
        return files.max(Comparator.naturalOrder()).orElseThrow();
      }
    }

    private static long sequenceOf(Path segment) {
      String name = segment.getFileName().toString();
      return Long.parseLong(name.substring("segment-".length(), name.length() - ".log".length()));
    }

    private static String bucket(long count) {
      return count >= 5 ? "5+" : String.valueOf(count);
    }

    private long segmentCount() throws IOException {
      try (Stream<Path> files = segmentFiles()) {
        return files.count();
      }
    }

    private Stream<Path> segmentFiles() throws IOException {
      return Files.list(directory.resolve(RocksStorage.LOG_DIRECTORY));
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
