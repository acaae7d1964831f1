package io.warden.client.internal;

import io.warden.protocol.JuteRecord;
import io.warden.protocol.OpCode;
import io.warden.protocol.SetWatches;
import io.warden.protocol.SetWatches2;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the registered watches into SetWatches/SetWatches2 requests (reference §7.17): each
 * batch holds paths (server paths, chroot prepended) until their characters exceed the limit
 * (so a batch may overshoot by one path), keeping every frame far below jute.maxbuffer.
 */
final class SetWatchesBatcher {
  private SetWatchesBatcher() {
  }

  /** One request: its opcode (101 without persistent watches, else 105) and its lists. */
  record Batch(Map<WatchKind, List<String>> paths) {
    int opcode() {
      boolean persistent = !paths.get(WatchKind.PERSISTENT).isEmpty()
          || !paths.get(WatchKind.PERSISTENT_RECURSIVE).isEmpty();
      return persistent ? OpCode.SET_WATCHES2 : OpCode.SET_WATCHES;
    }

    JuteRecord record(long relativeZxid) {
      if (opcode() == OpCode.SET_WATCHES) {
        return new SetWatches(relativeZxid, paths.get(WatchKind.DATA),
            paths.get(WatchKind.EXIST), paths.get(WatchKind.CHILD));
      }
      return new SetWatches2(relativeZxid, paths.get(WatchKind.DATA),
          paths.get(WatchKind.EXIST), paths.get(WatchKind.CHILD),
          paths.get(WatchKind.PERSISTENT), paths.get(WatchKind.PERSISTENT_RECURSIVE));
    }
  }

  static List<Batch> batches(WatchRegistry watches, Chroot chroot, int maxChars) {
    List<Batch> out = new ArrayList<>();
    Map<WatchKind, List<String>> current = empty();
    int chars = 0;
    for (WatchKind kind : WatchKind.values()) {
      for (String path : watches.paths(kind)) {
        String serverPath = chroot.toServer(path);
        current.get(kind).add(serverPath);
        chars += serverPath.length();
        if (chars > maxChars) {
          out.add(new Batch(current));
          current = empty();
          chars = 0;
        }
      }
    }
    if (chars > 0) {
      out.add(new Batch(current));
    }
    return out;
  }

  private static Map<WatchKind, List<String>> empty() {
    Map<WatchKind, List<String>> map = new EnumMap<>(WatchKind.class);
    for (WatchKind kind : WatchKind.values()) {
      map.put(kind, new ArrayList<>());
    }
    return map;
  }
}
