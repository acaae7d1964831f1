package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.Op;

/** multi (14) and multiRead (22) beyond the generic golden tests: §8.1 rules and ZK's classes. */
class MultiCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final MultiOp CREATE = new MultiOp(OpCode.CREATE,
      new CreateRequest("/a", new byte[0], Acl.OPEN_ACL_UNSAFE, 0));
  private static final MultiOp GET_DATA =
      new MultiOp(OpCode.GET_DATA, new GetDataRequest("/a", false));

  /**
   * Against ZooKeeper's own MultiOperationRecord, for the ops its {@link Op} factory can build
   * (it picks the opcode from the create mode and never sets a watch).
   */
  @Property(tries = 1000)
  void matchesMultiOperationRecord(@ForAll("zkExpressibleOps") List<Tuple2<MultiOp, Op>> ops) {
    MultiRequest ours = new MultiRequest(ops.stream().map(Tuple2::get1).toList());
    MultiOperationRecord theirs = new MultiOperationRecord(ops.stream().map(Tuple2::get2).toList());
    byte[] ourBytes = ours.toBytes();

    assertThat(HEX.formatHex(ourBytes)).isEqualTo(HEX.formatHex(Zk.bytes(theirs)));
    assertThat(MultiRequest.read(new JuteReader(Zk.bytes(theirs)))).isEqualTo(ours);
    MultiOperationRecord parsed = Zk.parseRecord(ourBytes, new MultiOperationRecord());
    assertThat(HEX.formatHex(Zk.bytes(parsed))).isEqualTo(HEX.formatHex(ourBytes));
  }

  @Example
  void emptyOpListsAreLegalInBothOpcodes() {
    byte[] endOnly = HEX.parseHex("ffffffff" + "01" + "ffffffff");
    assertThat(new MultiRequest(List.of()).toBytes()).isEqualTo(endOnly);
    assertThat(Requests.decode(OpCode.MULTI, new JuteReader(endOnly)))
        .isEqualTo(new MultiRequest(List.of()));
    assertThat(Requests.decode(OpCode.MULTI_READ, new JuteReader(endOnly)))
        .isEqualTo(new MultiRequest(List.of()));
    assertThat(new MultiResponse(List.of()).toBytes()).isEqualTo(endOnly);
  }

  @Example
  void multiAcceptsOnlyWriteSubOpsAndMultiReadOnlyReads() {
    byte[] writes = new MultiRequest(List.of(CREATE)).toBytes();
    byte[] reads = new MultiRequest(List.of(GET_DATA)).toBytes();

    assertThat(Requests.decode(OpCode.MULTI, new JuteReader(writes))).isNotNull();
    assertThat(Requests.decode(OpCode.MULTI_READ, new JuteReader(reads))).isNotNull();
    assertThatThrownBy(() -> Requests.decode(OpCode.MULTI, new JuteReader(reads)))
        .isExactlyInstanceOf(JuteException.class).hasMessageContaining("read sub-ops");
    assertThatThrownBy(() -> Requests.decode(OpCode.MULTI_READ, new JuteReader(writes)))
        .isExactlyInstanceOf(JuteException.class).hasMessageContaining("write sub-ops");
  }

  /** Mixed kinds are refused by us and, identically, by ZooKeeper's MultiOperationRecord. */
  @Example
  void mixedSubOpsAreRejected() {
    for (List<MultiOp> ops : List.of(List.of(CREATE, GET_DATA), List.of(GET_DATA, CREATE))) {
      byte[] mixed = handAssembled(ops);
      for (int opcode : new int[] {OpCode.MULTI, OpCode.MULTI_READ}) {
        assertThatThrownBy(() -> Requests.decode(opcode, new JuteReader(mixed)))
            .isExactlyInstanceOf(JuteException.class).hasMessageContaining("mixes");
      }
      assertThatThrownBy(() -> Zk.parseRecord(mixed, new MultiOperationRecord()))
          .isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(() -> new MultiRequest(ops))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Example
  void unknownSubOpTypesAreRejected() {
    int[] notSubOps = {0, 3, 6, 7, 9, 11, 12, 14, 16, 17, 20, 22, 100, 107, -1, -11,
        Integer.MIN_VALUE, Integer.MAX_VALUE};
    for (int type : notSubOps) {
      // a plausible body follows, so only the type can be the reason for the refusal
      byte[] b = HEX.parseHex("%08x".formatted(type) + "00" + "ffffffff"
          + "000000022f61" + "00" + "ffffffff01ffffffff");
      for (int opcode : new int[] {OpCode.MULTI, OpCode.MULTI_READ}) {
        assertThatThrownBy(() -> Requests.decode(opcode, new JuteReader(b))).as("type %d", type)
            .isExactlyInstanceOf(JuteException.class).hasMessageContaining("not a multi sub-op");
      }
      assertThatThrownBy(() -> Zk.parseRecord(b, new MultiOperationRecord()))
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  @Example
  void aMissingEndMarkerIsTruncation() {
    byte[] full = new MultiRequest(List.of(CREATE)).toBytes();
    byte[] noEnd = java.util.Arrays.copyOf(full, full.length - MultiHeader.ENCODED_BYTES);
    assertThatThrownBy(() -> Requests.decode(OpCode.MULTI, new JuteReader(noEnd)))
        .isExactlyInstanceOf(JuteException.class).hasMessageContaining("truncated");
  }

  /** Like ZooKeeper, the reader looks at {@code done} only; header err and end type are free. */
  @Example
  void headerErrAndEndMarkerTypeAreIgnored() {
    byte[] b = new JuteWriter().writeRecord(new MultiHeader(OpCode.CREATE, false, 0))
        .writeRecord(CREATE.request()).writeRecord(new MultiHeader(7, true, 0)).toByteArray();
    assertThat(Requests.decode(OpCode.MULTI, new JuteReader(b)))
        .isEqualTo(new MultiRequest(List.of(CREATE)));
  }

  @Example
  void subOpsMustCarryTheirOwnRecord() {
    assertThatThrownBy(() -> new MultiOp(OpCode.DELETE, new CheckVersionRequest("/a", 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MultiOp(OpCode.CREATE_TTL, CREATE.request()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MultiOp(OpCode.EXISTS, new ExistsRequest("/a", false)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void resultsKnowTheirWireTypeAndErr() {
    Stat stat = new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    List<OpResult> results = List.of(new OpResult.CreateResult("/a"),
        new OpResult.Create2Result("/a", stat), new OpResult.DeleteResult(),
        new OpResult.SetDataResult(stat), new OpResult.CheckResult(),
        new OpResult.GetDataResult(null, stat), new OpResult.GetChildrenResult(List.of()),
        new OpResult.ErrorResult(-101));
    assertThat(results).extracting(OpResult::type).containsExactly(1, 15, 2, 5, 13, 4, 8, -1);
    assertThat(results).extracting(OpResult::err).containsExactly(0, 0, 0, 0, 0, 0, 0, -101);
  }

  @Example
  void unknownResultTypesAreRejected() {
    for (int type : new int[] {0, 3, 14, 19, 21, 100, Integer.MIN_VALUE}) {
      byte[] b = HEX.parseHex("%08x".formatted(type) + "00" + "00000000" + "ffffffff01ffffffff");
      assertThatThrownBy(() -> Responses.decode(OpCode.MULTI, new JuteReader(b)))
          .as("type %d", type).isExactlyInstanceOf(JuteException.class)
          .hasMessageContaining("unknown multi result type");
    }
  }

  /** An error result carries its code twice; ZooKeeper's client believes the body, so do we. */
  @Example
  void errorResultCodeComesFromTheBody() {
    byte[] b = HEX.parseHex("ffffffff" + "00" + "00000000" + "ffffff9b" + "ffffffff01ffffffff");
    assertThat(Responses.decode(OpCode.MULTI, new JuteReader(b)))
        .isEqualTo(new MultiResponse(List.of(new OpResult.ErrorResult(-101))));
    org.apache.zookeeper.MultiResponse zk =
        Zk.parseRecord(b, new org.apache.zookeeper.MultiResponse());
    assertThat(((org.apache.zookeeper.OpResult.ErrorResult) zk.getResultList().get(0)).getErr())
        .isEqualTo(-101);
  }

  @Provide
  Arbitrary<List<Tuple2<MultiOp, Op>>> zkExpressibleOps() {
    Arbitrary<Tuple2<MultiOp, Op>> writes = Arbitraries.oneOf(creates(),
        Combinators.combine(Gen.paths(), Gen.ints()).as((p, v) ->
            Tuple.of(new MultiOp(OpCode.DELETE, new DeleteRequest(p, v)), Op.delete(p, v))),
        Combinators.combine(Gen.paths(), Gen.buffers(), Gen.ints()).as((p, d, v) ->
            Tuple.of(new MultiOp(OpCode.SET_DATA, new SetDataRequest(p, d, v)),
                Op.setData(p, d, v))),
        Combinators.combine(Gen.paths(), Gen.ints()).as((p, v) ->
            Tuple.of(new MultiOp(OpCode.CHECK, new CheckVersionRequest(p, v)), Op.check(p, v))));
    Arbitrary<Tuple2<MultiOp, Op>> reads = Arbitraries.oneOf(
        Gen.paths().map(p ->
            Tuple.of(new MultiOp(OpCode.GET_DATA, new GetDataRequest(p, false)), Op.getData(p))),
        Gen.paths().map(p -> Tuple.of(
            new MultiOp(OpCode.GET_CHILDREN, new GetChildrenRequest(p, false)),
            Op.getChildren(p))));
    return Arbitraries.oneOf(writes.list().ofMaxSize(6), reads.list().ofMaxSize(6));
  }

  private static Arbitrary<Tuple2<MultiOp, Op>> creates() {
    return Combinators.combine(Gen.paths(), Gen.buffers(), Gen.acls().list().ofMaxSize(3),
        Arbitraries.of(CreateMode.class), Arbitraries.longs()).as((p, d, acl, mode, ttl) -> {
          List<org.apache.zookeeper.data.ACL> zkAcl = Zk.acls(acl);
          if (mode.isTTL()) {
            return Tuple.of(new MultiOp(OpCode.CREATE_TTL,
                    new CreateTtlRequest(p, d, acl, mode.toFlag(), ttl)),
                Op.create(p, d, zkAcl, mode, ttl));
          }
          int type = mode.isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE;
          return Tuple.of(new MultiOp(type, new CreateRequest(p, d, acl, mode.toFlag())),
              Op.create(p, d, zkAcl, mode));
        });
  }

  /** Bytes of a multi request that our constructor would refuse to build. */
  private static byte[] handAssembled(List<MultiOp> ops) {
    JuteWriter w = new JuteWriter();
    for (MultiOp op : ops) {
      w.writeRecord(new MultiHeader(op.type(), false, -1)).writeRecord(op.request());
    }
    return w.writeRecord(MultiHeader.END).toByteArray();
  }
}
