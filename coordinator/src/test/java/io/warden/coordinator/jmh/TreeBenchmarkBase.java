package io.warden.coordinator.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parameters and run settings (JMH's annotations are inherited) of the benchmarks that start
 * from a {@link BenchTree}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
// 2 warmup seconds left these still compiling (scores falling from 10 µs to 2 µs): the tree's
// trie paths are deep and the machine is shared. 5 s reach a steady state.
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class TreeBenchmarkBase {
  /** Leaves under /bench, {@value BenchTree#CHILDREN_PER_PARENT} per parent. */
  @Param("100000")
  public int znodes;

  /** Bytes of every node's data and of every value written. */
  @Param("256")
  public int valueBytes;

  BenchTree bench;

  final BenchTree buildTree() {
    bench = BenchTree.build(znodes, valueBytes);
    return bench;
  }
}
