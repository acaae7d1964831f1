package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.warden.protocol.Samples.Sample;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Invalid input, tested as carefully as valid input: whatever arrives, decoding ends in a value
 * or a {@link JuteException} — never an index, allocation or null-pointer failure, and never a
 * huge allocation.
 */
class MalformedInputTest {
  private static final HexFormat HEX = HexFormat.of();

  /** Opcodes of the §5 table plus neighbours and extremes that are not in it. */
  private static final List<Integer> OPCODES = IntStream.concat(
      IntStream.rangeClosed(-12, 24), IntStream.of(99, 100, 101, 102, 103, 104, 105, 106, 107, 108,
          Integer.MIN_VALUE, Integer.MAX_VALUE)).boxed().toList();

  /**
   * Every strict prefix of a valid encoding fails with JuteException. The one legal prefix is a
   * ConnectRequest/ConnectResponse cut right before its readOnly byte: that is the old-client form.
   */
  @Property(tries = 1500)
  void everyTruncationFailsCleanly(@ForAll("samples") Sample s, @ForAll Random random) {
    byte[] bytes = s.bytes();
    for (int len : prefixLengths(bytes.length, random)) {
      if (isOldClientForm(s.value(), len, bytes.length)) {
        assertThat(s.read(bytes, len)).isEqualTo(withoutReadOnlyByte(s.value()));
        continue;
      }
      assertThatThrownBy(() -> s.read(bytes, len))
          .as("%s cut to %d of %d bytes", s.kind(), len, bytes.length)
          .isExactlyInstanceOf(JuteException.class);
    }
  }

  @Property(tries = 1500)
  void truncatedRequestBodiesFailCleanly(@ForAll("requestSamples") Sample s,
      @ForAll Random random) {
    byte[] bytes = s.bytes();
    for (int op : s.kind().requestOps()) {
      for (int len : prefixLengths(bytes.length, random)) {
        JuteReader r = new JuteReader(bytes, 0, len, JuteReader.DEFAULT_MAX_BUFFER_BYTES);
        assertThatThrownBy(() -> Requests.decode(op, r)).isExactlyInstanceOf(JuteException.class);
      }
    }
  }

  @Property(tries = 3000)
  void garbageRequestBodiesDecodeOrFailCleanly(@ForAll("opcodes") int opcode,
      @ForAll @Size(max = 300) byte[] garbage) {
    assertDecodesOrFailsCleanly(() -> Requests.decode(opcode, new JuteReader(garbage)));
    assertDecodesOrFailsCleanly(() -> Responses.decode(opcode, new JuteReader(garbage)));
  }

  /**
   * Random bytes rarely get past the first length; mutating a valid encoding reaches the deeper
   * fields. Mutations overwrite 4 bytes with values that are typical trouble for a decoder.
   */
  @Property(tries = 3000)
  void mutatedEncodingsDecodeOrFailCleanly(@ForAll("samples") Sample s, @ForAll Random random) {
    byte[] bytes = s.bytes();
    if (bytes.length == 0) {
      return;
    }
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      int at = random.nextInt(bytes.length);
      int value = List.of(-1, -2, 0, 1, 0x7FFFFFFF, 0x80000000, 0x00100000, random.nextInt())
          .get(random.nextInt(8));
      for (int k = 0; k < 4 && at + k < bytes.length; k++) {
        bytes[at + k] = (byte) (value >>> (24 - 8 * k));
      }
    }
    assertDecodesOrFailsCleanly(() -> s.read(bytes, bytes.length));
    for (int op : s.kind().requestOps()) {
      assertDecodesOrFailsCleanly(() -> Requests.decode(op, new JuteReader(bytes)));
    }
    for (int op : s.kind().responseOps()) {
      assertDecodesOrFailsCleanly(() -> Responses.decode(op, new JuteReader(bytes)));
    }
  }

  @Example
  void hugeVectorCountsAreRejectedBeforeAllocating() {
    for (int count : new int[] {Integer.MAX_VALUE, 100_000_000, 3}) {
      // three elements cannot fit in the 8 bytes that follow: two empty strings at most
      byte[] strings = HEX.parseHex("%08x".formatted(count) + "00000000" + "00000000");
      assertThatThrownBy(() -> GetChildrenResponse.read(new JuteReader(strings)))
          .isExactlyInstanceOf(JuteException.class).hasMessageContaining("count " + count);
      assertThatThrownBy(() -> Acl.readList(new JuteReader(strings)))
          .isExactlyInstanceOf(JuteException.class).hasMessageContaining("count " + count);
      assertThatThrownBy(() -> ClientInfo.readList(new JuteReader(strings)))
          .isExactlyInstanceOf(JuteException.class).hasMessageContaining("count " + count);
    }
    byte[] setWatches = HEX.parseHex("0000000000000001" + "7fffffff");
    assertThatThrownBy(() -> Requests.decode(OpCode.SET_WATCHES, new JuteReader(setWatches)))
        .isExactlyInstanceOf(JuteException.class);
    // the boundary: two empty strings do fit
    byte[] twoEmpty = HEX.parseHex("00000002" + "00000000" + "00000000");
    assertThat(GetChildrenResponse.read(new JuteReader(twoEmpty)))
        .isEqualTo(new GetChildrenResponse(List.of("", "")));
  }

  @Example
  void negativeAndOversizedLengthsAreRejected() {
    for (String len : List.of("fffffffe", "80000000", "7fffffff", "00200000")) {
      byte[] b = HEX.parseHex(len + "00000000");
      assertThatThrownBy(() -> SyncRequest.read(new JuteReader(b)))
          .isExactlyInstanceOf(JuteException.class).hasMessageContaining("length");
      assertThatThrownBy(() -> GetSaslRequest.read(new JuteReader(b)))
          .isExactlyInstanceOf(JuteException.class).hasMessageContaining("length");
    }
    assertThat(SyncRequest.read(new JuteReader(HEX.parseHex("ffffffff"))).path()).isNull();
  }

  @Example
  void invalidUtf8IsAJuteException() {
    List<String> invalid = List.of(
        "c328",         // lead byte followed by a non-continuation
        "80",           // lone continuation byte
        "c0af",         // overlong '/'
        "eda080",       // UTF-16 surrogate encoded as UTF-8 (CESU-8)
        "e282",         // sequence cut short by the string's end
        "f8888080",     // 5-byte lead
        "f4908080",     // beyond U+10FFFF
        "ff");
    for (String hex : invalid) {
      byte[] body = HEX.parseHex("%08x".formatted(hex.length() / 2) + hex);
      assertThatThrownBy(() -> Requests.decode(OpCode.SYNC, new JuteReader(body)))
          .as(hex).isExactlyInstanceOf(JuteException.class).hasMessageContaining("UTF-8");
    }
    byte[] ok = HEX.parseHex("00000006" + "2fc3a9e282ac");
    assertThat(SyncRequest.read(new JuteReader(ok)).path()).isEqualTo("/\u00e9\u20ac");
  }

  @Example
  void asciiStringsDecodeByteForCharAndAByteAboveItStillMeetsTheStrictDecoder() {
    StringBuilder hex = new StringBuilder("%08x".formatted(128));
    StringBuilder expected = new StringBuilder();
    for (int c = 0; c < 128; c++) {
      hex.append("%02x".formatted(c));
      expected.append((char) c);
    }
    assertThat(SyncRequest.read(new JuteReader(HEX.parseHex(hex.toString()))).path()).isEqualTo(expected.toString());
    // one invalid byte after a long valid ASCII prefix is still refused
    byte[] body = HEX.parseHex("%08x".formatted(41) + "2f".repeat(40) + "ff");
    assertThatThrownBy(() -> SyncRequest.read(new JuteReader(body)))
        .isExactlyInstanceOf(JuteException.class).hasMessageContaining("UTF-8");
  }

  @Example
  void unknownWatcherTypesAndAddWatchModesAreMarshallingErrors() {
    for (int type : new int[] {0, 6, -1, Integer.MAX_VALUE}) {
      byte[] body = new CheckWatchesRequest("/a", type).toBytes();
      assertThatThrownBy(() -> Requests.decode(OpCode.CHECK_WATCHES, new JuteReader(body)))
          .isExactlyInstanceOf(JuteException.class);
      assertThatThrownBy(() -> Requests.decode(OpCode.REMOVE_WATCHES, new JuteReader(body)))
          .isExactlyInstanceOf(JuteException.class);
    }
    for (int mode : new int[] {-1, 2, 3}) {
      byte[] body = new AddWatchRequest("/a", mode).toBytes();
      assertThatThrownBy(() -> Requests.decode(OpCode.ADD_WATCH, new JuteReader(body)))
          .isExactlyInstanceOf(JuteException.class);
    }
  }

  @Provide
  Arbitrary<Sample> samples() {
    return Samples.samples();
  }

  @Provide
  Arbitrary<Sample> requestSamples() {
    return Arbitraries.of(Samples.ALL.stream().filter(k -> !k.requestOps().isEmpty()).toList())
        .flatMap(Samples.Kind::samples);
  }

  @Provide
  Arbitrary<Integer> opcodes() {
    return Arbitraries.oneOf(Arbitraries.of(OPCODES), Arbitraries.integers());
  }

  private static JuteRecord withoutReadOnlyByte(JuteRecord value) {
    if (value instanceof ConnectRequest c) {
      return new ConnectRequest(c.protocolVersion(), c.lastZxidSeen(), c.timeoutMs(),
          c.sessionId(), c.password(), false, false);
    }
    ConnectResponse c = (ConnectResponse) value;
    return new ConnectResponse(c.protocolVersion(), c.timeoutMs(), c.sessionId(), c.password(),
        false, false);
  }

  private static boolean isOldClientForm(JuteRecord value, int len, int fullLen) {
    boolean connect = value instanceof ConnectRequest c && c.hasReadOnlyByte()
        || value instanceof ConnectResponse r && r.hasReadOnlyByte();
    return connect && len == fullLen - 1;
  }

  /**
   * All prefixes of short encodings; for long ones (up to 200 KB buffers) the first and last
   * 512 plus 200 random ones in between, which keeps the test linear instead of quadratic.
   */
  static int[] prefixLengths(int fullLen, Random random) {
    if (fullLen <= 2048) {
      return IntStream.range(0, fullLen).toArray();
    }
    return IntStream.concat(IntStream.concat(IntStream.range(0, 512),
            IntStream.range(fullLen - 512, fullLen)),
        random.ints(200, 512, fullLen - 512)).toArray();
  }

  private static void assertDecodesOrFailsCleanly(Runnable decode) {
    Throwable t = catchThrowable(decode::run);
    if (t != null) {
      assertThat(t).isInstanceOf(JuteException.class);
    }
  }
}
