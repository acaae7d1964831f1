package io.warden.it.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.it.history.Op.Kind;
import io.warden.it.history.Op.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written register histories, one rule each. */
class RegisterCheckerTest {
  private static Op write(int p, long value, long expect, long invoke, long complete, Outcome o, long mzxid, int version) {
    return new Op(p, p, Kind.WRITE, "/r", value, expect, null, invoke, complete, o, mzxid, mzxid, version);
  }

  private static Op read(Kind kind, int p, long value, long invoke, long complete, long mzxid) {
    return new Op(p, p, kind, "/r", value, 0, null, invoke, complete, Outcome.OK, mzxid, mzxid, -1);
  }

  private static final Op CREATE = write(0, 0, -1, 0, 1, Outcome.OK, 10, 0);

  @Test
  void aSyncReadOlderThanACompletedWriteIsStale() {
    List<Op> h = List.of(CREATE, write(1, 5, 0, 10, 20, Outcome.OK, 11, 1), read(Kind.SYNC_READ, 2, 0, 30, 40, 10));
    assertThat(RegisterChecker.checkKey(h)).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.STALE_READ);
    assertThat(WglRegister.check(h, 1_000)).isEqualTo(WglRegister.Result.NOT_LINEARIZABLE);
  }

  @Test
  void aPlainReadMayLagButASessionNeverGoesBack() {
    List<Op> lagging = List.of(CREATE, write(1, 5, 0, 10, 20, Outcome.OK, 11, 1), read(Kind.READ, 2, 0, 30, 40, 10));
    assertThat(RegisterChecker.checkKey(lagging)).isEmpty();
    List<Op> back = List.of(CREATE, write(1, 5, 0, 10, 20, Outcome.OK, 11, 1), read(Kind.READ, 1, 0, 30, 40, 10));
    assertThat(RegisterChecker.checkKey(back)).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.STALE_READ);
  }

  @Test
  void anIndeterminateWriteIsResolvedByTheReadThatSawIt() {
    List<Op> h = List.of(CREATE, write(1, 5, 0, 10, 20, Outcome.INDETERMINATE, -1, -1),
        read(Kind.SYNC_READ, 2, 5, 30, 40, 11));
    assertThat(RegisterChecker.checkKey(h)).isEmpty();
    assertThat(WglRegister.check(h, 1_000)).isEqualTo(WglRegister.Result.LINEARIZABLE);
  }

  @Test
  void aReadOfAValueNoWriteProducedIsAPhantom() {
    List<Op> h = List.of(CREATE, write(1, 5, 0, 10, 20, Outcome.FAILED, -1, -1), read(Kind.SYNC_READ, 2, 5, 30, 40, 11));
    assertThat(RegisterChecker.checkKey(h)).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.PHANTOM_READ);
    assertThat(WglRegister.check(h, 1_000)).isEqualTo(WglRegister.Result.NOT_LINEARIZABLE);
  }

  @Test
  void writesMustTakeZxidsInRealTimeOrder() {
    List<Op> h = List.of(CREATE, write(1, 5, 0, 10, 20, Outcome.OK, 12, 1), write(2, 6, -1, 30, 40, Outcome.OK, 11, 2));
    assertThat(RegisterChecker.checkKey(h)).extracting(Anomaly::kind).contains(Anomaly.Kind.WRITE_ORDER);
  }

  @Test
  void concurrentWritesMayTakeEitherOrder() {
    List<Op> h = List.of(CREATE, write(1, 5, -1, 10, 40, Outcome.OK, 12, 2), write(2, 6, -1, 20, 30, Outcome.OK, 11, 1),
        read(Kind.SYNC_READ, 3, 5, 50, 60, 12));
    assertThat(RegisterChecker.checkKey(h)).isEmpty();
    assertThat(WglRegister.check(h, 1_000)).isEqualTo(WglRegister.Result.LINEARIZABLE);
  }
}
