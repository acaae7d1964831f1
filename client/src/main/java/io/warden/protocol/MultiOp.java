package io.warden.protocol;

import java.util.Objects;

/**
 * One sub-operation of a multi (14) or multiRead (22) request (reference §8.1): its opcode and
 * its request record. The constructor insists that the record is the one the opcode carries on
 * the wire, so an op that could not be decoded back identically cannot be built.
 */
public record MultiOp(int type, JuteRecord request) {
  public MultiOp {
    Objects.requireNonNull(request, "request");
    Class<?> expected = recordClass(type);
    if (expected == null) {
      throw new IllegalArgumentException("opcode " + type + " is not a multi sub-op");
    }
    if (!expected.isInstance(request)) {
      throw new IllegalArgumentException("sub-op " + OpCode.name(type) + " carries a "
          + expected.getSimpleName() + ", not a " + request.getClass().getSimpleName());
    }
  }

  /** True for the sub-ops allowed in multi (14): create*, delete, setData, check. */
  public static boolean isWriteType(int type) {
    return switch (type) {
      case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL,
          OpCode.DELETE, OpCode.SET_DATA, OpCode.CHECK -> true;
      default -> false;
    };
  }

  /** True for the sub-ops allowed in multiRead (22): getData, getChildren. */
  public static boolean isReadType(int type) {
    return type == OpCode.GET_DATA || type == OpCode.GET_CHILDREN;
  }

  public boolean isRead() {
    return isReadType(type);
  }

  /** Decodes the sub-request that follows a MultiHeader of {@code type}. */
  static MultiOp read(int type, JuteReader r) {
    JuteRecord request = switch (type) {
      case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.read(r);
      case OpCode.CREATE_TTL -> CreateTtlRequest.read(r);
      case OpCode.DELETE -> DeleteRequest.read(r);
      case OpCode.SET_DATA -> SetDataRequest.read(r);
      case OpCode.CHECK -> CheckVersionRequest.read(r);
      case OpCode.GET_DATA -> GetDataRequest.read(r);
      case OpCode.GET_CHILDREN -> GetChildrenRequest.read(r);
      default -> throw new JuteException("opcode " + type + " is not a multi sub-op");
    };
    return new MultiOp(type, request);
  }

  private static Class<?> recordClass(int type) {
    return switch (type) {
      case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.class;
      case OpCode.CREATE_TTL -> CreateTtlRequest.class;
      case OpCode.DELETE -> DeleteRequest.class;
      case OpCode.SET_DATA -> SetDataRequest.class;
      case OpCode.CHECK -> CheckVersionRequest.class;
      case OpCode.GET_DATA -> GetDataRequest.class;
      case OpCode.GET_CHILDREN -> GetChildrenRequest.class;
      default -> null;
    };
  }
}
