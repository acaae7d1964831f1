package io.warden.it.faults;

import io.warden.it.history.Op;
import io.warden.it.history.Op.Kind;
import io.warden.it.history.Op.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workloads, one step at a time, each over a {@link Store} (either client). Each step records
 * exactly one operation. The caller loops a worker until the run stops and replaces its store
 * when the session expired.
 */
final class Workers {
  /** Register values are unique per run, so a read names the write it saw. */
  private final AtomicLong nextValue = new AtomicLong(1);
  private final String root;
  private final Recorder recorder;

  Workers(String root, Recorder recorder) {
    this.root = root;
    this.recorder = recorder;
  }

  static byte[] encode(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }

  static long decode(byte[] b) {
    return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
  }

  String path(String child) {
    return root + "/" + child;
  }

  /** One step of the work a process does; returns false when its session expired. */
  interface Step {
    boolean run(Store store) throws InterruptedException;
  }

  /**
   * Register: reads after sync, plain reads and versioned writes on a few keys. A write names
   * the version this process last read, so most succeed and some lose a race (BadVersion).
   */
  Step register(int process, Random random, int keys) {
    int[] lastVersion = new int[keys];
    return store -> {
      int k = random.nextInt(keys);
      String key = path("reg/k" + k);
      int dice = random.nextInt(10);
      long invoke = System.nanoTime();
      if (dice < 6) {
        long value = nextValue.getAndIncrement();
        try {
          Store.Read r = store.write(key, encode(value), lastVersion[k]);
          recorder.op(op(process, store, Kind.WRITE, key, value, lastVersion[k], null, invoke, Outcome.OK, r));
          lastVersion[k] = r.version();
        } catch (StoreException e) {
          recorder.op(op(process, store, Kind.WRITE, key, value, lastVersion[k], null, invoke, e.outcome(), null));
          return e.kind() != StoreException.Kind.EXPIRED;
        }
      } else {
        boolean sync = dice < 9;
        try {
          Store.Read r = store.read(key, sync);
          recorder.op(op(process, store, sync ? Kind.SYNC_READ : Kind.READ, key, decode(r.data()), 0, null, invoke,
              Outcome.OK, r));
          lastVersion[k] = r.version();
        } catch (StoreException e) {
          return e.kind() != StoreException.Kind.EXPIRED; // a failed read constrains nothing
        }
      }
      return true;
    };
  }

  /** Set: unique persistent creates. */
  Step set(int process) {
    int[] n = {0};
    return store -> {
      String p = path("set/p" + process + "-" + n[0]);
      long invoke = System.nanoTime();
      try {
        store.create(p, encode(n[0]), Store.CreateKind.PERSISTENT);
        recorder.op(op(process, store, Kind.CREATE, p, n[0], 0, null, invoke, Outcome.OK, null));
      } catch (StoreException e) {
        recorder.op(op(process, store, Kind.CREATE, p, n[0], 0, null, invoke, e.outcome(), null));
        return e.kind() != StoreException.Kind.EXPIRED;
      } finally {
        n[0]++;
      }
      return true;
    };
  }

  /** Unique ids: sequential creates; the name is the id. */
  Step uniqueIds(int process) {
    return store -> {
      String prefix = path("ids/id-");
      long invoke = System.nanoTime();
      try {
        String name = store.create(prefix, new byte[0], Store.CreateKind.SEQUENTIAL);
        recorder.op(op(process, store, Kind.SEQ_CREATE, prefix, 0, 0, name, invoke, Outcome.OK, null));
      } catch (StoreException e) {
        recorder.op(op(process, store, Kind.SEQ_CREATE, prefix, 0, 0, null, invoke, e.outcome(), null));
        return e.kind() != StoreException.Kind.EXPIRED;
      }
      return true;
    };
  }

  /** Counter: read, then multi(check version, setData value + 1). */
  Step counter(int process) {
    return store -> {
      String key = path("counter");
      Store.Read current;
      try {
        current = store.read(key, false);
      } catch (StoreException e) {
        return e.kind() != StoreException.Kind.EXPIRED;
      }
      long next = decode(current.data()) + 1;
      long invoke = System.nanoTime();
      try {
        Store.Read r = store.checkAndSet(key, current.version(), encode(next));
        recorder.op(op(process, store, Kind.INCREMENT, key, next, current.version(), null, invoke, Outcome.OK, r));
      } catch (StoreException e) {
        recorder.op(op(process, store, Kind.INCREMENT, key, next, current.version(), null, invoke, e.outcome(), null));
        return e.kind() != StoreException.Kind.EXPIRED;
      }
      return true;
    };
  }

  /**
   * Queue: enqueue a uniquely numbered item as a sequential node, or take one of the oldest few
   * (contended on purpose): read it, then delete it at the version read — the delete is the take.
   */
  Step queue(int process, Random random) {
    long[] n = {0};
    return store -> {
      String dir = path("queue");
      if (random.nextBoolean()) {
        long item = process * 1_000_000_000L + n[0]++;
        long invoke = System.nanoTime();
        try {
          String name = store.create(dir + "/item-", encode(item), Store.CreateKind.SEQUENTIAL);
          recorder.op(op(process, store, Kind.ENQUEUE, dir, item, 0, name, invoke, Outcome.OK, null));
        } catch (StoreException e) {
          recorder.op(op(process, store, Kind.ENQUEUE, dir, item, 0, null, invoke, e.outcome(), null));
          return e.kind() != StoreException.Kind.EXPIRED;
        }
        return true;
      }
      try {
        List<String> children = new ArrayList<>(store.children(dir, false));
        if (children.isEmpty()) {
          return true;
        }
        Collections.sort(children);
        String child = dir + "/" + children.get(random.nextInt(Math.min(3, children.size())));
        Store.Read r = store.read(child, false);
        long item = decode(r.data());
        long invoke = System.nanoTime();
        try {
          store.delete(child, r.version());
          recorder.op(op(process, store, Kind.DEQUEUE, dir, item, 0, child, invoke, Outcome.OK, null));
        } catch (StoreException e) {
          recorder.op(op(process, store, Kind.DEQUEUE, dir, item, 0, child, invoke, e.outcome(), null));
          return e.kind() != StoreException.Kind.EXPIRED;
        }
      } catch (StoreException e) {
        return e.kind() != StoreException.Kind.EXPIRED; // listing or reading failed: nothing was taken
      }
      return true;
    };
  }

  private static Op op(int process, Store store, Kind kind, String key, long value, long arg, String name,
      long invoke, Outcome outcome, Store.Read reply) {
    return new Op(process, store.sessionId(), kind, key, value, arg, name, invoke, System.nanoTime(), outcome, -1,
        reply == null ? -1 : reply.mzxid(), reply == null ? -1 : reply.version());
  }
}
