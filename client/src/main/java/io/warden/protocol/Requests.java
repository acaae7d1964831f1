package io.warden.protocol;

/**
 * Decodes the body that follows a {@link RequestHeader}, by opcode (reference §5).
 *
 * <p>Outcomes, and what the server makes of them:
 * <ul>
 *   <li>the typed request record, or {@code null} for the bodiless opcodes ping (11),
 *       closeSession (−11) and whoAmI (107);</li>
 *   <li>{@link UnknownOpcodeException} for an opcode outside the table, and for 0
 *       (notification), −1 (error) and −10 (createSession), which a client never sends:
 *       answer Unimplemented, then close;</li>
 *   <li>{@link JuteException} for a body that cannot be decoded: answer MarshallingError. This
 *       includes the cases §7.13, §7.21 and §8.1 call MarshallingError: an unknown
 *       {@link WatcherType} or {@link AddWatchMode}, a multi with an unknown sub-op or mixed
 *       kinds, read sub-ops in multi (14) and write sub-ops in multiRead (22).</li>
 * </ul>
 * Deliberately not checked here: create flags, TTLs, paths and ACLs (they are BadArguments or
 * InvalidACL, in the order §7 prescribes), and whether a stand-alone check (13) is allowed —
 * it decodes to a {@link CheckVersionRequest}; 3.9.3+ servers reject it with Unimplemented +
 * close, which is the server's policy to apply. Trailing bytes after a record are ignored (§1).
 */
public final class Requests {
  private Requests() {
  }

  public static JuteRecord decode(int opcode, JuteReader r) {
    return switch (opcode) {
      case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER -> CreateRequest.read(r);
      case OpCode.CREATE_TTL -> CreateTtlRequest.read(r);
      case OpCode.DELETE -> DeleteRequest.read(r);
      case OpCode.EXISTS -> ExistsRequest.read(r);
      case OpCode.GET_DATA -> GetDataRequest.read(r);
      case OpCode.SET_DATA -> SetDataRequest.read(r);
      case OpCode.GET_ACL -> GetAclRequest.read(r);
      case OpCode.SET_ACL -> SetAclRequest.read(r);
      case OpCode.GET_CHILDREN -> GetChildrenRequest.read(r);
      case OpCode.GET_CHILDREN2 -> GetChildren2Request.read(r);
      case OpCode.SYNC -> SyncRequest.read(r);
      case OpCode.CHECK -> CheckVersionRequest.read(r);
      case OpCode.MULTI -> readMulti(r, false);
      case OpCode.MULTI_READ -> readMulti(r, true);
      case OpCode.RECONFIG -> ReconfigRequest.read(r);
      case OpCode.CHECK_WATCHES -> readCheckWatches(r);
      case OpCode.REMOVE_WATCHES -> readRemoveWatches(r);
      case OpCode.DELETE_CONTAINER -> DeleteContainerRequest.read(r);
      case OpCode.AUTH -> AuthPacket.read(r);
      case OpCode.SET_WATCHES -> SetWatches.read(r);
      case OpCode.SET_WATCHES2 -> SetWatches2.read(r);
      case OpCode.SASL -> GetSaslRequest.read(r);
      case OpCode.GET_EPHEMERALS -> GetEphemeralsRequest.read(r);
      case OpCode.GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberRequest.read(r);
      case OpCode.ADD_WATCH -> readAddWatch(r);
      case OpCode.PING, OpCode.CLOSE_SESSION, OpCode.WHO_AM_I -> null;
      default -> throw new UnknownOpcodeException(opcode);
    };
  }

  private static MultiRequest readMulti(JuteReader r, boolean readOps) {
    MultiRequest multi = MultiRequest.read(r);
    if (!multi.ops().isEmpty() && multi.isRead() != readOps) {
      throw new JuteException((readOps ? "multiRead" : "multi") + " carries "
          + (readOps ? "write" : "read") + " sub-ops");
    }
    return multi;
  }

  private static CheckWatchesRequest readCheckWatches(JuteReader r) {
    CheckWatchesRequest request = CheckWatchesRequest.read(r);
    requireWatcherType(request.type());
    return request;
  }

  private static RemoveWatchesRequest readRemoveWatches(JuteReader r) {
    RemoveWatchesRequest request = RemoveWatchesRequest.read(r);
    requireWatcherType(request.type());
    return request;
  }

  private static void requireWatcherType(int type) {
    if (WatcherType.of(type) == null) {
      throw new JuteException("unknown watcher type " + type);
    }
  }

  private static AddWatchRequest readAddWatch(JuteReader r) {
    AddWatchRequest request = AddWatchRequest.read(r);
    if (AddWatchMode.of(request.mode()) == null) {
      throw new JuteException("unknown addWatch mode " + request.mode());
    }
    return request;
  }
}
