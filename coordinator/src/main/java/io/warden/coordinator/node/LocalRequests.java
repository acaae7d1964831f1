package io.warden.coordinator.node;

import io.warden.coordinator.tree.AclAndStat;
import io.warden.coordinator.tree.Caller;
import io.warden.coordinator.tree.ChildrenAndStat;
import io.warden.coordinator.tree.DataAndStat;
import io.warden.coordinator.tree.DataTree;
import io.warden.coordinator.tree.Result;
import io.warden.coordinator.watch.WatchKind;
import io.warden.coordinator.watch.WatchRegistry;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.AddWatchRequest;
import io.warden.protocol.CheckWatchesRequest;
import io.warden.protocol.ClientInfo;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.ErrorResponse;
import io.warden.protocol.EventType;
import io.warden.protocol.ExistsRequest;
import io.warden.protocol.ExistsResponse;
import io.warden.protocol.GetAclRequest;
import io.warden.protocol.GetAclResponse;
import io.warden.protocol.GetAllChildrenNumberRequest;
import io.warden.protocol.GetAllChildrenNumberResponse;
import io.warden.protocol.GetChildren2Request;
import io.warden.protocol.GetChildren2Response;
import io.warden.protocol.GetChildrenRequest;
import io.warden.protocol.GetChildrenResponse;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.GetDataResponse;
import io.warden.protocol.GetEphemeralsRequest;
import io.warden.protocol.GetEphemeralsResponse;
import io.warden.protocol.Id;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.KeeperState;
import io.warden.protocol.MultiOp;
import io.warden.protocol.MultiRequest;
import io.warden.protocol.MultiResponse;
import io.warden.protocol.OpCode;
import io.warden.protocol.OpResult;
import io.warden.protocol.RemoveWatchesRequest;
import io.warden.protocol.SetWatches;
import io.warden.protocol.SetWatches2;
import io.warden.protocol.Stat;
import io.warden.protocol.SyncRequest;
import io.warden.protocol.SyncResponse;
import io.warden.protocol.WatcherEvent;
import io.warden.protocol.WatcherType;
import io.warden.protocol.WhoAmIResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes the requests a node answers from its own state, without the log: reads, watch
 * management, ping, sync (on a one-node group), whoAmI. Runs on the core thread when the
 * request's turn in its session has come (see {@link Slot}).
 */
final class LocalRequests {
  private final WatchRegistry watches;
  private final int maxWatchesPerConnection;

  LocalRequests(WatchRegistry watches, int maxWatchesPerConnection) {
    this.watches = watches;
    this.maxWatchesPerConnection = maxWatchesPerConnection;
  }

  /** Executes {@code s} for {@code conn} against {@code tree}; sets the slot's reply. */
  void execute(ClientConnection conn, Slot s, DataTree tree, long zxid) {
    Caller caller = conn.caller();
    JuteRecord body = switch (s.opcode) {
      case OpCode.PING -> null;
      case OpCode.EXISTS -> exists(conn, (ExistsRequest) s.body, tree, caller, s, zxid);
      case OpCode.GET_DATA -> getData(conn, (GetDataRequest) s.body, tree, caller, s, zxid);
      case OpCode.GET_CHILDREN -> {
        GetChildrenRequest r = (GetChildrenRequest) s.body;
        Result<ChildrenAndStat> c = children(conn, r.path(), r.watch(), tree, caller, s, zxid);
        yield c == null ? null : new GetChildrenResponse(c.value().children());
      }
      case OpCode.GET_CHILDREN2 -> {
        GetChildren2Request r = (GetChildren2Request) s.body;
        Result<ChildrenAndStat> c = children(conn, r.path(), r.watch(), tree, caller, s, zxid);
        yield c == null ? null : new GetChildren2Response(c.value().children(), c.value().stat());
      }
      case OpCode.GET_ACL -> {
        Result<AclAndStat> r = tree.getAcl(((GetAclRequest) s.body).path(), caller);
        yield r.isOk() ? new GetAclResponse(r.value().acl(), r.value().stat()) : fail(s, zxid, r.code());
      }
      case OpCode.GET_ALL_CHILDREN_NUMBER -> {
        Result<Integer> r = tree.getAllChildrenNumber(((GetAllChildrenNumberRequest) s.body).path(), caller);
        yield r.isOk() ? new GetAllChildrenNumberResponse(r.value()) : fail(s, zxid, r.code());
      }
      case OpCode.GET_EPHEMERALS -> new GetEphemeralsResponse(
          tree.getEphemerals(conn.sessionId, ((GetEphemeralsRequest) s.body).prefixPath()));
      case OpCode.MULTI_READ -> multiRead((MultiRequest) s.body, tree, caller);
      case OpCode.SYNC -> new SyncResponse(((SyncRequest) s.body).path());
      case OpCode.WHO_AM_I -> whoAmI(conn);
      case OpCode.SET_WATCHES -> {
        SetWatches w = (SetWatches) s.body;
        setWatches(conn, s, tree, w.relativeZxid(), w.dataWatches(), w.existWatches(), w.childWatches(), null, null, zxid);
        yield null;
      }
      case OpCode.SET_WATCHES2 -> {
        SetWatches2 w = (SetWatches2) s.body;
        setWatches(conn, s, tree, w.relativeZxid(), w.dataWatches(), w.existWatches(), w.childWatches(),
            w.persistentWatches(), w.persistentRecursiveWatches(), zxid);
        yield null;
      }
      case OpCode.ADD_WATCH -> addWatch(conn, (AddWatchRequest) s.body, s, zxid);
      case OpCode.CHECK_WATCHES -> {
        CheckWatchesRequest r = (CheckWatchesRequest) s.body;
        yield watchOp(conn, r.path(), r.type(), false, s, zxid);
      }
      case OpCode.REMOVE_WATCHES -> {
        RemoveWatchesRequest r = (RemoveWatchesRequest) s.body;
        yield watchOp(conn, r.path(), r.type(), true, s, zxid);
      }
      default -> throw new IllegalStateException("not a local request: " + OpCode.name(s.opcode));
    };
    if (s.reply == null) {
      s.reply = new Outbound.Reply(s.xid, zxid, ErrorCode.OK.code(), body);
    }
  }

  /** Exists sets a data watch on success and on NoNode ("watch for creation"), reference §7.3. */
  private JuteRecord exists(ClientConnection conn, ExistsRequest r, DataTree tree, Caller caller, Slot s, long zxid) {
    Result<Stat> res = tree.exists(r.path(), caller);
    boolean watchable = res.isOk() || res.code() == ErrorCode.NO_NODE;
    if (r.watch() && watchable && !watch(conn, r.path(), WatchKind.DATA, s, zxid)) {
      return null;
    }
    return res.isOk() ? new ExistsResponse(res.value()) : fail(s, zxid, res.code());
  }

  private JuteRecord getData(ClientConnection conn, GetDataRequest r, DataTree tree, Caller caller, Slot s, long zxid) {
    Result<DataAndStat> res = tree.getData(r.path(), caller);
    if (!res.isOk()) {
      return fail(s, zxid, res.code());
    }
    if (r.watch() && !watch(conn, r.path(), WatchKind.DATA, s, zxid)) {
      return null;
    }
    return new GetDataResponse(res.value().data(), res.value().stat());
  }

  /** Returns null when the reply was already set to an error. */
  private Result<ChildrenAndStat> children(ClientConnection conn, String path, boolean watch, DataTree tree,
      Caller caller, Slot s, long zxid) {
    Result<ChildrenAndStat> res = tree.getChildren(path, caller);
    if (!res.isOk()) {
      fail(s, zxid, res.code());
      return null;
    }
    if (watch && !watch(conn, path, WatchKind.CHILD, s, zxid)) {
      return null;
    }
    return res;
  }

  /** multiRead (reference §8.4): independent sub-ops, no rollback, never sets watches. */
  private static MultiResponse multiRead(MultiRequest m, DataTree tree, Caller caller) {
    List<OpResult> out = new ArrayList<>(m.ops().size());
    for (MultiOp op : m.ops()) {
      if (op.type() == OpCode.GET_DATA) {
        Result<DataAndStat> r = tree.getData(((GetDataRequest) op.request()).path(), caller);
        out.add(r.isOk() ? new OpResult.GetDataResult(r.value().data(), r.value().stat())
            : new OpResult.ErrorResult(r.code().code()));
      } else {
        Result<ChildrenAndStat> r = tree.getChildren(((GetChildrenRequest) op.request()).path(), caller);
        out.add(r.isOk() ? new OpResult.GetChildrenResult(r.value().children())
            : new OpResult.ErrorResult(r.code().code()));
      }
    }
    return new MultiResponse(out);
  }

  /** whoAmI (reference §7.22): one entry per identity; user = digest user, ip address, else empty. */
  private static WhoAmIResponse whoAmI(ClientConnection conn) {
    List<ClientInfo> out = new ArrayList<>(conn.identities.size());
    for (Id id : conn.identities) {
      String user = switch (id.scheme()) {
        case "digest" -> {
          int colon = id.id().indexOf(':');
          yield colon < 0 ? id.id() : id.id().substring(0, colon);
        }
        case "ip" -> id.id();
        default -> "";
      };
      out.add(new ClientInfo(id.scheme(), user));
    }
    return new WhoAmIResponse(out);
  }

  /**
   * setWatches/setWatches2 (reference §7.17): re-arm each watch, or fire at once what the
   * client missed while it was away. The fired events go out before the reply, with zxid -1.
   */
  private void setWatches(ClientConnection conn, Slot s, DataTree tree, long relativeZxid,
      List<String> data, List<String> exist, List<String> child, List<String> persistent,
      List<String> recursive, long zxid) {
    List<Outbound> fired = new ArrayList<>();
    for (String p : nonNull(data)) {
      Stat st = tree.statOrNull(p);
      if (st == null) {
        fired.add(event(EventType.NODE_DELETED, p));
      } else if (st.mzxid() > relativeZxid) {
        fired.add(event(EventType.NODE_DATA_CHANGED, p));
      } else if (!watch(conn, p, WatchKind.DATA, s, zxid)) {
        return;
      }
    }
    for (String p : nonNull(exist)) {
      if (tree.statOrNull(p) != null) {
        fired.add(event(EventType.NODE_CREATED, p));
      } else if (!watch(conn, p, WatchKind.DATA, s, zxid)) {
        return;
      }
    }
    for (String p : nonNull(child)) {
      Stat st = tree.statOrNull(p);
      if (st == null) {
        fired.add(event(EventType.NODE_DELETED, p));
      } else if (st.pzxid() > relativeZxid) {
        fired.add(event(EventType.NODE_CHILDREN_CHANGED, p));
      } else if (!watch(conn, p, WatchKind.CHILD, s, zxid)) {
        return;
      }
    }
    for (String p : nonNull(persistent)) {
      if (!watch(conn, p, WatchKind.PERSISTENT, s, zxid)) {
        return;
      }
    }
    for (String p : nonNull(recursive)) {
      if (!watch(conn, p, WatchKind.PERSISTENT_RECURSIVE, s, zxid)) {
        return;
      }
    }
    s.before = fired;
  }

  private JuteRecord addWatch(ClientConnection conn, AddWatchRequest r, Slot s, long zxid) {
    AddWatchMode mode = AddWatchMode.of(r.mode());
    if (mode == null) {
      return fail(s, zxid, ErrorCode.MARSHALLING_ERROR);
    }
    WatchKind kind = mode == AddWatchMode.PERSISTENT ? WatchKind.PERSISTENT : WatchKind.PERSISTENT_RECURSIVE;
    if (!watch(conn, r.path(), kind, s, zxid)) {
      return null;
    }
    return new ErrorResponse(0);
  }

  /** checkWatches (nothing removed) and removeWatches (reference §7.13). */
  private JuteRecord watchOp(ClientConnection conn, String path, int type, boolean remove, Slot s, long zxid) {
    WatcherType t = WatcherType.of(type);
    if (t == null) {
      return fail(s, zxid, ErrorCode.MARSHALLING_ERROR);
    }
    boolean found = remove ? watches.remove(conn.id, path, t) : watches.contains(conn.id, path, t);
    return found ? null : fail(s, zxid, ErrorCode.NO_WATCHER);
  }

  /**
   * Adds a watch within the per-connection limit (DESIGN.md D10). Past the limit the request
   * fails with ThrottledOp rather than silently not watching: a client must never believe it
   * holds a watch it does not have.
   */
  private boolean watch(ClientConnection conn, String path, WatchKind kind, Slot s, long zxid) {
    if (watches.watchCount(conn.id) >= maxWatchesPerConnection) {
      fail(s, zxid, ErrorCode.THROTTLED_OP);
      return false;
    }
    watches.add(conn.id, path, kind);
    return true;
  }

  private static JuteRecord fail(Slot s, long zxid, ErrorCode code) {
    s.reply = new Outbound.Reply(s.xid, zxid, code.code(), null);
    return null;
  }

  private static Outbound event(EventType type, String path) {
    return new Outbound.Event(-1, new WatcherEvent(type.code(), KeeperState.SYNC_CONNECTED.code(), path));
  }

  private static List<String> nonNull(List<String> l) {
    return l == null ? List.of() : l;
  }
}
