package io.warden.protocol;

import static io.warden.protocol.Gen.aclLists;
import static io.warden.protocol.Gen.bools;
import static io.warden.protocol.Gen.buffers;
import static io.warden.protocol.Gen.ints;
import static io.warden.protocol.Gen.longs;
import static io.warden.protocol.Gen.mostlyValid;
import static io.warden.protocol.Gen.stats;
import static io.warden.protocol.Gen.stringLists;
import static io.warden.protocol.Gen.strings;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.compat.ProtocolManager;

/**
 * Every record of the codec, once: how to generate it, how to read it, and what ZooKeeper makes
 * of it. Tests iterate over {@link #ALL}, so a record added here is covered by all of them.
 */
final class Samples {
  private Samples() {
  }

  /**
   * One record type. {@code oracle} gives ZooKeeper's encoding of a value; {@code oracleReencode}
   * lets ZooKeeper parse bytes and write them back (it must consume every byte).
   */
  record Kind<T extends JuteRecord>(
      String name,
      Class<T> type,
      Arbitrary<T> gen,
      JuteReader.RecordDecoder<T> reader,
      Function<T, byte[]> oracle,
      UnaryOperator<byte[]> oracleReencode,
      Set<Integer> requestOps,
      Set<Integer> responseOps) {

    byte[] oracleBytes(JuteRecord value) {
      return oracle.apply(type.cast(value));
    }

    Kind<T> requests(Integer... ops) {
      return new Kind<>(name, type, gen, reader, oracle, oracleReencode, Set.of(ops), responseOps);
    }

    Kind<T> responses(Integer... ops) {
      return new Kind<>(name, type, gen, reader, oracle, oracleReencode, requestOps, Set.of(ops));
    }

    Arbitrary<Sample> samples() {
      return gen.map(v -> new Sample(this, v));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  record Sample(Kind<?> kind, JuteRecord value) {
    byte[] bytes() {
      return value.toBytes();
    }

    JuteRecord read(byte[] b, int len) {
      return kind.reader().read(new JuteReader(b, 0, len, JuteReader.DEFAULT_MAX_BUFFER_BYTES));
    }

    @Override
    public String toString() {
      return kind.name() + ": " + value;
    }
  }

  static Arbitrary<Sample> samples() {
    return Arbitraries.of(ALL).flatMap(Kind::samples);
  }

  /** A kind whose oracle is a plain ZooKeeper record. */
  static <T extends JuteRecord> Kind<T> kind(Class<T> type, Arbitrary<T> gen,
      JuteReader.RecordDecoder<T> reader, Function<T, Record> toZk, Supplier<Record> blank) {
    return new Kind<>(type.getSimpleName(), type, gen, reader, v -> Zk.bytes(toZk.apply(v)),
        b -> Zk.bytes(Zk.parseRecord(b, blank.get())), Set.of(), Set.of());
  }

  static final List<Kind<?>> ALL = List.of(
      connectRequests(),
      connectResponses(),
      kind(RequestHeader.class, Combinators.combine(ints(), ints()).as(RequestHeader::new),
          RequestHeader::read,
          v -> new org.apache.zookeeper.proto.RequestHeader(v.xid(), v.type()),
          org.apache.zookeeper.proto.RequestHeader::new),
      kind(ReplyHeader.class,
          Combinators.combine(ints(), longs(), ints()).as(ReplyHeader::new), ReplyHeader::read,
          v -> new org.apache.zookeeper.proto.ReplyHeader(v.xid(), v.zxid(), v.err()),
          org.apache.zookeeper.proto.ReplyHeader::new),
      kind(Stat.class, stats(), Stat::read, Zk::stat, org.apache.zookeeper.data.Stat::new),
      kind(Id.class, Gen.ids(), Id::read, Zk::id, org.apache.zookeeper.data.Id::new),
      kind(Acl.class, Gen.acls(), Acl::read, Zk::acl, org.apache.zookeeper.data.ACL::new),
      kind(ClientInfo.class, Gen.clientInfos(), ClientInfo::read, Zk::clientInfo,
          org.apache.zookeeper.data.ClientInfo::new),
      kind(MultiHeader.class,
          Combinators.combine(ints(), bools(), ints()).as(MultiHeader::new), MultiHeader::read,
          v -> new org.apache.zookeeper.proto.MultiHeader(v.type(), v.done(), v.err()),
          org.apache.zookeeper.proto.MultiHeader::new),

      // requests (§5, §7)
      kind(CreateRequest.class, Gen.createRequests(), CreateRequest::read, Zk::create,
          org.apache.zookeeper.proto.CreateRequest::new)
          .requests(OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER),
      kind(CreateTtlRequest.class, Gen.createTtlRequests(), CreateTtlRequest::read, Zk::createTtl,
          org.apache.zookeeper.proto.CreateTTLRequest::new).requests(OpCode.CREATE_TTL),
      kind(DeleteRequest.class, Gen.deleteRequests(), DeleteRequest::read,
          v -> new org.apache.zookeeper.proto.DeleteRequest(v.path(), v.version()),
          org.apache.zookeeper.proto.DeleteRequest::new).requests(OpCode.DELETE),
      kind(ExistsRequest.class, Combinators.combine(strings(), bools()).as(ExistsRequest::new),
          ExistsRequest::read,
          v -> new org.apache.zookeeper.proto.ExistsRequest(v.path(), v.watch()),
          org.apache.zookeeper.proto.ExistsRequest::new).requests(OpCode.EXISTS),
      kind(GetDataRequest.class, Gen.getDataRequests(), GetDataRequest::read,
          v -> new org.apache.zookeeper.proto.GetDataRequest(v.path(), v.watch()),
          org.apache.zookeeper.proto.GetDataRequest::new).requests(OpCode.GET_DATA),
      kind(SetDataRequest.class, Gen.setDataRequests(), SetDataRequest::read,
          v -> new org.apache.zookeeper.proto.SetDataRequest(v.path(), v.data(), v.version()),
          org.apache.zookeeper.proto.SetDataRequest::new).requests(OpCode.SET_DATA),
      kind(GetAclRequest.class, strings().map(GetAclRequest::new), GetAclRequest::read,
          v -> new org.apache.zookeeper.proto.GetACLRequest(v.path()),
          org.apache.zookeeper.proto.GetACLRequest::new).requests(OpCode.GET_ACL),
      kind(SetAclRequest.class,
          Combinators.combine(strings(), aclLists(), ints()).as(SetAclRequest::new),
          SetAclRequest::read,
          v -> new org.apache.zookeeper.proto.SetACLRequest(v.path(), Zk.acls(v.acl()),
              v.version()),
          org.apache.zookeeper.proto.SetACLRequest::new).requests(OpCode.SET_ACL),
      kind(GetChildrenRequest.class, Gen.getChildrenRequests(), GetChildrenRequest::read,
          v -> new org.apache.zookeeper.proto.GetChildrenRequest(v.path(), v.watch()),
          org.apache.zookeeper.proto.GetChildrenRequest::new).requests(OpCode.GET_CHILDREN),
      kind(GetChildren2Request.class,
          Combinators.combine(strings(), bools()).as(GetChildren2Request::new),
          GetChildren2Request::read,
          v -> new org.apache.zookeeper.proto.GetChildren2Request(v.path(), v.watch()),
          org.apache.zookeeper.proto.GetChildren2Request::new).requests(OpCode.GET_CHILDREN2),
      kind(SyncRequest.class, strings().map(SyncRequest::new), SyncRequest::read,
          v -> new org.apache.zookeeper.proto.SyncRequest(v.path()),
          org.apache.zookeeper.proto.SyncRequest::new).requests(OpCode.SYNC),
      kind(CheckVersionRequest.class, Gen.checkVersionRequests(), CheckVersionRequest::read,
          v -> new org.apache.zookeeper.proto.CheckVersionRequest(v.path(), v.version()),
          org.apache.zookeeper.proto.CheckVersionRequest::new).requests(OpCode.CHECK),
      kind(ReconfigRequest.class,
          Combinators.combine(strings(), strings(), strings(), longs()).as(ReconfigRequest::new),
          ReconfigRequest::read,
          v -> new org.apache.zookeeper.proto.ReconfigRequest(v.joiningServers(),
              v.leavingServers(), v.newMembers(), v.curConfigId()),
          org.apache.zookeeper.proto.ReconfigRequest::new).requests(OpCode.RECONFIG),
      kind(CheckWatchesRequest.class,
          Combinators.combine(strings(), mostlyValid(1, 5)).as(CheckWatchesRequest::new),
          CheckWatchesRequest::read,
          v -> new org.apache.zookeeper.proto.CheckWatchesRequest(v.path(), v.type()),
          org.apache.zookeeper.proto.CheckWatchesRequest::new).requests(OpCode.CHECK_WATCHES),
      kind(RemoveWatchesRequest.class,
          Combinators.combine(strings(), mostlyValid(1, 5)).as(RemoveWatchesRequest::new),
          RemoveWatchesRequest::read,
          v -> new org.apache.zookeeper.proto.RemoveWatchesRequest(v.path(), v.type()),
          org.apache.zookeeper.proto.RemoveWatchesRequest::new).requests(OpCode.REMOVE_WATCHES),
      deleteContainerRequests(),
      kind(AuthPacket.class,
          Combinators.combine(ints(), strings(), buffers()).as(AuthPacket::new), AuthPacket::read,
          v -> new org.apache.zookeeper.proto.AuthPacket(v.type(), v.scheme(), v.auth()),
          org.apache.zookeeper.proto.AuthPacket::new).requests(OpCode.AUTH),
      kind(SetWatches.class,
          Combinators.combine(longs(), stringLists(), stringLists(), stringLists())
              .as(SetWatches::new),
          SetWatches::read,
          v -> new org.apache.zookeeper.proto.SetWatches(v.relativeZxid(), v.dataWatches(),
              v.existWatches(), v.childWatches()),
          org.apache.zookeeper.proto.SetWatches::new).requests(OpCode.SET_WATCHES),
      kind(SetWatches2.class,
          Combinators.combine(longs(), stringLists(), stringLists(), stringLists(),
              stringLists(), stringLists()).as(SetWatches2::new),
          SetWatches2::read,
          v -> new org.apache.zookeeper.proto.SetWatches2(v.relativeZxid(), v.dataWatches(),
              v.existWatches(), v.childWatches(), v.persistentWatches(),
              v.persistentRecursiveWatches()),
          org.apache.zookeeper.proto.SetWatches2::new).requests(OpCode.SET_WATCHES2),
      kind(GetEphemeralsRequest.class, strings().map(GetEphemeralsRequest::new),
          GetEphemeralsRequest::read,
          v -> new org.apache.zookeeper.proto.GetEphemeralsRequest(v.prefixPath()),
          org.apache.zookeeper.proto.GetEphemeralsRequest::new).requests(OpCode.GET_EPHEMERALS),
      kind(GetAllChildrenNumberRequest.class, strings().map(GetAllChildrenNumberRequest::new),
          GetAllChildrenNumberRequest::read,
          v -> new org.apache.zookeeper.proto.GetAllChildrenNumberRequest(v.path()),
          org.apache.zookeeper.proto.GetAllChildrenNumberRequest::new)
          .requests(OpCode.GET_ALL_CHILDREN_NUMBER),
      kind(AddWatchRequest.class,
          Combinators.combine(strings(), mostlyValid(0, 1)).as(AddWatchRequest::new),
          AddWatchRequest::read,
          v -> new org.apache.zookeeper.proto.AddWatchRequest(v.path(), v.mode()),
          org.apache.zookeeper.proto.AddWatchRequest::new).requests(OpCode.ADD_WATCH),
      kind(GetSaslRequest.class, buffers().map(GetSaslRequest::new), GetSaslRequest::read,
          v -> new org.apache.zookeeper.proto.GetSASLRequest(v.token()),
          org.apache.zookeeper.proto.GetSASLRequest::new).requests(OpCode.SASL),
      multiRequests(),

      // responses
      kind(CreateResponse.class, strings().map(CreateResponse::new), CreateResponse::read,
          v -> new org.apache.zookeeper.proto.CreateResponse(v.path()),
          org.apache.zookeeper.proto.CreateResponse::new).responses(OpCode.CREATE),
      kind(Create2Response.class,
          Combinators.combine(strings(), stats()).as(Create2Response::new), Create2Response::read,
          v -> new org.apache.zookeeper.proto.Create2Response(v.path(), Zk.stat(v.stat())),
          org.apache.zookeeper.proto.Create2Response::new)
          .responses(OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL),
      kind(ExistsResponse.class, stats().map(ExistsResponse::new), ExistsResponse::read,
          v -> new org.apache.zookeeper.proto.ExistsResponse(Zk.stat(v.stat())),
          org.apache.zookeeper.proto.ExistsResponse::new).responses(OpCode.EXISTS),
      kind(GetDataResponse.class,
          Combinators.combine(buffers(), stats()).as(GetDataResponse::new), GetDataResponse::read,
          v -> new org.apache.zookeeper.proto.GetDataResponse(v.data(), Zk.stat(v.stat())),
          org.apache.zookeeper.proto.GetDataResponse::new)
          .responses(OpCode.GET_DATA, OpCode.RECONFIG),
      kind(SetDataResponse.class, stats().map(SetDataResponse::new), SetDataResponse::read,
          v -> new org.apache.zookeeper.proto.SetDataResponse(Zk.stat(v.stat())),
          org.apache.zookeeper.proto.SetDataResponse::new).responses(OpCode.SET_DATA),
      kind(GetAclResponse.class,
          Combinators.combine(aclLists(), stats()).as(GetAclResponse::new), GetAclResponse::read,
          v -> new org.apache.zookeeper.proto.GetACLResponse(Zk.acls(v.acl()), Zk.stat(v.stat())),
          org.apache.zookeeper.proto.GetACLResponse::new).responses(OpCode.GET_ACL),
      kind(SetAclResponse.class, stats().map(SetAclResponse::new), SetAclResponse::read,
          v -> new org.apache.zookeeper.proto.SetACLResponse(Zk.stat(v.stat())),
          org.apache.zookeeper.proto.SetACLResponse::new).responses(OpCode.SET_ACL),
      kind(GetChildrenResponse.class, stringLists().map(GetChildrenResponse::new),
          GetChildrenResponse::read,
          v -> new org.apache.zookeeper.proto.GetChildrenResponse(v.children()),
          org.apache.zookeeper.proto.GetChildrenResponse::new).responses(OpCode.GET_CHILDREN),
      kind(GetChildren2Response.class,
          Combinators.combine(stringLists(), stats()).as(GetChildren2Response::new),
          GetChildren2Response::read,
          v -> new org.apache.zookeeper.proto.GetChildren2Response(v.children(),
              Zk.stat(v.stat())),
          org.apache.zookeeper.proto.GetChildren2Response::new)
          .responses(OpCode.GET_CHILDREN2),
      kind(SyncResponse.class, strings().map(SyncResponse::new), SyncResponse::read,
          v -> new org.apache.zookeeper.proto.SyncResponse(v.path()),
          org.apache.zookeeper.proto.SyncResponse::new).responses(OpCode.SYNC),
      kind(ErrorResponse.class, ints().map(ErrorResponse::new), ErrorResponse::read,
          v -> new org.apache.zookeeper.proto.ErrorResponse(v.err()),
          org.apache.zookeeper.proto.ErrorResponse::new).responses(OpCode.ADD_WATCH),
      kind(GetEphemeralsResponse.class, stringLists().map(GetEphemeralsResponse::new),
          GetEphemeralsResponse::read,
          v -> new org.apache.zookeeper.proto.GetEphemeralsResponse(v.ephemerals()),
          org.apache.zookeeper.proto.GetEphemeralsResponse::new)
          .responses(OpCode.GET_EPHEMERALS),
      kind(GetAllChildrenNumberResponse.class, ints().map(GetAllChildrenNumberResponse::new),
          GetAllChildrenNumberResponse::read,
          v -> new org.apache.zookeeper.proto.GetAllChildrenNumberResponse(v.totalNumber()),
          org.apache.zookeeper.proto.GetAllChildrenNumberResponse::new)
          .responses(OpCode.GET_ALL_CHILDREN_NUMBER),
      kind(WhoAmIResponse.class,
          Gen.clientInfos().list().ofMaxSize(6).injectNull(0.1).map(WhoAmIResponse::new),
          WhoAmIResponse::read,
          v -> new org.apache.zookeeper.proto.WhoAmIResponse(v.clientInfo() == null ? null
              : v.clientInfo().stream().map(Zk::clientInfo).toList()),
          org.apache.zookeeper.proto.WhoAmIResponse::new).responses(OpCode.WHO_AM_I),
      kind(SetSaslResponse.class, buffers().map(SetSaslResponse::new), SetSaslResponse::read,
          v -> new org.apache.zookeeper.proto.SetSASLResponse(v.token()),
          org.apache.zookeeper.proto.SetSASLResponse::new).responses(OpCode.SASL),
      kind(WatcherEvent.class,
          Combinators.combine(ints(), ints(), strings()).as(WatcherEvent::new), WatcherEvent::read,
          v -> new org.apache.zookeeper.proto.WatcherEvent(v.type(), v.state(), v.path()),
          org.apache.zookeeper.proto.WatcherEvent::new).responses(OpCode.NOTIFICATION),
      multiResponses());

  /**
   * ConnectRequest in both forms. ZooKeeper's 3.9 record always writes the readOnly byte, so the
   * old (≤ 3.3) form is assembled from BinaryOutputArchive primitives, and ZooKeeper's own
   * {@link ProtocolManager} decides which form it parsed.
   */
  private static Kind<ConnectRequest> connectRequests() {
    return new Kind<>("ConnectRequest", ConnectRequest.class, Gen.connectRequests(),
        ConnectRequest::read, Samples::zkConnectRequestBytes, b -> {
          ProtocolManager pm = new ProtocolManager();
          org.apache.zookeeper.proto.ConnectRequest zk = Zk.parse(b, pm::deserializeConnectRequest);
          return zkConnectRequestBytes(new ConnectRequest(zk.getProtocolVersion(),
              zk.getLastZxidSeen(), zk.getTimeOut(), zk.getSessionId(), zk.getPasswd(),
              zk.getReadOnly(), pm.isReadonlyAvailable()));
        }, Set.of(), Set.of());
  }

  private static byte[] zkConnectRequestBytes(ConnectRequest v) {
    if (v.hasReadOnlyByte()) {
      return Zk.bytes(new org.apache.zookeeper.proto.ConnectRequest(v.protocolVersion(),
          v.lastZxidSeen(), v.timeoutMs(), v.sessionId(), v.password(), v.readOnly()));
    }
    return Zk.bytes(a -> {
      a.writeInt(v.protocolVersion(), "protocolVersion");
      a.writeLong(v.lastZxidSeen(), "lastZxidSeen");
      a.writeInt(v.timeoutMs(), "timeOut");
      a.writeLong(v.sessionId(), "sessionId");
      a.writeBuffer(v.password(), "passwd");
    });
  }

  private static Kind<ConnectResponse> connectResponses() {
    return new Kind<>("ConnectResponse", ConnectResponse.class, Gen.connectResponses(),
        ConnectResponse::read, Samples::zkConnectResponseBytes, b -> {
          ProtocolManager pm = new ProtocolManager();
          org.apache.zookeeper.proto.ConnectResponse zk =
              Zk.parse(b, pm::deserializeConnectResponse);
          return zkConnectResponseBytes(new ConnectResponse(zk.getProtocolVersion(),
              zk.getTimeOut(), zk.getSessionId(), zk.getPasswd(), zk.getReadOnly(),
              pm.isReadonlyAvailable()));
        }, Set.of(), Set.of());
  }

  private static byte[] zkConnectResponseBytes(ConnectResponse v) {
    if (v.hasReadOnlyByte()) {
      return Zk.bytes(new org.apache.zookeeper.proto.ConnectResponse(v.protocolVersion(),
          v.timeoutMs(), v.sessionId(), v.password(), v.readOnly()));
    }
    return Zk.bytes(a -> {
      a.writeInt(v.protocolVersion(), "protocolVersion");
      a.writeInt(v.timeoutMs(), "timeOut");
      a.writeLong(v.sessionId(), "sessionId");
      a.writeBuffer(v.password(), "passwd");
    });
  }

  /** ZooKeeper's DeleteContainerRequest holds a String, so the oracle sees UTF-8 paths only. */
  private static Kind<DeleteContainerRequest> deleteContainerRequests() {
    return kind(DeleteContainerRequest.class,
        Gen.paths().map(p -> new DeleteContainerRequest(p.getBytes(StandardCharsets.UTF_8))),
        DeleteContainerRequest::read,
        v -> new org.apache.zookeeper.DeleteContainerRequest(
            new String(v.path(), StandardCharsets.UTF_8)),
        org.apache.zookeeper.DeleteContainerRequest::new).requests(OpCode.DELETE_CONTAINER);
  }

  /**
   * Multi requests with every sub-op type, create2 and watch flags included. ZooKeeper's
   * MultiOperationRecord cannot express those (its Op factory derives the opcode from the flags
   * and never sets watch), so this oracle assembles the bytes from ZooKeeper's MultiHeader and
   * sub-request records; {@code MultiCodecTest} also checks MultiOperationRecord on the subset it
   * can express.
   */
  private static Kind<MultiRequest> multiRequests() {
    return new Kind<>("MultiRequest", MultiRequest.class, Gen.multiRequests(), MultiRequest::read,
        v -> Zk.bytes(a -> {
          for (MultiOp op : v.ops()) {
            new org.apache.zookeeper.proto.MultiHeader(op.type(), false, -1).serialize(a, "h");
            Zk.subRequest(op.request()).serialize(a, "op");
          }
          new org.apache.zookeeper.proto.MultiHeader(-1, true, -1).serialize(a, "h");
        }),
        b -> Zk.parse(b, a -> Zk.bytes(out -> copyMultiRequest(a, out))), Set.of(), Set.of());
  }

  private static void copyMultiRequest(org.apache.jute.BinaryInputArchive in,
      BinaryOutputArchive out) throws java.io.IOException {
    org.apache.zookeeper.proto.MultiHeader h = new org.apache.zookeeper.proto.MultiHeader();
    for (h.deserialize(in, "h"); !h.getDone(); h.deserialize(in, "h")) {
      Record op = Zk.blankSubRequest(h.getType());
      op.deserialize(in, "op");
      h.serialize(out, "h");
      op.serialize(out, "op");
    }
    h.serialize(out, "h");
  }

  private static Kind<MultiResponse> multiResponses() {
    return kind(MultiResponse.class, Gen.multiResponses(), MultiResponse::read,
        Zk::multiResponse, org.apache.zookeeper.MultiResponse::new)
        .responses(OpCode.MULTI, OpCode.MULTI_READ);
  }
}
