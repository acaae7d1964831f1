package io.warden.coordinator.jmh;

import io.warden.coordinator.tree.ChildrenAndStat;
import io.warden.coordinator.tree.Created;
import io.warden.coordinator.tree.DataAndStat;
import io.warden.coordinator.tree.DataTree;
import io.warden.coordinator.tree.Mark;
import io.warden.coordinator.tree.Result;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.Stat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link DataTree} operations on a tree of {@code znodes} leaves (plus their parents), as the
 * core thread runs them: reads by the scheduler, writes by the state machine (which drains the
 * watch-relevant changes after every entry, so setData does too). Paths cycle through a
 * shuffled sample of existing leaves.
 *
 * <p>{@code create} adds new leaves and, every {@value #CREATES_PER_ROLLBACK} creates, rolls
 * the tree back to where it started (O(1): persistent roots), so the tree does not grow by
 * millions of nodes during a run; the rollback's amortized cost is included. It does not drain
 * changes (a drained change cannot be rolled back); the list is cleared by each rollback.
 */
public class ZnodeTreeBenchmark extends TreeBenchmarkBase {
  static final int CREATES_PER_ROLLBACK = 1 << 12;
  private static final int MASK = BenchTree.PATH_SAMPLE - 1;

  private DataTree tree;
  private long zxid;
  private int cursor;
  private String[] newPaths;
  private int creates;
  private Mark start;

  @Setup(Level.Trial)
  public void setUp() {
    buildTree();
    tree = bench.fsm.tree();
    zxid = bench.fsm.appliedIndex();
    newPaths = new String[CREATES_PER_ROLLBACK];
    for (int i = 0; i < newPaths.length; i++) {
      newPaths[i] = bench.parents[i % bench.parents.length] + "/new" + i;
    }
    start = tree.mark();
  }

  /** Every iteration of {@code create} starts from the same tree (the others never create). */
  @TearDown(Level.Iteration)
  public void rollBack() {
    if (creates > 0) {
      tree.rollback(start);
      creates = 0;
    }
  }

  @Benchmark
  public Result<DataAndStat> getData() {
    return tree.getData(bench.leaves[cursor++ & MASK], bench.caller);
  }

  @Benchmark
  public Result<ChildrenAndStat> getChildren() {
    return tree.getChildren(bench.parents[cursor++ % bench.parents.length], bench.caller);
  }

  @Benchmark
  public Result<Stat> setData() {
    Result<Stat> r = tree.setData(bench.leaves[cursor++ & MASK], bench.value, -1, bench.caller,
        ++zxid, BenchTree.TIME_MS);
    tree.drainChanges();
    return r;
  }

  @Benchmark
  public Result<Created> create() {
    if (creates == CREATES_PER_ROLLBACK) {
      tree.rollback(start);
      creates = 0;
    }
    return tree.create(newPaths[creates++], bench.value, Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT, -1, bench.caller, ++zxid, BenchTree.TIME_MS);
  }

  DataTree tree() {
    return tree;
  }
}
