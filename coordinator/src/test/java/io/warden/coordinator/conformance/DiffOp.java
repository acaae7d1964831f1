package io.warden.coordinator.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * One operation of the differential test, issued by one session through the official client.
 * Running it yields an {@link Outcome} whose text is side-independent (Stats without zxids and
 * times, ephemeral owners as session indexes), so the two servers' outcomes compare as strings.
 */
sealed interface DiffOp {
  int session();

  Outcome run(Side side) throws Exception;

  /** The canonical result, and the paths it created (to steer later operations). */
  record Outcome(String text, List<String> created) {
    static Outcome of(String text) {
      return new Outcome(text, List.of());
    }
  }

  /** Runs {@code op} on {@code side}, turning the expected failures into outcomes. */
  static Outcome execute(DiffOp op, Side side) throws Exception {
    try {
      return op.run(side);
    } catch (KeeperException e) {
      String results = e.getResults() == null ? "" : " " + Canon.results(e.getResults(), side);
      return Outcome.of("ERR " + e.code() + results);
    } catch (IllegalArgumentException e) {
      return Outcome.of("client refused: " + e.getClass().getSimpleName());
    }
  }

  private static byte[] bytes(String data) {
    return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
  }

  record Create(
      int session,
      String path,
      String data,
      List<ACL> acl,
      CreateMode mode,
      long ttlMs,
      boolean withStat)
      implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      ZooKeeper zk = side.session(session);
      if (!withStat && !mode.isTTL()) {
        String created = zk.create(path, bytes(data), acl, mode);
        return new Outcome("OK " + created, List.of(created));
      }
      Stat stat = new Stat();
      String created = zk.create(path, bytes(data), acl, mode, stat, ttlMs);
      return new Outcome("OK " + created + " " + Canon.stat(stat, side), List.of(created));
    }
  }

  record Delete(int session, String path, int version) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      side.session(session).delete(path, version);
      return Outcome.of("OK");
    }
  }

  record SetData(int session, String path, String data, int version) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      return Outcome.of(
          "OK " + Canon.stat(side.session(session).setData(path, bytes(data), version), side));
    }
  }

  record SetAcl(int session, String path, List<ACL> acl, int version) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      return Outcome.of("OK " + Canon.stat(side.session(session).setACL(path, acl, version), side));
    }
  }

  record GetData(int session, String path) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      Stat stat = new Stat();
      byte[] data = side.session(session).getData(path, false, stat);
      return Outcome.of("OK " + Canon.data(data) + " " + Canon.stat(stat, side));
    }
  }

  record Exists(int session, String path) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      Stat stat = side.session(session).exists(path, false);
      return Outcome.of("OK " + (stat == null ? "none" : Canon.stat(stat, side)));
    }
  }

  record GetChildren(int session, String path) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      Stat stat = new Stat();
      List<String> children = new ArrayList<>(side.session(session).getChildren(path, false, stat));
      children.sort(null);
      return Outcome.of("OK " + children + " " + Canon.stat(stat, side));
    }
  }

  record GetAcl(int session, String path) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      Stat stat = new Stat();
      List<ACL> acl = side.session(session).getACL(path, stat);
      return Outcome.of("OK " + Canon.acl(acl) + " " + Canon.stat(stat, side));
    }
  }

  record AllChildrenNumber(int session, String path) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      return Outcome.of("OK " + side.session(session).getAllChildrenNumber(path));
    }
  }

  record Ephemerals(int session, String prefix) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      List<String> paths = new ArrayList<>(side.session(session).getEphemerals(prefix));
      paths.sort(null);
      return Outcome.of("OK " + paths);
    }
  }

  /** multi (writes) or multiRead (reads): the client picks the opcode from the sub-ops. */
  record Multi(int session, List<Op> ops) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      List<OpResult> results = side.session(session).multi(ops);
      List<String> created = new ArrayList<>();
      for (OpResult r : results) {
        if (r instanceof OpResult.CreateResult c) {
          created.add(c.getPath());
        }
      }
      return new Outcome("OK " + Canon.results(results, side), created);
    }

    @Override
    public String toString() {
      return "Multi[session=" + session + ", ops=" + ops.stream().map(Canon::op).toList() + "]";
    }
  }

  /** How a {@link Watch} op sets its watch (through the session's default watcher). */
  enum WatchKind {
    DATA,
    EXISTS,
    CHILDREN,
    PERSISTENT,
    PERSISTENT_RECURSIVE
  }

  /** A read that leaves a watch, or addWatch; the events are compared separately. */
  record Watch(int session, String path, WatchKind kind) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      ZooKeeper zk = side.session(session);
      return Outcome.of(
          switch (kind) {
            case DATA -> "OK " + Canon.data(zk.getData(path, true, null));
            case EXISTS -> "OK " + (zk.exists(path, true) == null ? "none" : "exists");
            case CHILDREN -> "OK " + zk.getChildren(path, true).size();
            case PERSISTENT -> {
              zk.addWatch(path, AddWatchMode.PERSISTENT);
              yield "OK";
            }
            case PERSISTENT_RECURSIVE -> {
              zk.addWatch(path, AddWatchMode.PERSISTENT_RECURSIVE);
              yield "OK";
            }
          });
    }
  }

  /**
   * Removes watches, asking the server (local = false): all of a type (removeWatches on the wire),
   * or those of the session's default watcher object (checkWatches on the wire).
   */
  record RemoveWatches(int session, String path, WatcherType type, boolean byWatcher)
      implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      if (byWatcher) {
        side.session(session).removeWatches(path, side.watcher(session), type, false);
      } else {
        side.session(session).removeAllWatches(path, type, false);
      }
      return Outcome.of("OK");
    }
  }

  /** Closes the session and opens a new one with the same identity. */
  record Restart(int session) implements DiffOp {
    @Override
    public Outcome run(Side side) throws Exception {
      side.restart(session);
      return Outcome.of("OK");
    }
  }
}
