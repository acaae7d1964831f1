package io.warden.client.internal;

import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.Paths;
import java.util.List;

/**
 * Client-side argument checks, done before anything is queued so a bad call fails in the
 * caller's thread with {@link IllegalArgumentException} (the Java client does the same for paths
 * and TTLs).
 */
public final class Validation {
  /** Largest TTL the server accepts: 2^40 - 1 ms (reference §9.4). */
  public static final long MAX_TTL_MS = (1L << 40) - 1;

  private Validation() {
  }

  public static void path(String path) {
    String reason = Paths.validate(path);
    if (reason != null) {
      throw new IllegalArgumentException("Invalid path string \"" + path + "\": " + reason);
    }
  }

  /** A create's path (sequential paths may end in '/'), ACL presence and TTL rules. */
  public static void create(String path, List<Acl> acl, CreateMode mode, long ttlMs) {
    if (mode == null) {
      throw new IllegalArgumentException("create mode is null");
    }
    String reason = mode.isSequential() ? Paths.validateSequential(path) : Paths.validate(path);
    if (reason != null) {
      throw new IllegalArgumentException("Invalid path string \"" + path + "\": " + reason);
    }
    if (acl == null) {
      throw new IllegalArgumentException("acl is null (use Acl.OPEN_ACL_UNSAFE for world:anyone)");
    }
    if (mode.isTtl() && (ttlMs < 1 || ttlMs > MAX_TTL_MS)) {
      throw new IllegalArgumentException("ttl must be 1.." + MAX_TTL_MS + " ms for " + mode
          + ", was " + ttlMs);
    }
    if (!mode.isTtl() && ttlMs != -1) {
      throw new IllegalArgumentException("ttl is only allowed with a TTL create mode, not " + mode);
    }
  }
}
