package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.Created;
import io.warden.client.RetryPolicy;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Stat;
import java.util.UUID;

/**
 * A sequential create that survives a lost reply (Curator's "protected" mode): the name carries a
 * fresh GUID, {@code _c_<guid>-<prefix>}, so after ConnectionLoss the node our create may have made
 * is found again among the parent's children instead of being created twice (a leaked node would
 * block a lock forever, or duplicate a queue item).
 */
final class ProtectedCreate {
  static final String MARKER = "_c_";

  private ProtectedCreate() {
  }

  /** The name prefix for one create: {@code _c_<guid>-<prefix>}. */
  static String protectedName(String prefix) {
    return MARKER + UUID.randomUUID() + "-" + prefix;
  }

  static boolean isProtected(String name) {
    return name.startsWith(MARKER);
  }

  /**
   * Creates {@code dir/_c_<guid>-<prefix><seq>} in a sequential {@code mode}, creating {@code dir}
   * if missing, retrying transient failures by first looking for the node.
   */
  static Created create(WardenClient client, String dir, String prefix, byte[] data,
      CreateMode mode) throws WardenException, InterruptedException {
    try {
      return createOnce(client, dir, prefix, data, mode);
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        throw e;
      }
      // NoNode is a definite answer (nothing was created): make the parents and go again.
      RecipePaths.ensure(client.blocking(), client.retryPolicy(), dir);
      return createOnce(client, dir, prefix, data, mode);
    }
  }

  private static Created createOnce(WardenClient client, String dir, String prefix, byte[] data,
      CreateMode mode) throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    RetryPolicy retry = client.retryPolicy();
    String name = protectedName(prefix);
    boolean[] attempted = {false};
    return retry.call(() -> {
      if (attempted[0]) {
        Created found = find(sync, dir, name);
        if (found != null) {
          return found;
        }
      }
      attempted[0] = true;
      return sync.createWithStat(RecipePaths.child(dir, name), data, Acl.OPEN_ACL_UNSAFE, mode);
    });
  }

  private static Created find(BlockingWardenClient sync, String dir, String name)
      throws WardenException, InterruptedException {
    // The lost reply also hid the create's zxid, so the server we reconnected to may not have
    // applied a create that was committed: without the sync we would make a second node.
    sync.sync(dir);
    for (String child : sync.getChildren(dir)) {
      if (child.startsWith(name)) {
        String path = RecipePaths.child(dir, child);
        Stat stat = sync.exists(path);
        if (stat != null) {
          return new Created(path, stat);
        }
      }
    }
    return null;
  }
}
