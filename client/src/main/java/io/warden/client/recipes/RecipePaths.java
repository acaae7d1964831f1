package io.warden.client.recipes;

import io.warden.client.BlockingWardenClient;
import io.warden.client.RetryPolicy;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Paths;
import java.util.Comparator;
import java.util.List;

/** Path rules shared by the recipes: validation, parents, and sequence-number order. */
final class RecipePaths {
  /** ZooKeeper's sequence suffix: ten digits (reference §9.2). */
  static final int SEQUENCE_DIGITS = 10;

  private RecipePaths() {
  }

  /** The path, if valid and not the root; else IllegalArgumentException naming it. */
  static String validate(String path) {
    String reason = Paths.validate(path);
    if (reason != null) {
      throw new IllegalArgumentException("Invalid path string \"" + path + "\": " + reason);
    }
    if (path.equals("/")) {
      throw new IllegalArgumentException("a recipe needs its own node, not the root");
    }
    return path;
  }

  /** A single path element (no '/'), e.g. a member or instance id. */
  static String validateName(String name, String what) {
    if (name == null || name.isEmpty() || name.contains("/") || name.equals(".")
        || name.equals("..")) {
      throw new IllegalArgumentException(what + " must be one non-empty path element, was \""
          + name + "\"");
    }
    validate("/" + name);
    return name;
  }

  static String child(String parent, String name) {
    return parent + "/" + name;
  }

  /** Creates {@code path} and any missing parents as empty persistent nodes (idempotent). */
  static void ensure(BlockingWardenClient client, RetryPolicy retry, String path)
      throws WardenException, InterruptedException {
    if (retry.call(() -> client.exists(path)) != null) {
      return;
    }
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      ensure(client, retry, path.substring(0, slash));
    }
    retry.call(() -> {
      try {
        return client.create(path, null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      } catch (WardenException e) {
        if (e.code() == ErrorCode.NODE_EXISTS) {
          return path; // made by someone else, or by our own attempt whose reply was lost
        }
        throw e;
      }
    });
  }

  /** The sequence number of a sequential node's name (its last ten characters). */
  static long sequence(String name) {
    if (name.length() < SEQUENCE_DIGITS) {
      throw new IllegalArgumentException("not a sequential node name: " + name);
    }
    return Long.parseLong(name.substring(name.length() - SEQUENCE_DIGITS));
  }

  /** Sequential node names ordered by sequence number, whatever their prefixes. */
  static List<String> bySequence(List<String> names) {
    return names.stream().sorted(Comparator.comparingLong(RecipePaths::sequence)).toList();
  }

  /**
   * Deletes a node of ours, retrying transient failures; NoNode (and SessionExpired, which took
   * our ephemerals along) mean it is gone already.
   */
  static void deleteIfExists(WardenClient client, String path)
      throws WardenException, InterruptedException {
    BlockingWardenClient sync = client.blocking();
    client.retryPolicy().call(() -> {
      try {
        sync.delete(path, WardenClient.ANY_VERSION);
      } catch (WardenException e) {
        if (e.code() != ErrorCode.NO_NODE && e.code() != ErrorCode.SESSION_EXPIRED) {
          throw e;
        }
      }
      return null;
    });
  }
}
