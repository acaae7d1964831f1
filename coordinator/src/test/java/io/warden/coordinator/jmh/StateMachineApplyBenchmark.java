package io.warden.coordinator.jmh;

import io.warden.coordinator.fsm.Applied;
import io.warden.coordinator.fsm.StateMachine;
import io.warden.protocol.DeleteRequest;
import io.warden.protocol.OpCode;
import io.warden.protocol.SetDataRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link StateMachine#apply} of committed entries, as every replica runs it on its core thread:
 * decode the command bytes stored in the log, check the session, run the write on the tree,
 * build the reply and drain the watch-relevant changes. The command bytes are prepared in
 * setup ({@code CommandCodec.encode} runs on the proposing server, not in apply).
 *
 * <p>{@code applyCreateThenDelete} applies a create and the delete of the same node (two
 * entries, reported per entry), so the tree keeps its size however long the run.
 */
public class StateMachineApplyBenchmark extends TreeBenchmarkBase {
  private static final int MASK = BenchTree.PATH_SAMPLE - 1;

  private StateMachine fsm;
  private byte[][] setDataCommands;
  private byte[][] createCommands;
  private byte[][] deleteCommands;
  private int cursor;
  Applied lastCreate;

  @Setup(Level.Trial)
  public void setUp() {
    buildTree();
    fsm = bench.fsm;
    setDataCommands = new byte[BenchTree.PATH_SAMPLE][];
    createCommands = new byte[BenchTree.PATH_SAMPLE][];
    deleteCommands = new byte[BenchTree.PATH_SAMPLE][];
    for (int i = 0; i < BenchTree.PATH_SAMPLE; i++) {
      String leaf = bench.leaves[i % bench.leaves.length];
      setDataCommands[i] = bench.txn(OpCode.SET_DATA, new SetDataRequest(leaf, bench.value, -1));
      String fresh = bench.parents[i % bench.parents.length] + "/new" + i;
      createCommands[i] = bench.txn(OpCode.CREATE, bench.createRequest(fresh));
      deleteCommands[i] = bench.txn(OpCode.DELETE, new DeleteRequest(fresh, -1));
    }
  }

  @Benchmark
  public Applied applySetData() {
    return fsm.apply(bench.nextEntry(setDataCommands[cursor++ & MASK]));
  }

  @Benchmark
  @OperationsPerInvocation(2)
  public Applied applyCreateThenDelete() {
    int i = cursor++ & MASK;
    lastCreate = fsm.apply(bench.nextEntry(createCommands[i])); // a heap write: not dead code
    return fsm.apply(bench.nextEntry(deleteCommands[i]));
  }

  StateMachine fsm() {
    return fsm;
  }
}
