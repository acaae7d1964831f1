package io.warden.client;

import io.warden.protocol.ErrorCode;
import java.util.List;
import java.util.Objects;

/**
 * A ZooKeeper error code from the server (NoNode, BadVersion, ...) or from the client itself
 * (ConnectionLoss, SessionExpired, RequestTimeout, ...), with the client path it concerns.
 *
 * <p>Checked on purpose: these codes are expected outcomes of a distributed store (another
 * process deleted the node, the connection dropped) that a caller must decide about, exactly as
 * the Java client's {@code KeeperException} makes them. Programming errors (an invalid path, a
 * closed client) are unchecked {@link IllegalArgumentException}/{@link IllegalStateException}.
 * Stages of the async API complete exceptionally with this exception (wrapped in a
 * {@code CompletionException} when seen through dependent stages).
 */
public class WardenException extends Exception {
  private final ErrorCode code;
  private final String path;
  private final transient List<OpResult> results;

  public WardenException(ErrorCode code, String path) {
    this(code, path, null, List.of());
  }

  public WardenException(ErrorCode code, String path, String detail) {
    this(code, path, detail, List.of());
  }

  /** A failed multi: {@code results} holds one entry per op (reference §8.3). */
  public WardenException(ErrorCode code, String path, String detail, List<OpResult> results) {
    super(message(code, path, detail));
    this.code = Objects.requireNonNull(code, "code");
    this.path = path;
    this.results = List.copyOf(results);
  }

  public ErrorCode code() {
    return code;
  }

  /** The client path the failed operation named (for multi: the failing op's), or null. */
  public String path() {
    return path;
  }

  /** For a failed multi, one result per op; empty otherwise. */
  public List<OpResult> results() {
    return results;
  }

  /** ZooKeeper's name for a code: NO_NODE becomes NoNode, as in its error messages. */
  public static String codeName(ErrorCode code) {
    StringBuilder sb = new StringBuilder();
    for (String part : code.name().split("_")) {
      sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return sb.toString();
  }

  private static String message(ErrorCode code, String path, String detail) {
    String base = codeName(code) + (path == null ? "" : " for " + path);
    return detail == null ? base : base + ": " + detail;
  }
}
