package io.warden.protocol;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for every protocol record: nulls where the wire allows them (-1 lengths),
 * empty values, BMP text in all three UTF-8 widths, extreme numbers and occasional large values.
 */
final class Gen {
  private Gen() {
  }

  /**
   * BMP text without surrogates (reference §1: paths cannot hold supplementary characters, and
   * ZooKeeper's writer would encode them as CESU-8). Includes U+0000 and 1-, 2- and 3-byte forms.
   */
  static Arbitrary<String> text(int maxChars) {
    return Arbitraries.strings()
        .withCharRange('\u0000', '\u007F')
        .withCharRange('\u0080', '\u07FF')
        .withCharRange('\u0800', '\uD7FF')
        .withCharRange('\uE000', '\uFFFF')
        .ofMaxLength(maxChars);
  }

  static Arbitrary<String> paths() {
    Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').withChars('/', '-', '_')
        .ofMaxLength(40).map(s -> "/" + s);
    return Arbitraries.frequencyOf(
        Tuple.of(6, plain),
        Tuple.of(6, text(30)),
        Tuple.of(1, text(20_000)));
  }

  static Arbitrary<String> strings() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, paths()),
        Tuple.of(1, Arbitraries.just(""))).injectNull(0.1);
  }

  static Arbitrary<byte[]> buffers() {
    Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class).ofMinSize(1000)
        .ofMaxSize(200_000);
    return Arbitraries.frequencyOf(Tuple.of(12, small), Tuple.of(1, large)).injectNull(0.1);
  }

  static Arbitrary<Integer> ints() {
    return Arbitraries.integers();
  }

  static Arbitrary<Long> longs() {
    return Arbitraries.longs();
  }

  static Arbitrary<Boolean> bools() {
    return Arbitraries.of(true, false);
  }

  static Arbitrary<List<String>> stringLists() {
    Arbitrary<List<String>> small = strings().list().ofMaxSize(8);
    Arbitrary<List<String>> many = Arbitraries.strings().alpha().ofMaxLength(12).list()
        .ofMinSize(100).ofMaxSize(3000);
    return Arbitraries.frequencyOf(Tuple.of(12, small), Tuple.of(1, many)).injectNull(0.1);
  }

  static Arbitrary<Stat> stats() {
    return Combinators.combine(longs().list().ofSize(6), ints().list().ofSize(5))
        .as((l, i) -> new Stat(l.get(0), l.get(1), l.get(2), l.get(3), i.get(0), i.get(1),
            i.get(2), l.get(4), i.get(3), i.get(4), l.get(5)));
  }

  static Arbitrary<Id> ids() {
    return Combinators.combine(strings(), strings()).as(Id::new);
  }

  static Arbitrary<Acl> acls() {
    return Combinators.combine(ints(), ids()).as(Acl::new);
  }

  static Arbitrary<List<Acl>> aclLists() {
    return acls().list().ofMaxSize(6).injectNull(0.1);
  }

  static Arbitrary<ClientInfo> clientInfos() {
    return Combinators.combine(strings(), strings()).as(ClientInfo::new);
  }

  static Arbitrary<ConnectRequest> connectRequests() {
    return Combinators.combine(ints(), longs(), ints(), longs(), buffers(), bools(), bools())
        .as((v, z, t, s, p, ro, has) -> new ConnectRequest(v, z, t, s, p, ro && has, has));
  }

  static Arbitrary<ConnectResponse> connectResponses() {
    return Combinators.combine(ints(), ints(), longs(), buffers(), bools(), bools())
        .as((v, t, s, p, ro, has) -> new ConnectResponse(v, t, s, p, ro && has, has));
  }

  static Arbitrary<CreateRequest> createRequests() {
    return Combinators.combine(strings(), buffers(), aclLists(), ints()).as(CreateRequest::new);
  }

  static Arbitrary<CreateTtlRequest> createTtlRequests() {
    return Combinators.combine(strings(), buffers(), aclLists(), ints(), longs())
        .as(CreateTtlRequest::new);
  }

  static Arbitrary<DeleteRequest> deleteRequests() {
    return Combinators.combine(strings(), ints()).as(DeleteRequest::new);
  }

  static Arbitrary<SetDataRequest> setDataRequests() {
    return Combinators.combine(strings(), buffers(), ints()).as(SetDataRequest::new);
  }

  static Arbitrary<CheckVersionRequest> checkVersionRequests() {
    return Combinators.combine(strings(), ints()).as(CheckVersionRequest::new);
  }

  static Arbitrary<GetDataRequest> getDataRequests() {
    return Combinators.combine(strings(), bools()).as(GetDataRequest::new);
  }

  static Arbitrary<GetChildrenRequest> getChildrenRequests() {
    return Combinators.combine(strings(), bools()).as(GetChildrenRequest::new);
  }

  /** Watcher types / addWatch modes: mostly valid codes, sometimes any int (MarshallingError). */
  static Arbitrary<Integer> mostlyValid(int from, int to) {
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(from, to)),
        Tuple.of(1, ints()));
  }

  static Arbitrary<MultiOp> writeOps() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of(OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER),
            createRequests()).as(MultiOp::new),
        createTtlRequests().map(r -> new MultiOp(OpCode.CREATE_TTL, r)),
        deleteRequests().map(r -> new MultiOp(OpCode.DELETE, r)),
        setDataRequests().map(r -> new MultiOp(OpCode.SET_DATA, r)),
        checkVersionRequests().map(r -> new MultiOp(OpCode.CHECK, r)));
  }

  static Arbitrary<MultiOp> readOps() {
    return Arbitraries.oneOf(
        getDataRequests().map(r -> new MultiOp(OpCode.GET_DATA, r)),
        getChildrenRequests().map(r -> new MultiOp(OpCode.GET_CHILDREN, r)));
  }

  static Arbitrary<MultiRequest> multiRequests() {
    return Arbitraries.oneOf(writeOps().list().ofMaxSize(8), readOps().list().ofMaxSize(8))
        .map(MultiRequest::new);
  }

  static Arbitrary<OpResult> opResults() {
    return Arbitraries.oneOf(
        strings().map(OpResult.CreateResult::new),
        Combinators.combine(strings(), stats()).as(OpResult.Create2Result::new),
        Arbitraries.just(new OpResult.DeleteResult()),
        stats().map(OpResult.SetDataResult::new),
        Arbitraries.just(new OpResult.CheckResult()),
        Combinators.combine(buffers(), stats()).as(OpResult.GetDataResult::new),
        stringLists().map(OpResult.GetChildrenResult::new),
        ints().map(OpResult.ErrorResult::new));
  }

  static Arbitrary<MultiResponse> multiResponses() {
    return opResults().list().ofMaxSize(8).map(MultiResponse::new);
  }
}
