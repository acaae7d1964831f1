package io.warden.protocol;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.protocol.Samples.Sample;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Requests} and {@link Responses} follow the opcode table of reference §5 exactly. */
class DispatchTest {
  private static final Stat STAT = new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
  private static final CreateRequest CREATE =
      new CreateRequest("/a", new byte[] {1}, Acl.OPEN_ACL_UNSAFE, 0);

  /** §5, column "Request record", one example body per opcode. */
  private static final Map<Integer, JuteRecord> REQUEST_BODIES = Map.ofEntries(
      entry(1, CREATE),
      entry(2, new DeleteRequest("/a", -1)),
      entry(3, new ExistsRequest("/a", true)),
      entry(4, new GetDataRequest("/a", false)),
      entry(5, new SetDataRequest("/a", new byte[] {2}, 3)),
      entry(6, new GetAclRequest("/a")),
      entry(7, new SetAclRequest("/a", Acl.READ_ACL_UNSAFE, 0)),
      entry(8, new GetChildrenRequest("/a", true)),
      entry(9, new SyncRequest("/a")),
      entry(12, new GetChildren2Request("/a", false)),
      entry(13, new CheckVersionRequest("/a", 4)),
      entry(14, new MultiRequest(List.of(new MultiOp(1, CREATE),
          new MultiOp(13, new CheckVersionRequest("/b", 1))))),
      entry(15, CREATE),
      entry(16, new ReconfigRequest("server.4=h:1:2;3", null, null, -1)),
      entry(17, new CheckWatchesRequest("/a", 1)),
      entry(18, new RemoveWatchesRequest("/a", 3)),
      entry(19, new CreateRequest("/c", null, Acl.OPEN_ACL_UNSAFE, 4)),
      entry(20, new DeleteContainerRequest("/c".getBytes(StandardCharsets.UTF_8))),
      entry(21, new CreateTtlRequest("/t", new byte[0], Acl.OPEN_ACL_UNSAFE, 5, 1000)),
      entry(22, new MultiRequest(List.of(new MultiOp(4, new GetDataRequest("/a", false)),
          new MultiOp(8, new GetChildrenRequest("/b", false))))),
      entry(100, new AuthPacket(0, "digest", "u:p".getBytes(StandardCharsets.UTF_8))),
      entry(101, new SetWatches(7, List.of("/a"), List.of(), List.of("/b"))),
      entry(102, new GetSaslRequest(new byte[0])),
      entry(103, new GetEphemeralsRequest("/")),
      entry(104, new GetAllChildrenNumberRequest("/a")),
      entry(105, new SetWatches2(7, List.of(), List.of(), List.of(), List.of("/p"),
          List.of("/r"))),
      entry(106, new AddWatchRequest("/a", 1)));
  private static final Set<Integer> BODILESS_REQUESTS = Set.of(11, -11, 107);

  /** §5, column "Success response record". */
  private static final Map<Integer, JuteRecord> RESPONSE_BODIES = Map.ofEntries(
      entry(0, new WatcherEvent(3, 3, "/a")),
      entry(1, new CreateResponse("/a")),
      entry(3, new ExistsResponse(STAT)),
      entry(4, new GetDataResponse(null, STAT)),
      entry(5, new SetDataResponse(STAT)),
      entry(6, new GetAclResponse(Acl.OPEN_ACL_UNSAFE, STAT)),
      entry(7, new SetAclResponse(STAT)),
      entry(8, new GetChildrenResponse(List.of("x", "y"))),
      entry(9, new SyncResponse("/a")),
      entry(12, new GetChildren2Response(List.of(), STAT)),
      entry(14, new MultiResponse(List.of(new OpResult.CreateResult("/a"),
          new OpResult.CheckResult()))),
      entry(15, new Create2Response("/a", STAT)),
      entry(16, new GetDataResponse("server.1=h:1:2".getBytes(StandardCharsets.UTF_8), STAT)),
      entry(19, new Create2Response("/c", STAT)),
      entry(21, new Create2Response("/t", STAT)),
      entry(22, new MultiResponse(List.of(new OpResult.GetDataResult(new byte[] {1}, STAT),
          new OpResult.ErrorResult(-101)))),
      entry(102, new SetSaslResponse(new byte[] {9})),
      entry(103, new GetEphemeralsResponse(List.of("/e"))),
      entry(104, new GetAllChildrenNumberResponse(12)),
      entry(106, new ErrorResponse(0)),
      entry(107, new WhoAmIResponse(List.of(new ClientInfo("ip", "127.0.0.1")))));
  private static final Set<Integer> BODILESS_RESPONSES =
      Set.of(2, 11, 13, 17, 18, 20, 100, 101, 105, -11);

  private static final List<Integer> PROBED = IntStream.concat(IntStream.rangeClosed(-300, 300),
      IntStream.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0x72756f6b)).boxed().toList();

  @Example
  void requestsDecodeExactlyTheOpcodesOfTheTable() {
    for (int op : PROBED) {
      if (REQUEST_BODIES.containsKey(op)) {
        JuteRecord body = REQUEST_BODIES.get(op);
        assertThat(Requests.decode(op, new JuteReader(body.toBytes()))).as("opcode %d", op)
            .isEqualTo(body);
      } else if (BODILESS_REQUESTS.contains(op)) {
        assertThat(Requests.decode(op, new JuteReader(new byte[0]))).as("opcode %d", op).isNull();
      } else {
        assertThatThrownBy(() -> Requests.decode(op, new JuteReader(new byte[64])))
            .as("opcode %d", op).isInstanceOfSatisfying(UnknownOpcodeException.class,
                e -> assertThat(e.opcode()).isEqualTo(op));
      }
    }
  }

  @Example
  void responsesDecodeExactlyTheOpcodesOfTheTable() {
    for (int op : PROBED) {
      if (RESPONSE_BODIES.containsKey(op)) {
        JuteRecord body = RESPONSE_BODIES.get(op);
        assertThat(Responses.decode(op, new JuteReader(body.toBytes()))).as("opcode %d", op)
            .isEqualTo(body);
      } else if (BODILESS_RESPONSES.contains(op)) {
        assertThat(Responses.decode(op, new JuteReader(new byte[0]))).as("opcode %d", op)
            .isNull();
      } else {
        assertThatThrownBy(() -> Responses.decode(op, new JuteReader(new byte[64])))
            .as("opcode %d", op).isInstanceOfSatisfying(UnknownOpcodeException.class,
                e -> assertThat(e.opcode()).isEqualTo(op));
      }
    }
  }

  /** Random bodies through the dispatcher: the record comes back, or an enum value is refused. */
  @Property(tries = 2000)
  void requestsDecodeToTheSameRecord(@ForAll("requestSamples") Sample s) {
    for (int op : s.kind().requestOps()) {
      JuteReader r = new JuteReader(s.bytes());
      if (hasValidEnums(s.value())) {
        assertThat(Requests.decode(op, r)).isEqualTo(s.value());
      } else {
        assertThatThrownBy(() -> Requests.decode(op, r)).isExactlyInstanceOf(JuteException.class);
      }
    }
  }

  @Property(tries = 2000)
  void responsesDecodeToTheSameRecord(@ForAll("responseSamples") Sample s) {
    for (int op : s.kind().responseOps()) {
      assertThat(Responses.decode(op, new JuteReader(s.bytes()))).isEqualTo(s.value());
    }
  }

  @Example
  void trailingBytesAfterARecordAreIgnored() {
    JuteWriter w = new JuteWriter().writeRecord(new SyncRequest("/a")).writeInt(42);
    assertThat(Requests.decode(OpCode.SYNC, new JuteReader(w.toByteArray())))
        .isEqualTo(new SyncRequest("/a"));
  }

  @Provide
  Arbitrary<Sample> requestSamples() {
    return Arbitraries.of(Samples.ALL.stream().filter(k -> !k.requestOps().isEmpty()).toList())
        .flatMap(Samples.Kind::samples);
  }

  @Provide
  Arbitrary<Sample> responseSamples() {
    return Arbitraries.of(Samples.ALL.stream().filter(k -> !k.responseOps().isEmpty()).toList())
        .flatMap(Samples.Kind::samples);
  }

  private static boolean hasValidEnums(JuteRecord r) {
    if (r instanceof CheckWatchesRequest c) {
      return WatcherType.of(c.type()) != null;
    } else if (r instanceof RemoveWatchesRequest c) {
      return WatcherType.of(c.type()) != null;
    } else if (r instanceof AddWatchRequest a) {
      return AddWatchMode.of(a.mode()) != null;
    }
    return true;
  }
}
