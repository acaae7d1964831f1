package io.warden.protocol;

/**
 * Decodes the success body that follows a {@link ReplyHeader} with {@code err == 0}, by the
 * opcode of the request it answers (reference §5). Returns {@code null} for opcodes whose reply
 * is header-only. After a non-zero err there is never a body (§4): don't call this.
 *
 * <p>Opcode 0 (notification, xid −1) decodes to a {@link WatcherEvent}, so a client can route
 * every frame through one call. Multi results are decoded by their own result types (§8.2).
 * Opcodes a client cannot have sent throw {@link UnknownOpcodeException}.
 */
public final class Responses {
  private Responses() {
  }

  public static JuteRecord decode(int opcode, JuteReader r) {
    return switch (opcode) {
      case OpCode.NOTIFICATION -> WatcherEvent.read(r);
      case OpCode.CREATE -> CreateResponse.read(r);
      case OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL -> Create2Response.read(r);
      case OpCode.EXISTS -> ExistsResponse.read(r);
      case OpCode.GET_DATA, OpCode.RECONFIG -> GetDataResponse.read(r);
      case OpCode.SET_DATA -> SetDataResponse.read(r);
      case OpCode.GET_ACL -> GetAclResponse.read(r);
      case OpCode.SET_ACL -> SetAclResponse.read(r);
      case OpCode.GET_CHILDREN -> GetChildrenResponse.read(r);
      case OpCode.GET_CHILDREN2 -> GetChildren2Response.read(r);
      case OpCode.SYNC -> SyncResponse.read(r);
      case OpCode.MULTI, OpCode.MULTI_READ -> MultiResponse.read(r);
      case OpCode.SASL -> SetSaslResponse.read(r);
      case OpCode.GET_EPHEMERALS -> GetEphemeralsResponse.read(r);
      case OpCode.GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberResponse.read(r);
      case OpCode.ADD_WATCH -> ErrorResponse.read(r);
      case OpCode.WHO_AM_I -> WhoAmIResponse.read(r);
      case OpCode.DELETE, OpCode.PING, OpCode.CHECK, OpCode.CHECK_WATCHES,
          OpCode.REMOVE_WATCHES, OpCode.DELETE_CONTAINER, OpCode.AUTH, OpCode.SET_WATCHES,
          OpCode.SET_WATCHES2, OpCode.CLOSE_SESSION -> null;
      default -> throw new UnknownOpcodeException(opcode);
    };
  }
}
