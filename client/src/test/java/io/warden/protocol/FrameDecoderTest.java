package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Framing (reference §2): split anywhere, many per chunk, bad lengths fail for good. */
class FrameDecoderTest {
  private static final int MAX = 0xFFFFF;
  private static final HexFormat HEX = HexFormat.of();

  @Property(tries = 300)
  void oneByteAtATimeYieldsThePayloads(@ForAll("sizes") List<Integer> sizes,
      @ForAll Random random) {
    List<byte[]> payloads = payloads(sizes, random);
    byte[] stream = encode(payloads);
    FrameDecoder decoder = new FrameDecoder(MAX);
    List<byte[]> out = new ArrayList<>();

    for (int i = 0; i < stream.length; i++) {
      decoder.feed(stream, i, 1, out::add);
    }

    assertThat(out).containsExactlyElementsOf(payloads);
    assertThat(decoder.hasPartialFrame()).isFalse();
  }

  @Property(tries = 500)
  void randomChunksYieldThePayloads(@ForAll("sizes") List<Integer> sizes,
      @ForAll Random random) {
    List<byte[]> payloads = payloads(sizes, random);
    byte[] stream = encode(payloads);
    FrameDecoder decoder = new FrameDecoder(MAX);
    List<byte[]> out = new ArrayList<>();

    for (int pos = 0; pos < stream.length; ) {
      int len = Math.min(stream.length - pos, random.nextInt(random.nextBoolean() ? 9 : 5000));
      // chunks arrive inside larger arrays, as from a reused network buffer
      byte[] chunk = new byte[len + 6];
      System.arraycopy(stream, pos, chunk, 3, len);
      decoder.feed(chunk, 3, len, out::add);
      pos += len;
    }

    assertThat(out).containsExactlyElementsOf(payloads);
    assertThat(decoder.hasPartialFrame()).isFalse();
  }

  /** Every single split point and every pair of split points of a stream of small frames. */
  @Example
  void everySplitOfAStreamYieldsThePayloads() {
    List<byte[]> payloads = List.of(new byte[0], new byte[] {1, 2, 3}, new byte[0],
        new byte[] {4}, bytes(9, 77));
    byte[] stream = encode(payloads);
    for (int i = 0; i <= stream.length; i++) {
      for (int j = i; j <= stream.length; j++) {
        FrameDecoder decoder = new FrameDecoder(MAX);
        List<byte[]> out = new ArrayList<>();
        decoder.feed(stream, 0, i, out::add);
        decoder.feed(stream, i, j - i, out::add);
        decoder.feed(stream, j, stream.length - j, out::add);
        assertThat(out).as("split at %d and %d", i, j).containsExactlyElementsOf(payloads);
      }
    }
  }

  @Example
  void zeroLengthFramesAreFramesEvenAtTheEndOfAChunk() {
    List<byte[]> out = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(0);
    decoder.feed(HEX.parseHex("0000000000000000"), 0, 8, out::add);
    assertThat(out).hasSize(2).allSatisfy(p -> assertThat(p).isEmpty());
    decoder.feed(new byte[0], 0, 0, out::add);
    assertThat(out).hasSize(2);
  }

  /** A large frame trickling in grows its buffer, and still arrives as one exact-size array. */
  @Example
  void largeFramesArriveWhole() {
    byte[] big = bytes(MAX, 5);
    byte[] stream = encode(List.of(big, new byte[] {1}));
    FrameDecoder decoder = new FrameDecoder(MAX);
    List<byte[]> out = new ArrayList<>();
    for (int pos = 0; pos < stream.length; pos += 1000) {
      decoder.feed(stream, pos, Math.min(1000, stream.length - pos), out::add);
    }
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).hasSize(MAX).isEqualTo(big);
    assertThat(out.get(1)).containsExactly(1);
  }

  @Example
  void lengthsAboveTheLimitFail() {
    FrameDecoder decoder = new FrameDecoder(100);
    List<byte[]> out = new ArrayList<>();
    byte[] stream = concat(encode(List.of(bytes(100, 1))), HEX.parseHex("00000065"));

    assertThatThrownBy(() -> decoder.feed(stream, 0, stream.length, out::add))
        .isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
          assertThat(e.lengthBytes()).isEqualTo(101);
          assertThat(e.maxFrameBytes()).isEqualTo(100);
        });
    assertThat(out).as("the good frame before the bad length").hasSize(1);
  }

  @Example
  void negativeLengthsFail() {
    for (String length : List.of("ffffffff", "80000000", "fffffffe")) {
      FrameDecoder decoder = new FrameDecoder(MAX);
      byte[] b = HEX.parseHex(length);
      assertThatThrownBy(() -> decoder.feed(b, 0, 4, p -> { }))
          .isInstanceOfSatisfying(FrameTooLargeException.class,
              e -> assertThat(e.lengthBytes()).isEqualTo((int) Long.parseLong(length, 16)));
    }
  }

  /** The failure is detected on the length's last byte however the length was split. */
  @Example
  void aSplitBadLengthFailsOnItsLastByte() {
    FrameDecoder decoder = new FrameDecoder(MAX);
    byte[] b = HEX.parseHex("7fffffff");
    decoder.feed(b, 0, 1, p -> { });
    decoder.feed(b, 1, 2, p -> { });
    assertThat(decoder.hasPartialFrame()).isTrue();
    assertThatThrownBy(() -> decoder.feed(b, 3, 1, p -> { }))
        .isInstanceOf(FrameTooLargeException.class);
  }

  /** A four-letter word (§13) shows up as an oversized length the server can recognise. */
  @Example
  void fourLetterWordsShowAsTheirLength() {
    FrameDecoder decoder = new FrameDecoder(MAX);
    byte[] ruok = "ruok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> decoder.feed(ruok, 0, 4, p -> { }))
        .isInstanceOfSatisfying(FrameTooLargeException.class,
            e -> assertThat(e.lengthBytes()).isEqualTo(0x72756f6b));
  }

  @Example
  void aFailedDecoderStaysDead() {
    FrameDecoder decoder = new FrameDecoder(10);
    byte[] bad = HEX.parseHex("0000000b");
    assertThatThrownBy(() -> decoder.feed(bad, 0, 4, p -> { }))
        .isInstanceOf(FrameTooLargeException.class);

    byte[] good = encode(List.of(new byte[] {1}));
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> decoder.feed(good, 0, good.length, out::add))
          .isInstanceOfSatisfying(FrameTooLargeException.class,
              e -> assertThat(e.lengthBytes()).isEqualTo(11));
      assertThatThrownBy(() -> decoder.feed(good, 0, 0, out::add))
          .isInstanceOf(FrameTooLargeException.class);
    }
    assertThat(out).isEmpty();
  }

  @Example
  void aThrowingConsumerLeavesTheDecoderUnusable() {
    FrameDecoder decoder = new FrameDecoder(MAX);
    byte[] two = encode(List.of(new byte[] {1}, new byte[] {2}));
    Consumer<byte[]> failing = p -> {
      throw new IllegalStateException("consumer broke");
    };
    assertThatThrownBy(() -> decoder.feed(two, 0, two.length, failing))
        .hasMessage("consumer broke");
    assertThatThrownBy(() -> decoder.feed(two, 0, two.length, p -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unusable");
  }

  @Example
  void badArgumentsAreRefused() {
    FrameDecoder decoder = new FrameDecoder(MAX);
    assertThatThrownBy(() -> decoder.feed(new byte[4], 2, 3, p -> { }))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> decoder.feed(new byte[4], -1, 1, p -> { }))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new FrameDecoder(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void writeFrameWritesHeaderAndBodyAsOneFrame() {
    byte[] frame = new JuteWriter().writeFrame(new RequestHeader(5, OpCode.SYNC),
        new SyncRequest("/a")).toByteArray();
    assertThat(HEX.formatHex(frame))
        .isEqualTo("0000000e" + "00000005" + "00000009" + "00000002" + "2f61");
    JuteWriter w = new JuteWriter().writeFrame(new RequestHeader(1, OpCode.PING), null)
        .writeFrame(new RequestHeader(2, OpCode.CLOSE_SESSION), null);
    assertThat(HEX.formatHex(w.toByteArray()))
        .isEqualTo("00000008000000010000000b" + "0000000800000002fffffff5");
  }

  /** Frame sizes: many empty and small ones, some larger than the decoder's first buffer. */
  @Provide
  Arbitrary<List<Integer>> sizes() {
    Arbitrary<Integer> size = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(0)),
        Tuple.of(20, Arbitraries.integers().between(1, 40)),
        Tuple.of(1, Arbitraries.integers().between(60_000, 140_000)));
    return size.list().ofMaxSize(30);
  }

  /** Payload contents come from jqwik's seeded Random, so a failure replays from its seed. */
  private static List<byte[]> payloads(List<Integer> sizes, Random random) {
    List<byte[]> payloads = new ArrayList<>();
    for (int size : sizes) {
      byte[] p = new byte[size];
      random.nextBytes(p);
      payloads.add(p);
    }
    return payloads;
  }

  private static byte[] encode(List<byte[]> payloads) {
    JuteWriter w = new JuteWriter();
    for (byte[] p : payloads) {
      int at = w.beginFrame();
      w.writeRaw(p, 0, p.length);
      w.endFrame(at);
    }
    return w.toByteArray();
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
