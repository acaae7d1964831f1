package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.ConnectionState;
import io.warden.client.ConnectionStateListener;
import io.warden.client.Created;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election, latch style (Curator's LeaderLatch): every participant joins with
 * {@link #start()} and stays a candidate until {@link #close()}; the one whose protected
 * ephemeral-sequential node {@code <path>/_c_<guid>-latch-<seq>} is first is the leader. Each
 * other candidate watches only its predecessor (no herd effect). The node's data is the
 * participant id, so anyone can ask {@link #currentLeaderId()}.
 *
 * <p><b>Guarantees.</b> While sessions live, at most one participant's node is first, so at most
 * one latch reports {@link #hasLeadership()} (modulo the failure cases below). The
 * {@link #fencingToken()} is the leader node's czxid: every later leader has a larger one, because
 * a node can only lead after every older node is gone. Give the token to every resource the leader
 * writes, and have the resource refuse a token smaller than the largest it has seen.
 *
 * <p><b>Failure behaviour.</b>
 * <ul>
 *   <li>SUSPENDED: {@link #hasLeadership()} turns false and listeners hear {@code notLeader} at
 *       once; the node may well survive, so on RECONNECTED the latch looks again and the same
 *       participant usually leads again with the same token.
 *   <li>Session loss (LOST): the node is gone, another participant leads (with a larger token);
 *       this latch is finished (build a new client and a new latch to run again).
 *   <li>GC pause longer than the session: the server expires the session and elects another
 *       leader while this process is frozen; on waking it may act as leader before it hears of the
 *       loss. The fencing token is what keeps its stale writes out.
 * </ul>
 *
 * <p>Threads: watchers and state changes only post work to the latch's own thread
 * ({@code warden-leader-latch-N}), which makes every call and calls listeners.
 */
public final class LeaderLatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderLatch.class);

  /** Told when this participant gains or loses leadership, on the latch's thread. */
  public interface Listener {
    void isLeader(long fencingToken);

    void notLeader();
  }

  private final WardenClient client;
  private final String path;
  private final String participantId;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread = RecipeThread.start("leader-latch");
  private final ConnectionStateListener stateListener = this::stateChanged;
  private final Object monitor = new Object();
  private Created ours; // latch thread only
  private volatile boolean leader;
  private volatile long token;
  private volatile boolean closed;
  private volatile boolean started;

  public LeaderLatch(WardenClient client, String path, String participantId) {
    this.client = Objects.requireNonNull(client, "client");
    this.path = RecipePaths.validate(path);
    this.participantId = Objects.requireNonNull(participantId, "participantId");
  }

  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Joins the election: creates our node (blocking) and starts watching. Once only. */
  public void start() throws WardenException, InterruptedException {
    if (started || closed) {
      throw new IllegalStateException("a LeaderLatch starts once (closed=" + closed + ")");
    }
    started = true;
    Created node = ProtectedCreate.create(client, path, "latch-",
        participantId.getBytes(StandardCharsets.UTF_8), CreateMode.EPHEMERAL_SEQUENTIAL);
    client.addStateListener(stateListener);
    post(() -> {
      ours = node;
      check();
    });
  }

  /** True while this participant leads and is connected. */
  public boolean hasLeadership() {
    return leader && !closed && client.state() != null && client.state().isConnected();
  }

  /** Waits until this participant leads; false if {@code timeout} passes first or it closed. */
  public boolean await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (!hasLeadership()) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (closed || client.state() != null && client.state().isTerminal() || leftMs <= 0) {
          return false;
        }
        monitor.wait(Math.min(leftMs, 100)); // re-check the connection state now and then
      }
      return true;
    }
  }

  /** The leader's fencing token (its node's czxid); IllegalStateException if not leading. */
  public long fencingToken() {
    if (!hasLeadership()) {
      throw new IllegalStateException("not the leader of " + path);
    }
    return token;
  }

  /** The participant id of the current leader (first node), or null if there is none. */
  public String currentLeaderId() throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    List<String> sorted = contenders(client.retryPolicy().call(() -> sync.getChildren(path)));
    for (String name : sorted) {
      try {
        byte[] data = sync.getData(RecipePaths.child(path, name)).data();
        return data == null ? "" : new String(data, StandardCharsets.UTF_8);
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NO_NODE) {
          throw e;
        }
      }
    }
    return null;
  }

  /** Leaves the election: deletes our node so the next candidate leads. Idempotent. */
  @Override
  public void close() throws WardenException, InterruptedException {
    if (closed) {
      return;
    }
    client.removeStateListener(stateListener);
    thread.execute(() -> setLeader(false, 0));
    closed = true;
    thread.shutdown();
    thread.awaitTermination(10, TimeUnit.SECONDS);
    Created node = ours;
    if (node != null && !client.state().isTerminal()) {
      RecipePaths.deleteIfExists(client, node.path());
    }
  }

  private void stateChanged(ConnectionState state) {
    switch (state) {
      case SUSPENDED, READ_ONLY -> post(() -> setLeader(false, 0));
      case RECONNECTED, CONNECTED -> post(this::check);
      case LOST, AUTH_FAILED, CLOSED -> {
        post(() -> setLeader(false, 0));
        synchronized (monitor) {
          monitor.notifyAll();
        }
      }
      default -> throw new IllegalStateException("unknown state " + state);
    }
  }

  private void post(Runnable task) {
    RecipeThread.post(thread, () -> closed, client, "leader latch on " + path, task);
  }


  /** On the latch thread: are we first? If not, watch our predecessor. */
  private void check() {
    try {
      BlockingWardenClient sync = client.blocking();
      String ourName = ours.path().substring(path.length() + 1);
      while (!closed) {
        List<String> sorted = contenders(client.retryPolicy().call(() -> sync.getChildren(path)));
        int index = sorted.indexOf(ourName);
        if (index < 0) {
          setLeader(false, 0);
          log.warn("latch node {} vanished; leaving the election of {}", ours.path(), path);
          return;
        }
        if (index == 0) {
          setLeader(true, ours.stat().czxid());
          return;
        }
        setLeader(false, 0);
        String before = RecipePaths.child(path, sorted.get(index - 1));
        Stat stat = client.retryPolicy().call(() -> sync.exists(before, event -> post(this::check)));
        if (stat != null) {
          return;
        }
      }
    } catch (WardenException e) {
      setLeader(false, 0);
      log.warn("leader latch on {} stopped looking until the next reconnect: {}", path,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void setLeader(boolean nowLeader, long newToken) {
    boolean was = leader;
    token = newToken;
    leader = nowLeader;
    synchronized (monitor) {
      monitor.notifyAll();
    }
    if (was != nowLeader) {
      for (Listener l : listeners) {
        if (nowLeader) {
          l.isLeader(newToken);
        } else {
          l.notLeader();
        }
      }
    }
  }

  private static List<String> contenders(List<String> children) {
    return RecipePaths.bySequence(children.stream().filter(ProtectedCreate::isProtected).toList());
  }
}
