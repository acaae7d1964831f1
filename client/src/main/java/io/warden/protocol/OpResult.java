package io.warden.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a {@link MultiResponse} (reference §8.2). {@link #type()} is the wire result type
 * written in the entry's MultiHeader, {@link #err()} the header's err (0 except for
 * {@link ErrorResult}); {@link #write} writes the body that follows the header.
 */
public sealed interface OpResult extends JuteRecord {
  int type();

  default int err() {
    return 0;
  }

  /** Decodes the body that follows a MultiHeader of {@code type}. */
  static OpResult read(int type, JuteReader r) {
    return switch (type) {
      case OpCode.CREATE -> CreateResult.read(r);
      case OpCode.CREATE2 -> Create2Result.read(r);
      case OpCode.DELETE -> new DeleteResult();
      case OpCode.SET_DATA -> SetDataResult.read(r);
      case OpCode.CHECK -> new CheckResult();
      case OpCode.GET_DATA -> GetDataResult.read(r);
      case OpCode.GET_CHILDREN -> GetChildrenResult.read(r);
      case OpCode.ERROR -> ErrorResult.read(r);
      default -> throw new JuteException("unknown multi result type " + type);
    };
  }

  /** Result of a create (1) sub-op: the created path. */
  record CreateResult(String path) implements OpResult {
    @Override
    public int type() {
      return OpCode.CREATE;
    }

    @Override
    public void write(JuteWriter w) {
      w.writeString(path);
    }

    public static CreateResult read(JuteReader r) {
      return new CreateResult(r.readString());
    }
  }

  /** Result of a create2, createContainer or createTTL sub-op (all reported as type 15). */
  record Create2Result(String path, Stat stat) implements OpResult {
    public Create2Result {
      Objects.requireNonNull(stat, "stat");
    }

    @Override
    public int type() {
      return OpCode.CREATE2;
    }

    @Override
    public void write(JuteWriter w) {
      w.writeString(path);
      stat.write(w);
    }

    public static Create2Result read(JuteReader r) {
      return new Create2Result(r.readString(), Stat.read(r));
    }
  }

  /** Result of a delete sub-op; no body. */
  record DeleteResult() implements OpResult {
    @Override
    public int type() {
      return OpCode.DELETE;
    }

    @Override
    public void write(JuteWriter w) {
      // no body
    }
  }

  /** Result of a setData sub-op: the node's new Stat. */
  record SetDataResult(Stat stat) implements OpResult {
    public SetDataResult {
      Objects.requireNonNull(stat, "stat");
    }

    @Override
    public int type() {
      return OpCode.SET_DATA;
    }

    @Override
    public void write(JuteWriter w) {
      stat.write(w);
    }

    public static SetDataResult read(JuteReader r) {
      return new SetDataResult(Stat.read(r));
    }
  }

  /** Result of a check sub-op; no body. */
  record CheckResult() implements OpResult {
    @Override
    public int type() {
      return OpCode.CHECK;
    }

    @Override
    public void write(JuteWriter w) {
      // no body
    }
  }

  /** Result of a getData sub-op (multiRead only). */
  record GetDataResult(byte[] data, Stat stat) implements OpResult {
    public GetDataResult {
      Objects.requireNonNull(stat, "stat");
    }

    @Override
    public int type() {
      return OpCode.GET_DATA;
    }

    @Override
    public void write(JuteWriter w) {
      w.writeBuffer(data);
      stat.write(w);
    }

    public static GetDataResult read(JuteReader r) {
      return new GetDataResult(r.readBuffer(), Stat.read(r));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GetDataResult x && Arrays.equals(data, x.data) && stat.equals(x.stat);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(data) + stat.hashCode();
    }

    @Override
    public String toString() {
      return "GetDataResult[data=" + Bytes.describe(data) + ", stat=" + stat + "]";
    }
  }

  /** Result of a getChildren sub-op (multiRead only). */
  record GetChildrenResult(List<String> children) implements OpResult {
    @Override
    public int type() {
      return OpCode.GET_CHILDREN;
    }

    @Override
    public void write(JuteWriter w) {
      w.writeStringList(children);
    }

    public static GetChildrenResult read(JuteReader r) {
      return new GetChildrenResult(r.readStringList());
    }
  }

  /**
   * A failed (or rolled-back) sub-op, type -1. The code travels twice: in the MultiHeader's err
   * and as an ErrorResponse body. On read the body wins, as in ZooKeeper's client.
   */
  record ErrorResult(int err) implements OpResult {
    @Override
    public int type() {
      return OpCode.ERROR;
    }

    @Override
    public void write(JuteWriter w) {
      w.writeInt(err);
    }

    public static ErrorResult read(JuteReader r) {
      return new ErrorResult(r.readInt());
    }
  }
}
