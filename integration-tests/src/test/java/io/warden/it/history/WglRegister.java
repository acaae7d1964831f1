package io.warden.it.history;

import io.warden.it.history.Op.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Wing-Gong-Lowe linearizability search (Lowe, "Testing for linearizability", 2017) for one
 * versioned register, using values only — no zxids — so it cross-checks {@link RegisterChecker}
 * independently. Acknowledged writes and reads after sync must take effect inside their
 * interval; indeterminate writes may take effect any time after their invocation, or never;
 * failed writes and plain reads are left out (they constrain nothing linearizable). The search
 * is exponential in the worst case: it gives up after {@code stepsMax} steps.
 */
public final class WglRegister {
  public enum Result { LINEARIZABLE, NOT_LINEARIZABLE, GAVE_UP }

  private record State(long value, int version) {
  }

  private record Config(BitSet linearized, State state) {
  }

  private WglRegister() {
  }

  public static Result check(List<Op> keyOps, long stepsMax) {
    List<Op> ops = keyOps.stream()
        .filter(o -> (o.kind() == Kind.WRITE && o.outcome() != Op.Outcome.FAILED)
            || (o.kind() == Kind.SYNC_READ && o.ok()))
        .toList();
    int n = ops.size();
    // entries: 2*i = call of op i, 2*i+1 = its return (indeterminate ops never return)
    List<long[]> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(new long[] {ops.get(i).invokeNanos(), 2L * i});
      if (ops.get(i).ok()) {
        events.add(new long[] {ops.get(i).completeNanos(), 2L * i + 1});
      }
    }
    // calls before returns at equal times: touching intervals count as concurrent
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1] % 2));
    int size = 2 * n + 1;
    int[] next = new int[size + 1];
    int[] prev = new int[size + 1];
    int head = size; // sentinel
    int last = head;
    for (long[] e : events) {
      int id = (int) e[1];
      next[last] = id;
      prev[id] = last;
      last = id;
    }
    next[last] = -1;
    int[] returnsLeft = {(int) ops.stream().filter(Op::ok).count()};
    State state = new State(Long.MIN_VALUE, -1);
    BitSet linearized = new BitSet(n);
    Set<Config> cache = new HashSet<>();
    Deque<Object[]> stack = new ArrayDeque<>();
    int entry = next[head];
    long steps = 0;
    while (returnsLeft[0] > 0) {
      if (++steps > stepsMax) {
        return Result.GAVE_UP;
      }
      if (entry == -1) {
        return Result.NOT_LINEARIZABLE; // only reachable when the stack is exhausted below
      }
      boolean isCall = entry % 2 == 0;
      if (isCall) {
        int i = entry / 2;
        State after = step(state, ops.get(i));
        if (after != null) {
          BitSet lin = (BitSet) linearized.clone();
          lin.set(i);
          if (cache.add(new Config(lin, after))) {
            stack.push(new Object[] {entry, state});
            state = after;
            linearized = lin;
            unlift(entry, next, prev, returnsLeft, ops.get(i).ok());
            entry = next[head];
            continue;
          }
        }
        entry = next[entry];
      } else {
        if (stack.isEmpty()) {
          return Result.NOT_LINEARIZABLE;
        }
        Object[] top = stack.pop();
        int call = (int) top[0];
        state = (State) top[1];
        int i = call / 2;
        linearized.clear(i);
        relift(call, next, prev, returnsLeft, ops.get(i).ok());
        entry = next[call];
      }
    }
    return Result.LINEARIZABLE;
  }

  private static State step(State s, Op o) {
    if (o.kind() == Kind.SYNC_READ) {
      return s.value() == o.value() ? s : null;
    }
    if (o.arg() >= 0 && o.arg() != s.version()) {
      return null; // a versioned write applies only to the version it names
    }
    return new State(o.value(), s.version() + 1);
  }

  /** Removes a call entry (and its return, if any) from the list. */
  private static void unlift(int call, int[] next, int[] prev, int[] returnsLeft, boolean hasReturn) {
    remove(call, next, prev);
    if (hasReturn) {
      remove(call + 1, next, prev);
      returnsLeft[0]--;
    }
  }

  private static void relift(int call, int[] next, int[] prev, int[] returnsLeft, boolean hasReturn) {
    if (hasReturn) {
      reinsert(call + 1, next, prev);
      returnsLeft[0]++;
    }
    reinsert(call, next, prev);
  }

  private static void remove(int e, int[] next, int[] prev) {
    next[prev[e]] = next[e];
    if (next[e] != -1) {
      prev[next[e]] = prev[e];
    }
  }

  private static void reinsert(int e, int[] next, int[] prev) {
    next[prev[e]] = e;
    if (next[e] != -1) {
      prev[next[e]] = e;
    }
  }
}
