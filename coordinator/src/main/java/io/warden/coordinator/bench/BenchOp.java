package io.warden.coordinator.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What each request of a load run does. */
public enum BenchOp {
  /** create a new persistent node (one per request) under the run's root. */
  CREATE,
  /** setData on one of the pre-created nodes, chosen at random. */
  SET,
  /** getData on one of the pre-created nodes. */
  GET,
  /** exists on one of the pre-created nodes. */
  EXISTS,
  /** an atomic multi of {@link LoadRun#MULTI_OPS} setData ops on pre-created nodes. */
  MULTI,
  /** get with probability --read-ratio, else set. */
  MIXED,
  /**
   * One watch per session on one node; each round sets the node and times until every session
   * has been notified (fan-out of --clients watches).
   */
  WATCH_FANOUT,
  /**
   * Each request is a whole session: connect, create one ephemeral node, close (the server
   * removes the node). Latency is the three together; ops/s is sessions per second.
   */
  SESSION_CHURN;

  /** The name on the command line: lower case, '-' for '_'. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a command-line name; IllegalArgumentException lists the valid ones. */
  public static BenchOp parse(String name) {
    for (BenchOp op : values()) {
      if (op.cliName().equals(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown op '" + name + "' (valid: "
        + Arrays.stream(values()).map(BenchOp::cliName).collect(Collectors.joining(", ")) + ")");
  }

  /** True when the run needs the --znodes nodes created before it starts. */
  boolean needsNodes() {
    return this != CREATE && this != WATCH_FANOUT && this != SESSION_CHURN;
  }
}
