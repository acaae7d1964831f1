package io.warden.coordinator.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * Side-independent text for what a server returned. A Stat keeps every field both servers must
 * agree on — version, cversion, aversion, dataLength, numChildren and the ephemeral owner (as a
 * session index) — and drops the times, which each server takes from its own clock. The zxids
 * (czxid/mzxid/pzxid) are kept relative to the run's first write: both servers spend exactly one
 * zxid per transaction, failed writes and session opens/closes included (wire reference §4.2;
 * Warden's zxid is its log index, DESIGN.md D6), so the offsets agree.
 */
final class Canon {
  private Canon() {}

  static String stat(Stat s, Side side) {
    return "{v="
        + s.getVersion()
        + " cv="
        + s.getCversion()
        + " av="
        + s.getAversion()
        + " owner="
        + side.owner(s.getEphemeralOwner())
        + " len="
        + s.getDataLength()
        + " kids="
        + s.getNumChildren()
        + " zxids="
        + side.zxid(s.getCzxid())
        + "/"
        + side.zxid(s.getMzxid())
        + "/"
        + side.zxid(s.getPzxid())
        + "}";
  }

  static String data(byte[] data) {
    return data == null ? "null" : "'" + new String(data, StandardCharsets.UTF_8) + "'";
  }

  static String acl(List<ACL> acl) {
    List<String> out = new ArrayList<>();
    for (ACL a : acl) {
      out.add(a.getPerms() + ":" + a.getId().getScheme() + ":" + a.getId().getId());
    }
    return out.toString();
  }

  static String results(List<OpResult> results, Side side) {
    List<String> out = new ArrayList<>();
    for (OpResult r : results) {
      out.add(result(r, side));
    }
    return out.toString();
  }

  private static String result(OpResult r, Side side) {
    if (r instanceof OpResult.CreateResult c) {
      return "create " + c.getPath() + (c.getStat() == null ? "" : " " + stat(c.getStat(), side));
    } else if (r instanceof OpResult.DeleteResult) {
      return "delete";
    } else if (r instanceof OpResult.SetDataResult s) {
      return "setData " + stat(s.getStat(), side);
    } else if (r instanceof OpResult.CheckResult) {
      return "check";
    } else if (r instanceof OpResult.GetDataResult g) {
      return "getData " + data(g.getData()) + " " + stat(g.getStat(), side);
    } else if (r instanceof OpResult.GetChildrenResult g) {
      List<String> children = new ArrayList<>(g.getChildren());
      children.sort(null);
      return "getChildren " + children;
    } else if (r instanceof OpResult.ErrorResult e) {
      return "error " + e.getErr();
    }
    throw new IllegalStateException("unexpected result type " + r.getClass());
  }

  /** A readable form of a multi sub-op for failure reports. */
  static String op(Op op) {
    return op.getClass().getSimpleName() + " " + op.getPath() + " (type " + op.getType() + ")";
  }
}
