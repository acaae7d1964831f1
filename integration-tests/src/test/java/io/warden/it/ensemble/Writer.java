package io.warden.it.ensemble;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * One client writing {@code /w/n-0}, {@code /w/n-1}, ... one at a time, recording each write
 * the server acknowledged and when. A write whose reply was lost (ConnectionLoss) is retried
 * under the same name: NodeExists then proves it was applied, so it is recorded as acknowledged
 * too — nothing is counted that the ensemble did not confirm.
 */
final class Writer implements AutoCloseable {
  /** An acknowledged write: its sequence number and when the acknowledgement arrived. */
  record Ack(int n, long atNanos) {
  }

  private final ZooKeeper zk;
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean running = true;

  Writer(ZooKeeper zk) throws Exception {
    this.zk = zk;
    zk.create("/w", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    this.thread = new Thread(this::run, "writer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    int n = 0;
    try {
      while (running) {
        String path = "/w/n-" + n;
        try {
          zk.create(path, new byte[] {(byte) n}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
          acks.add(new Ack(n++, System.nanoTime()));
        } catch (KeeperException.NodeExistsException applied) {
          acks.add(new Ack(n++, System.nanoTime()));
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionMovedException retry) {
          Thread.onSpinWait(); // the client reconnects on its own; the same create is retried
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  List<Ack> acks() {
    return List.copyOf(acks);
  }

  int acked() {
    return acks.size();
  }

  /** The writer's unexpected error (session expiry, a wrong result), if any. */
  Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(30_000);
  }
}
