package io.warden.coordinator.durability;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * One official-client session streaming pipelined asynchronous writes on its own thread:
 * creates of unique znodes under {@code /d}, setData on its own counter {@code /ctr/c<slot>},
 * and multis that create {@code /m/<id>-a} and {@code /m/<id>-b} and bump the counter. Every
 * OK reply goes to the {@link AckLog}. A counter's value is written in session order and only
 * grows, so "the stored value ≥ the acknowledged one" is a meaningful check.
 */
final class WriteLoad implements AutoCloseable {
  static final String CREATES = "/d";
  static final String MULTIS = "/m";
  static final String COUNTERS = "/ctr";
  private static final int MAX_OUTSTANDING = 32;

  private final ZooKeeper zk;
  private final String prefix;
  private final String counter;
  private final SplittableRandom random;
  private final AckLog acks;
  private final Semaphore window = new Semaphore(MAX_OUTSTANDING);
  private final ConcurrentLinkedQueue<String> unexpected;
  private final Thread thread;
  private volatile boolean stopped;
  private long nextValue;
  private long n;

  /**
   * @param firstValue the first value to write to the counter (above anything stored)
   * @param unexpected collects replies that no correct server sends to this load
   */
  WriteLoad(ZooKeeper zk, String prefix, int slot, long firstValue, long seed, AckLog acks,
      ConcurrentLinkedQueue<String> unexpected) {
    this.zk = zk;
    this.prefix = prefix;
    this.counter = counterPath(slot);
    this.nextValue = firstValue;
    this.random = new SplittableRandom(seed);
    this.acks = acks;
    this.unexpected = unexpected;
    this.thread = new Thread(this::run, "write-load-" + prefix);
    thread.setDaemon(true);
  }

  static String counterPath(int slot) {
    return COUNTERS + "/c" + slot;
  }

  static byte[] content(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  void start() {
    thread.start();
  }

  /** Stops submitting; replies still in flight may still be recorded. */
  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (!stopped) {
        if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
          continue;
        }
        double dice = random.nextDouble();
        if (dice < 0.5) {
          create();
        } else if (dice < 0.8) {
          setCounter();
        } else {
          multi();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void create() {
    String name = prefix + "-" + n++;
    zk.create(CREATES + "/" + name, content(name), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
        (rc, path, ctx, created) -> {
          window.release();
          if (rc == Code.OK.intValue()) {
            acks.created(name);
          } else {
            noteFailure(rc, "create " + path);
          }
        }, null);
  }

  private void setCounter() {
    long value = nextValue++;
    zk.setData(counter, Long.toString(value).getBytes(StandardCharsets.UTF_8), -1, (rc, path, ctx, stat) -> {
      window.release();
      if (rc == Code.OK.intValue()) {
        acks.counter(counter, new AckLog.CounterAck(stat.getVersion(), value), stat.getMzxid());
      } else {
        noteFailure(rc, "setData " + path);
      }
    }, null);
  }

  private void multi() {
    String id = prefix + "-" + n++;
    long value = nextValue++;
    List<Op> ops = List.of(
        Op.create(MULTIS + "/" + id + "-a", content(id), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
        Op.create(MULTIS + "/" + id + "-b", content(id), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
        Op.setData(counter, Long.toString(value).getBytes(StandardCharsets.UTF_8), -1));
    zk.multi(ops, (rc, path, ctx, results) -> {
      window.release();
      if (rc == Code.OK.intValue()) {
        Stat stat = ((OpResult.SetDataResult) results.get(2)).getStat();
        acks.multi(id, counter, new AckLog.CounterAck(stat.getVersion(), value), stat.getMzxid());
      } else {
        noteFailure(rc, "multi " + id);
      }
    }, null);
  }

  /** Losing the connection is the point of the test; any other error is a server bug. */
  private void noteFailure(int rc, String what) {
    Code code = Code.get(rc);
    if (code != Code.CONNECTIONLOSS && code != Code.SESSIONEXPIRED) {
      unexpected.add(what + ": " + code);
    }
  }
}
