package io.warden.client.internal;

import io.warden.client.Created;
import io.warden.client.NodeAcl;
import io.warden.client.NodeChildren;
import io.warden.client.NodeData;
import io.warden.client.Op;
import io.warden.client.OpResult;
import io.warden.client.WardenException;
import io.warden.client.Watcher;
import io.warden.protocol.Acl;
import io.warden.protocol.AddWatchMode;
import io.warden.protocol.AddWatchRequest;
import io.warden.protocol.CheckVersionRequest;
import io.warden.protocol.ClientInfo;
import io.warden.protocol.Create2Response;
import io.warden.protocol.CreateMode;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.CreateResponse;
import io.warden.protocol.CreateTtlRequest;
import io.warden.protocol.DeleteRequest;
import io.warden.protocol.ErrorCode;
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
import io.warden.protocol.JuteRecord;
import io.warden.protocol.MultiOp;
import io.warden.protocol.MultiRequest;
import io.warden.protocol.MultiResponse;
import io.warden.protocol.OpCode;
import io.warden.protocol.SetAclRequest;
import io.warden.protocol.SetAclResponse;
import io.warden.protocol.SetDataRequest;
import io.warden.protocol.SetDataResponse;
import io.warden.protocol.Stat;
import io.warden.protocol.SyncRequest;
import io.warden.protocol.WhoAmIResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link Spec} of every operation: validates the arguments (IllegalArgumentException
 * before anything is queued), picks the opcode as the Java client does (reference §7.1: TTL
 * modes 21, containers 19, create2 when a Stat is wanted, else 1), prepends the chroot and says
 * how to read the reply and which watch to register.
 */
public final class Ops {
  private final Chroot chroot;

  public Ops(Chroot chroot) {
    this.chroot = chroot;
  }

  public Spec<String> create(String path, byte[] data, List<Acl> acl, CreateMode mode,
      long ttlMs) {
    Validation.create(path, acl, mode, ttlMs);
    int opcode = createOpcode(mode, false);
    return new Spec<>(opcode, createBody(path, data, acl, mode, ttlMs), path,
        body -> chroot.toClient(body instanceof Create2Response r ? r.path()
            : ((CreateResponse) body).path()), false, null);
  }

  public Spec<Created> createWithStat(String path, byte[] data, List<Acl> acl, CreateMode mode,
      long ttlMs) {
    Validation.create(path, acl, mode, ttlMs);
    return new Spec<>(createOpcode(mode, true), createBody(path, data, acl, mode, ttlMs), path,
        body -> {
          Create2Response r = (Create2Response) body;
          return new Created(chroot.toClient(r.path()), r.stat());
        }, false, null);
  }

  public Spec<Void> delete(String path, int version) {
    Validation.path(path);
    // Like the Java client, "/" goes out unchrooted so that deleting the root always fails.
    String serverPath = path.equals("/") ? "/" : chroot.toServer(path);
    return new Spec<>(OpCode.DELETE, new DeleteRequest(serverPath, version), path, body -> null,
        false, null);
  }

  public Spec<Stat> exists(String path, Watcher watcher) {
    Validation.path(path);
    WatchRegistration watch = watcher == null ? null
        : new WatchRegistration(path, watcher, WatchKind.DATA, WatchKind.EXIST);
    return new Spec<>(OpCode.EXISTS, new ExistsRequest(server(path), watcher != null), path,
        body -> ((ExistsResponse) body).stat(), true, watch);
  }

  public Spec<NodeData> getData(String path, Watcher watcher) {
    Validation.path(path);
    WatchRegistration watch = watcher == null ? null
        : new WatchRegistration(path, watcher, WatchKind.DATA, null);
    return new Spec<>(OpCode.GET_DATA, new GetDataRequest(server(path), watcher != null), path,
        body -> {
          GetDataResponse r = (GetDataResponse) body;
          return new NodeData(r.data(), r.stat());
        }, false, watch);
  }

  public Spec<Stat> setData(String path, byte[] data, int version) {
    Validation.path(path);
    return new Spec<>(OpCode.SET_DATA, new SetDataRequest(server(path), data, version), path,
        body -> ((SetDataResponse) body).stat(), false, null);
  }

  public Spec<NodeAcl> getAcl(String path) {
    Validation.path(path);
    return new Spec<>(OpCode.GET_ACL, new GetAclRequest(server(path)), path, body -> {
      GetAclResponse r = (GetAclResponse) body;
      return new NodeAcl(r.acl(), r.stat());
    }, false, null);
  }

  public Spec<Stat> setAcl(String path, List<Acl> acl, int aclVersion) {
    Validation.path(path);
    if (acl == null) {
      throw new IllegalArgumentException("acl is null");
    }
    return new Spec<>(OpCode.SET_ACL, new SetAclRequest(server(path), List.copyOf(acl),
        aclVersion), path, body -> ((SetAclResponse) body).stat(), false, null);
  }

  public Spec<List<String>> getChildren(String path, Watcher watcher) {
    Validation.path(path);
    return new Spec<>(OpCode.GET_CHILDREN, new GetChildrenRequest(server(path), watcher != null),
        path, body -> List.copyOf(((GetChildrenResponse) body).children()), false,
        childWatch(path, watcher));
  }

  public Spec<NodeChildren> getChildrenWithStat(String path, Watcher watcher) {
    Validation.path(path);
    return new Spec<>(OpCode.GET_CHILDREN2,
        new GetChildren2Request(server(path), watcher != null), path, body -> {
          GetChildren2Response r = (GetChildren2Response) body;
          return new NodeChildren(r.children(), r.stat());
        }, false, childWatch(path, watcher));
  }

  public Spec<Integer> getAllChildrenNumber(String path) {
    Validation.path(path);
    return new Spec<>(OpCode.GET_ALL_CHILDREN_NUMBER,
        new GetAllChildrenNumberRequest(server(path)), path,
        body -> ((GetAllChildrenNumberResponse) body).totalNumber(), false, null);
  }

  /**
   * Ephemerals of this session whose path starts with {@code prefix} (a plain string prefix).
   * Unlike the 3.9 Java client, the chroot is applied to the prefix and stripped from the
   * results, so a chrooted client never sees paths outside its chroot.
   */
  public Spec<List<String>> getEphemerals(String prefix) {
    Validation.path(prefix);
    String serverPrefix = chroot.root() == null ? prefix
        : prefix.equals("/") ? chroot.root() + "/" : chroot.toServer(prefix);
    return new Spec<>(OpCode.GET_EPHEMERALS, new GetEphemeralsRequest(serverPrefix), prefix,
        body -> {
          List<String> out = new ArrayList<>();
          for (String p : ((GetEphemeralsResponse) body).ephemerals()) {
            if (insideChroot(p)) {
              out.add(chroot.toClient(p));
            }
          }
          return List.copyOf(out);
        }, false, null);
  }

  public Spec<Void> sync(String path) {
    Validation.path(path);
    return new Spec<>(OpCode.SYNC, new SyncRequest(server(path)), path, body -> null, false,
        null);
  }

  /** An atomic multi; fails with the first non-OK code, carrying every op's result (§8.3). */
  public Spec<List<OpResult>> multi(List<? extends Op.Write> ops) {
    List<Op> list = List.copyOf(ops);
    List<MultiOp> wire = new ArrayList<>();
    for (Op.Write op : ops) {
      wire.add(writeOp(op));
    }
    return new Spec<>(OpCode.MULTI, new MultiRequest(wire), null, body -> {
      List<OpResult> results = results((MultiResponse) body);
      failOnError(results, list);
      return results;
    }, false, null);
  }

  /** A multiRead: per-op failures are {@link OpResult.ErrorResult}s, never an exception. */
  public Spec<List<OpResult>> multiRead(List<? extends Op.Read> ops) {
    List<MultiOp> wire = new ArrayList<>();
    for (Op.Read op : ops) {
      wire.add(op instanceof Op.GetData
          ? new MultiOp(OpCode.GET_DATA, new GetDataRequest(server(op.path()), false))
          : new MultiOp(OpCode.GET_CHILDREN, new GetChildrenRequest(server(op.path()), false)));
    }
    return new Spec<>(OpCode.MULTI_READ, new MultiRequest(wire), null,
        body -> results((MultiResponse) body), false, null);
  }

  public Spec<Void> addWatch(String path, Watcher watcher, AddWatchMode mode) {
    Validation.path(path);
    if (watcher == null || mode == null) {
      throw new IllegalArgumentException("addWatch needs a watcher and a mode");
    }
    WatchKind kind = mode == AddWatchMode.PERSISTENT ? WatchKind.PERSISTENT
        : WatchKind.PERSISTENT_RECURSIVE;
    return new Spec<>(OpCode.ADD_WATCH, new AddWatchRequest(server(path), mode.code()), path,
        body -> null, false, new WatchRegistration(path, watcher, kind, null));
  }

  public Spec<List<ClientInfo>> whoAmI() {
    return new Spec<>(OpCode.WHO_AM_I, null, null,
        body -> List.copyOf(((WhoAmIResponse) body).clientInfo()), false, null);
  }

  String server(String clientPath) {
    return chroot.toServer(clientPath);
  }

  private WatchRegistration childWatch(String path, Watcher watcher) {
    return watcher == null ? null : new WatchRegistration(path, watcher, WatchKind.CHILD, null);
  }

  private boolean insideChroot(String serverPath) {
    String root = chroot.root();
    return root == null || serverPath.equals(root) || serverPath.startsWith(root + "/");
  }

  private JuteRecord createBody(String path, byte[] data, List<Acl> acl, CreateMode mode,
      long ttlMs) {
    String serverPath = server(path);
    return mode.isTtl()
        ? new CreateTtlRequest(serverPath, data, List.copyOf(acl), mode.flag(), ttlMs)
        : new CreateRequest(serverPath, data, List.copyOf(acl), mode.flag());
  }

  private static int createOpcode(CreateMode mode, boolean withStat) {
    if (mode.isTtl()) {
      return OpCode.CREATE_TTL;
    }
    if (mode.isContainer()) {
      return OpCode.CREATE_CONTAINER;
    }
    return withStat ? OpCode.CREATE2 : OpCode.CREATE;
  }

  /** Multi creates always use create2 (or 19/21) so every create result carries its Stat. */
  private MultiOp writeOp(Op.Write op) {
    if (op instanceof Op.Create c) {
      int opcode = c.mode().isTtl() ? OpCode.CREATE_TTL
          : c.mode().isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE2;
      return new MultiOp(opcode, createBody(c.path(), c.data(), c.acl(), c.mode(), c.ttlMs()));
    }
    if (op instanceof Op.Delete d) {
      return new MultiOp(OpCode.DELETE, new DeleteRequest(server(d.path()), d.version()));
    }
    if (op instanceof Op.SetData s) {
      return new MultiOp(OpCode.SET_DATA, new SetDataRequest(server(s.path()), s.data(),
          s.version()));
    }
    Op.Check c = (Op.Check) op;
    return new MultiOp(OpCode.CHECK, new CheckVersionRequest(server(c.path()), c.version()));
  }

  private List<OpResult> results(MultiResponse response) {
    List<OpResult> out = new ArrayList<>();
    for (io.warden.protocol.OpResult r : response.results()) {
      out.add(convert(r));
    }
    return List.copyOf(out);
  }

  private OpResult convert(io.warden.protocol.OpResult r) {
    if (r instanceof io.warden.protocol.OpResult.CreateResult c) {
      return new OpResult.CreateResult(chroot.toClient(c.path()), null);
    }
    if (r instanceof io.warden.protocol.OpResult.Create2Result c) {
      return new OpResult.CreateResult(chroot.toClient(c.path()), c.stat());
    }
    if (r instanceof io.warden.protocol.OpResult.DeleteResult) {
      return new OpResult.DeleteResult();
    }
    if (r instanceof io.warden.protocol.OpResult.SetDataResult s) {
      return new OpResult.SetDataResult(s.stat());
    }
    if (r instanceof io.warden.protocol.OpResult.CheckResult) {
      return new OpResult.CheckResult();
    }
    if (r instanceof io.warden.protocol.OpResult.GetDataResult g) {
      return new OpResult.GetDataResult(g.data(), g.stat());
    }
    if (r instanceof io.warden.protocol.OpResult.GetChildrenResult g) {
      return new OpResult.GetChildrenResult(g.children());
    }
    return new OpResult.ErrorResult(code(((io.warden.protocol.OpResult.ErrorResult) r).err()));
  }

  private static ErrorCode code(int err) {
    ErrorCode code = ErrorCode.of(err);
    return code == null ? ErrorCode.SYSTEM_ERROR : code;
  }

  private static void failOnError(List<OpResult> results, List<Op> ops)
      throws WardenException {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) instanceof OpResult.ErrorResult e && e.code() != ErrorCode.OK) {
        String path = i < ops.size() ? ops.get(i).path() : null;
        throw new WardenException(e.code(), path, "multi op " + i + " failed", results);
      }
    }
  }
}
