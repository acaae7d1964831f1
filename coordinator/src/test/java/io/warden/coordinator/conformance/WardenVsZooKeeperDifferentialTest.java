package io.warden.coordinator.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test: the same random operations, issued through the official client by the same
 * identities (anonymous, two digest users, super), against a Warden node and an embedded Apache
 * ZooKeeper 3.9 — every result or error code, returned path and Stat (times aside; zxids as offsets
 * from the run's start; ephemeral owners by session), every watch event each session receives, and
 * the whole trees at the end must match.
 *
 * <p>Neither server reaps during the run (Warden's reaper interval is an hour, the oracle runs no
 * container manager), so containers and TTL nodes stay comparable; reaping is covered by
 * CrudConformanceTest against both. Prints its seed; {@code -Dwarden.diff.seed=N} replays it and
 * {@code -Dwarden.diff.ops=N} changes the length.
 */
class WardenVsZooKeeperDifferentialTest {
  private static final int HISTORY = 25;

  @TempDir Path dir;

  @Test
  void randomOperationsGiveTheSameResultsOnBothServers() throws Exception {
    long seed = Long.getLong("warden.diff.seed", new Random().nextLong());
    int ops = Integer.getInteger("warden.diff.ops", 2500);
    System.out.println(
        "WardenVsZooKeeperDifferentialTest seed "
            + seed
            + " (replay with -Dwarden.diff.seed="
            + seed
            + "), "
            + ops
            + " operations");
    try (Target warden =
            WardenTarget.start(dir.resolve("warden"), b -> b.reaperIntervalMs(3_600_000));
        Target zookeeper = ZooKeeperTarget.start(dir.resolve("zookeeper"), 0);
        Side w = new Side("warden", warden);
        Side z = new Side("zookeeper", zookeeper)) {
      for (Side side : List.of(w, z)) {
        Stat base = new Stat();
        side.session(0)
            .create(OpGenerator.BASE, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, base);
        side.zxidBase(base.getCzxid());
      }
      run(new OpGenerator(new Random(seed), w.sessionCount()), ops, seed, w, z);
      assertThat(tree(w)).as("whole tree (seed %d)", seed).isEqualTo(tree(z));
    }
  }

  private static void run(OpGenerator gen, int ops, long seed, Side w, Side z) throws Exception {
    Deque<String> history = new ArrayDeque<>();
    TreeMap<String, Integer> tally = new TreeMap<>();
    for (int i = 0; i < ops; i++) {
      DiffOp op = gen.next();
      DiffOp.Outcome ours = DiffOp.execute(op, w);
      DiffOp.Outcome theirs = DiffOp.execute(op, z);
      if (!ours.text().equals(theirs.text())) {
        throw new AssertionError(
            String.format(
                "seed %d, operation %d: %s%n  warden:    %s%n  zookeeper: %s%nearlier"
                    + " operations:%n%s",
                seed, i, op, ours.text(), theirs.text(), String.join("\n", history)));
      }
      List<String> ourEvents = w.drainEvents();
      List<String> theirEvents = z.drainEvents();
      if (op instanceof DiffOp.Restart) {
        // a closing session's ephemerals go in no defined order (ZooKeeper walks a HashSet)
        ourEvents.sort(null);
        theirEvents.sort(null);
      }
      if (!ourEvents.equals(theirEvents)) {
        throw new AssertionError(
            String.format(
                "seed %d, operation %d: %s -> %s%n  warden events:    %s%n  zookeeper events:"
                    + " %s%nearlier operations:%n%s",
                seed, i, op, ours.text(), ourEvents, theirEvents, String.join("\n", history)));
      }
      gen.observe(op, ours);
      tally.merge(op.getClass().getSimpleName() + " " + kind(ours.text()), 1, Integer::sum);
      tally.merge("events", ourEvents.size(), Integer::sum);
      history.addLast(
          "  "
              + i
              + ": "
              + op
              + " -> "
              + ours.text()
              + (ourEvents.isEmpty() ? "" : " " + ourEvents));
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
    }
    System.out.println("outcomes: " + tally);
  }

  /** OK, the error code, or the client's refusal: what a test run covered. */
  private static String kind(String outcome) {
    int space = outcome.indexOf(' ', outcome.startsWith("ERR ") ? 4 : 0);
    return space < 0 ? outcome : outcome.substring(0, space);
  }

  /** Every node as the super user sees it: data, ACL, Stat and children, by path. */
  private static TreeMap<String, String> tree(Side side) throws Exception {
    ZooKeeper zk = side.session(Side.SUPER);
    TreeMap<String, String> out = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>(List.of("/"));
    while (!todo.isEmpty()) {
      String p = todo.pop();
      Stat stat = new Stat();
      byte[] data = zk.getData(p, false, stat);
      List<String> children = new ArrayList<>(zk.getChildren(p, false));
      children.sort(null);
      out.put(
          p,
          Canon.data(data)
              + " "
              + Canon.acl(zk.getACL(p, new Stat()))
              + " "
              + Canon.stat(stat, side)
              + " "
              + children);
      for (String c : children) {
        todo.push(p.equals("/") ? "/" + c : p + "/" + c);
      }
    }
    return out;
  }
}
