package io.warden.coordinator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.fsm.Command;
import io.warden.coordinator.fsm.CommandCodec;
import io.warden.coordinator.node.LogStore.Persisted;
import io.warden.coordinator.raft.EntryType;
import io.warden.protocol.OpCode;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The log-append benchmark appends what it claims: contiguous batches of logged commands that
 * a reload finds intact, in both fsync modes; its iteration teardown compacts the prefix and
 * its trial teardown removes the store. Runs the benchmark's own setup and method once.
 */
class RaftLogAppendBenchmarkTest {

  @ParameterizedTest(name = "fsync={0}, batchEntries={1}")
  @CsvSource({"true, 1", "false, 64"})
  void appendsContiguousBatchesThatReloadAndCleansUp(boolean fsync, int batchEntries) throws Exception {
    RaftLogAppendBenchmark b = new RaftLogAppendBenchmark();
    b.fsync = fsync;
    b.batchEntries = batchEntries;
    b.valueBytes = 64;
    b.setUp();
    try {
      for (int i = 0; i < 3; i++) {
        b.append();
      }
      Persisted stored = b.log.load();
      assertThat(stored.hardState().term()).isEqualTo(1);
      assertThat(stored.entries()).hasSize(3 * batchEntries);
      assertThat(stored.entries().get(stored.entries().size() - 1).index()).isEqualTo(b.lastIndex);
      assertThat(stored.entries()).allSatisfy(e -> {
        assertThat(e.type()).isEqualTo(EntryType.COMMAND);
        assertThat(CommandCodec.decode(e.data())).isInstanceOfSatisfying(Command.Txn.class,
            t -> assertThat(t.opcode()).isEqualTo(OpCode.SET_DATA));
      });

      b.compact();
      assertThat(b.log.load().entries()).isEmpty();
      assertThat(b.append()).isEqualTo(4L * batchEntries);
    } finally {
      b.tearDown();
    }
    assertThat(Files.exists(b.directory)).isFalse();
  }
}
