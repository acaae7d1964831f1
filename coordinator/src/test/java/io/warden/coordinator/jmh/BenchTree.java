package io.warden.coordinator.jmh;

import io.warden.coordinator.fsm.Applied;
import io.warden.coordinator.fsm.Command;
import io.warden.coordinator.fsm.CommandCodec;
import io.warden.coordinator.fsm.Outcome;
import io.warden.coordinator.fsm.StateMachine;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.tree.Caller;
import io.warden.coordinator.util.Check;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Id;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.OpCode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The state the tree and apply benchmarks start from: a {@link StateMachine} with one open
 * session and {@code /bench/pNNNNN/cNNN}, {@value #CHILDREN_PER_PARENT} leaves per parent,
 * built through {@link StateMachine#apply} exactly as a replica builds it from its log. Paths
 * come in a seeded random order so that lookups do not walk the tree in creation order.
 */
final class BenchTree {
  static final int CHILDREN_PER_PARENT = 100;
  /** Paths the benchmarks cycle through; a power of two, so the cursor is masked, not divided. */
  static final int PATH_SAMPLE = 1 << 12;
  static final long TERM = 1;
  /** Wall time the leader would stamp into the entries; constant, as time does not matter here. */
  static final long TIME_MS = 1_700_000_000_000L;
  private static final long SEED = 42;

  final StateMachine fsm;
  final long sessionId;
  final List<Id> identities = List.of(new Id("ip", "127.0.0.1"));
  final Caller caller;
  final String[] parents;
  /** {@value #PATH_SAMPLE} existing leaves, shuffled. */
  final String[] leaves;
  final byte[] value;

  private BenchTree(int leafCount, int valueBytes) {
    Check.argument(leafCount >= CHILDREN_PER_PARENT && leafCount % CHILDREN_PER_PARENT == 0,
        "leaf count must be a positive multiple of %d: %d", CHILDREN_PER_PARENT, leafCount);
    fsm = new StateMachine(true);
    value = new byte[valueBytes];
    new SplittableRandom(SEED).nextBytes(value);
    Applied session = apply(new Command.CreateSession(1, 30_000, new byte[16], TIME_MS));
    sessionId = ((Outcome.SessionCreated) session.outcome()).session().sessionId();
    caller = new Caller(sessionId, identities);
    create("/bench");
    parents = new String[leafCount / CHILDREN_PER_PARENT];
    String[] allLeaves = new String[leafCount];
    for (int p = 0; p < parents.length; p++) {
      parents[p] = String.format("/bench/p%05d", p);
      create(parents[p]);
      for (int c = 0; c < CHILDREN_PER_PARENT; c++) {
        String leaf = String.format("%s/c%03d", parents[p], c);
        create(leaf);
        allLeaves[p * CHILDREN_PER_PARENT + c] = leaf;
      }
    }
    shuffle(allLeaves, new SplittableRandom(SEED));
    shuffle(parents, new SplittableRandom(SEED + 1));
    leaves = Arrays.copyOf(allLeaves, Math.min(PATH_SAMPLE, allLeaves.length));
  }

  static BenchTree build(int leafCount, int valueBytes) {
    return new BenchTree(leafCount, valueBytes);
  }

  /** The bytes of a client write as the proposing server logs them. */
  byte[] txn(int opcode, JuteRecord request) {
    return CommandCodec.encode(new Command.Txn(sessionId, TIME_MS, identities, opcode, request));
  }

  /** The next log entry carrying {@code command}. */
  LogEntry nextEntry(byte[] command) {
    return new LogEntry(fsm.appliedIndex() + 1, TERM, EntryType.COMMAND, command);
  }

  /** A CREATE of {@code path} with the benchmark value, as a client sends it. */
  CreateRequest createRequest(String path) {
    return new CreateRequest(path, value, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.flag());
  }

  private void create(String path) {
    Applied a = fsm.apply(nextEntry(txn(OpCode.CREATE, createRequest(path))));
    Outcome.TxnDone done = (Outcome.TxnDone) a.outcome();
    Check.state(done.err() == ErrorCode.OK, "creating %s failed: %s", path, done.err());
  }

  private Applied apply(Command command) {
    return fsm.apply(nextEntry(CommandCodec.encode(command)));
  }

  private static void shuffle(String[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
