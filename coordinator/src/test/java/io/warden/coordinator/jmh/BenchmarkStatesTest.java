package io.warden.coordinator.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.coordinator.fsm.Applied;
import io.warden.coordinator.fsm.Outcome;
import io.warden.coordinator.tree.Result;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.CreateResponse;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.JuteReader;
import io.warden.protocol.OpCode;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.Responses;
import io.warden.protocol.SetDataRequest;
import org.junit.jupiter.api.Test;

/**
 * The JMH benchmarks measure what their names say: each setup builds the state it claims and
 * each benchmark method takes the success path (a benchmark that silently measured NoNode or
 * SessionExpired replies would look fast and mean nothing). Runs the real setup and methods
 * once, on a small tree, in the default build; the benchmarks themselves run only under -Pjmh.
 */
class BenchmarkStatesTest {
  private static final int LEAVES = 1_000;
  private static final int VALUE_BYTES = 64;
  /** The four nodes of a fresh tree, /bench, the parents and the leaves. */
  private static final int NODES = 4 + 1 + LEAVES / BenchTree.CHILDREN_PER_PARENT + LEAVES;

  @Test
  void codecBenchmarksDecodeAndEncodeTheRecordsTheyClaim() {
    WireCodecBenchmark b = codec();

    assertThat(b.decodeGetDataRequest()).isEqualTo(new GetDataRequest(WireCodecBenchmark.PATH, true));
    assertThat(b.decodeSetDataRequest()).isInstanceOfSatisfying(SetDataRequest.class,
        r -> assertThat(r.data()).hasSize(VALUE_BYTES));
    assertThat(b.decodeCreateRequest()).isInstanceOfSatisfying(CreateRequest.class,
        r -> assertThat(r.path()).isEqualTo(WireCodecBenchmark.PATH));
    assertThat(b.decodeGetDataReply()).isEqualTo(b.getDataReply);

    assertThat(decodeReply(b.encodeGetDataReply(), OpCode.GET_DATA)).isEqualTo(b.getDataReply);
    assertThat(decodeReply(b.encodeSetDataReply(), OpCode.SET_DATA)).isEqualTo(b.setDataReply);
    assertThat(decodeReply(b.encodeCreateReply(), OpCode.CREATE2)).isEqualTo(b.createReply);
  }

  @Test
  void frameDecoderBenchmarksSplitEveryFrameOfTheStream() {
    WireCodecBenchmark b = codec();
    assertThat(b.stream.length).isGreaterThan(2 * WireCodecBenchmark.SEGMENT_BYTES);

    b.frameDecoderOneRead();
    assertThat(b.frames).isEqualTo(WireCodecBenchmark.FRAMES_PER_STREAM);
    b.frameDecoderSegmentedReads();
    assertThat(b.frames).isEqualTo(2L * WireCodecBenchmark.FRAMES_PER_STREAM);
    assertThat(b.decoderHasPartialFrame()).isFalse();
  }

  @Test
  void treeBenchmarksReadAndWriteExistingNodes() {
    ZnodeTreeBenchmark b = small(new ZnodeTreeBenchmark());
    b.setUp();
    assertThat(b.tree().nodeCount()).isEqualTo(NODES);
    assertThat(b.bench.leaves).hasSize(LEAVES).doesNotHaveDuplicates();

    assertThat(b.getData().value().data()).hasSize(VALUE_BYTES);
    assertThat(b.getChildren().value().children()).hasSize(BenchTree.CHILDREN_PER_PARENT);
    Result<?> set = b.setData();
    assertThat(set.code()).isEqualTo(ErrorCode.OK);
    b.rollBack();
    assertThat(b.tree().nodeCount()).isEqualTo(NODES);
  }

  @Test
  void treeCreateBenchmarkCreatesNewNodesAndRollsBackToTheStartingTree() {
    ZnodeTreeBenchmark b = small(new ZnodeTreeBenchmark());
    b.setUp();
    long digest = b.tree().digest();

    for (int i = 0; i < ZnodeTreeBenchmark.CREATES_PER_ROLLBACK; i++) {
      assertThat(b.create().code()).as("create %d", i).isEqualTo(ErrorCode.OK);
    }
    assertThat(b.tree().nodeCount()).isEqualTo(NODES + ZnodeTreeBenchmark.CREATES_PER_ROLLBACK);
    assertThat(b.create().code()).as("the first create after a rollback").isEqualTo(ErrorCode.OK);
    assertThat(b.tree().nodeCount()).isEqualTo(NODES + 1);

    b.rollBack();
    assertThat(b.tree().nodeCount()).isEqualTo(NODES);
    assertThat(b.tree().digest()).isEqualTo(digest);
  }

  @Test
  void applyBenchmarksApplySuccessfulWritesAndKeepTheTreeSize() {
    StateMachineApplyBenchmark b = small(new StateMachineApplyBenchmark());
    b.setUp();
    assertThat(b.fsm().tree().nodeCount()).isEqualTo(NODES);

    Applied set = b.applySetData();
    assertThat(set.outcome()).isInstanceOfSatisfying(Outcome.TxnDone.class,
        d -> assertThat(d.err()).isEqualTo(ErrorCode.OK));
    assertThat(set.changes()).isNotEmpty();

    Applied deleted = b.applyCreateThenDelete();
    assertThat(b.lastCreate.outcome()).isInstanceOfSatisfying(Outcome.TxnDone.class,
        d -> assertThat(d.body()).isInstanceOf(CreateResponse.class));
    assertThat(deleted.outcome()).isInstanceOfSatisfying(Outcome.TxnDone.class,
        d -> assertThat(d.err()).isEqualTo(ErrorCode.OK));
    assertThat(b.fsm().tree().nodeCount()).isEqualTo(NODES);
  }

  private static WireCodecBenchmark codec() {
    WireCodecBenchmark b = new WireCodecBenchmark();
    b.valueBytes = VALUE_BYTES;
    b.setUp();
    return b;
  }

  private static <T extends TreeBenchmarkBase> T small(T b) {
    b.znodes = LEAVES;
    b.valueBytes = VALUE_BYTES;
    return b;
  }

  private static Object decodeReply(byte[] frame, int opcode) {
    JuteReader r = new JuteReader(frame);
    assertThat(r.readInt()).as("frame length").isEqualTo(frame.length - 4);
    ReplyHeader header = ReplyHeader.read(r);
    assertThat(header.err()).isZero();
    Object body = Responses.decode(opcode, r);
    assertThat(r.hasRemaining()).isFalse();
    return body;
  }
}
