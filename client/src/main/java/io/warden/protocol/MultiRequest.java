package io.warden.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Body of multi (14) and multiRead (22) (reference §8.1): each op as a MultiHeader
 * {@code (type, false, -1)} plus its request, then the end marker {@code (-1, true, -1)}.
 *
 * <p>All ops must be of one kind, as in ZooKeeper's MultiOperationRecord; the empty list is
 * legal. Whether the kind fits the opcode (writes in 14, reads in 22) is checked by
 * {@link Requests#decode}, which knows the opcode.
 */
public record MultiRequest(List<MultiOp> ops) implements JuteRecord {
  public MultiRequest {
    ops = List.copyOf(ops);
    if (mixesKinds(ops)) {
      throw new IllegalArgumentException("a multi cannot mix read and write sub-ops");
    }
  }

  /** True when the request holds read sub-ops (multiRead); false for writes or no ops. */
  public boolean isRead() {
    return !ops.isEmpty() && ops.get(0).isRead();
  }

  @Override
  public void write(JuteWriter w) {
    for (MultiOp op : ops) {
      new MultiHeader(op.type(), false, -1).write(w);
      op.request().write(w);
    }
    MultiHeader.END.write(w);
  }

  /**
   * Reads ops until a header with {@code done} set (its type and err are ignored, as ZooKeeper
   * does). Unknown sub-op types and mixed kinds are a {@link JuteException}. The list cannot
   * outgrow the frame: every op consumes at least one 9-byte header.
   */
  public static MultiRequest read(JuteReader r) {
    List<MultiOp> ops = new ArrayList<>();
    for (MultiHeader h = MultiHeader.read(r); !h.done(); h = MultiHeader.read(r)) {
      MultiOp op = MultiOp.read(h.type(), r);
      if (!ops.isEmpty() && op.isRead() != ops.get(0).isRead()) {
        throw new JuteException("multi mixes read and write sub-ops");
      }
      ops.add(op);
    }
    return new MultiRequest(ops);
  }

  private static boolean mixesKinds(List<MultiOp> ops) {
    return ops.stream().map(MultiOp::isRead).distinct().count() > 1;
  }
}
