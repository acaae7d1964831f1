package io.warden.coordinator.durability;

import io.warden.coordinator.badinput.WireClient;
import io.warden.protocol.Acl;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.AddWatchRequest;
import io.warden.protocol.CreateMode;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.MultiOp;
import io.warden.protocol.MultiRequest;
import io.warden.protocol.OpCode;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.SetDataRequest;
import io.warden.protocol.WatcherEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Concurrent traffic whose every frame the {@link DurabilityWitness} inspects: pipelined
 * writers (setData on a few hot znodes, creates, multis), a watcher that keeps one-shot data
 * watches on the hot znodes re-armed and holds a persistent recursive watch on the created
 * ones, a pipelined reader (getData and pings), and short-lived sessions that each leave an
 * ephemeral until their closeSession. Replies, events and ping answers all carry zxids.
 */
final class VisibilityLoad implements AutoCloseable {
  static final String HOT = "/hot";
  static final String CREATED = "/w";
  static final int HOT_NODES = 8;
  private static final int WRITE_WINDOW = 64;
  private static final int READ_WINDOW = 16;

  private final DurabilityWitness witness;
  private final List<ProbeConnection> connections = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong writesOk = new AtomicLong();
  private final AtomicInteger churned = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
  private volatile boolean stopped;

  VisibilityLoad(DurabilityWitness witness) {
    this.witness = witness;
  }

  /** Creates the znodes the load works on (through a witnessed raw session). */
  void createLayout(int port) {
    try (WireClient c = WireClient.session(port, 10_000)) {
      int xid = 1;
      List<String> paths = new ArrayList<>(List.of(HOT, CREATED));
      for (int i = 0; i < HOT_NODES; i++) {
        paths.add(hot(i));
      }
      for (String p : paths) {
        WireClient.Reply r = c.call(xid++, OpCode.CREATE, create(p));
        witness.observed(DurabilityWitness.Kind.REPLY, r.zxid());
        if (r.err() != 0) {
          throw new IllegalStateException("creating " + p + ": " + ErrorCode.of(r.err()));
        }
      }
    }
  }

  void start(int port, long seed, int writers) {
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int w = 0; w < writers; w++) {
      startWriter(port, "writer-" + w, seeds.split());
    }
    startWatcher(port);
    startReader(port, seeds.split());
    startChurner(port);
  }

  /**
   * Sessions that come and go, each leaving an ephemeral behind until its closeSession: the
   * watcher sees the ephemerals appear and vanish, and the closeSession replies carry zxids.
   */
  private void startChurner(int port) {
    loop("churner", () -> {
      int n = churned.getAndIncrement();
      Semaphore replies = new Semaphore(0);
      ProbeConnection c = new ProbeConnection(port, "churn-" + n, witness, r -> {
        if (r.xid() > 0) {
          if (r.err() != 0) {
            unexpected.add("churner: " + r);
          }
          replies.release();
        }
      });
      c.send(OpCode.CREATE, new CreateRequest(CREATED + "/eph-" + n, new byte[0], Acl.OPEN_ACL_UNSAFE,
          CreateMode.EPHEMERAL.flag()));
      c.send(OpCode.CLOSE_SESSION, null);
      if (!replies.tryAcquire(2, 10, TimeUnit.SECONDS)) {
        unexpected.add("churner: no replies from session " + n);
      }
      c.close();
    });
  }

  long writesOk() {
    return writesOk.get();
  }

  /** Error replies the load should never get, and connections the server dropped. */
  List<String> problems() {
    List<String> out = new ArrayList<>(unexpected);
    for (ProbeConnection c : connections) {
      if (c.failure() != null) {
        out.add("connection failed: " + c.failure());
      }
    }
    return out;
  }

  @Override
  public void close() {
    stopped = true;
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    connections.forEach(ProbeConnection::close);
  }

  private void startWriter(int port, String name, SplittableRandom random) {
    Semaphore window = new Semaphore(WRITE_WINDOW);
    ProbeConnection c = open(port, name, r -> {
      if (r.xid() > 0) {
        window.release();
        if (r.err() == 0) {
          writesOk.incrementAndGet();
        } else {
          unexpected.add(name + ": " + r);
        }
      }
    });
    loop(name, () -> {
      if (!window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
        return;
      }
      double dice = random.nextDouble();
      long n = random.nextLong() & Long.MAX_VALUE;
      if (dice < 0.5) {
        c.send(OpCode.SET_DATA, setHot(random.nextInt(HOT_NODES), n));
      } else if (dice < 0.8) {
        c.send(OpCode.CREATE, create(CREATED + "/" + name + "-" + n));
      } else {
        c.send(OpCode.MULTI, new MultiRequest(List.of(
            new MultiOp(OpCode.CREATE, create(CREATED + "/" + name + "-m" + n)),
            new MultiOp(OpCode.SET_DATA, setHot(random.nextInt(HOT_NODES), n)))));
      }
    });
  }

  /** One-shot data watches on the hot znodes, re-armed from the reader thread on every event. */
  private void startWatcher(int port) {
    ProbeConnection[] self = new ProbeConnection[1];
    self[0] = open(port, "watcher", r -> {
      if (r.xid() == ReplyHeader.NOTIFICATION_XID) {
        WatcherEvent e = WatcherEvent.read(r.bodyReader());
        if (e.path().startsWith(HOT + "/")) {
          self[0].send(OpCode.GET_DATA, new GetDataRequest(e.path(), true));
        }
      } else if (r.err() != 0) {
        unexpected.add("watcher: " + r);
      }
    });
    self[0].send(OpCode.ADD_WATCH, new AddWatchRequest(CREATED, AddWatchMode.PERSISTENT_RECURSIVE.code()));
    for (int i = 0; i < HOT_NODES; i++) {
      self[0].send(OpCode.GET_DATA, new GetDataRequest(hot(i), true));
    }
  }

  private void startReader(int port, SplittableRandom random) {
    Semaphore window = new Semaphore(READ_WINDOW);
    ProbeConnection c = open(port, "reader", r -> {
      window.release();
      if (r.err() != 0) {
        unexpected.add("reader: " + r);
      }
    });
    loop("reader", () -> {
      if (!window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
        return;
      }
      if (random.nextInt(8) == 0) {
        c.send(OpCode.PING, null);
      } else {
        c.send(OpCode.GET_DATA, new GetDataRequest(hot(random.nextInt(HOT_NODES)), false));
      }
    });
  }

  private ProbeConnection open(int port, String name, Consumer<WireClient.Reply> onFrame) {
    ProbeConnection c = new ProbeConnection(port, name, witness, onFrame);
    connections.add(c);
    return c;
  }

  private interface Step {
    void run() throws InterruptedException;
  }

  private void loop(String name, Step step) {
    Thread t = new Thread(() -> {
      try {
        while (!stopped) {
          step.run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        if (!stopped) {
          unexpected.add(name + " stopped: " + e);
        }
      }
    }, "load-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  static String hot(int i) {
    return HOT + "/k" + i;
  }

  private static JuteRecord setHot(int i, long n) {
    return new SetDataRequest(hot(i), Long.toString(n).getBytes(StandardCharsets.UTF_8), -1);
  }

  private static CreateRequest create(String path) {
    return new CreateRequest(path, path.getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE, 0);
  }
}
