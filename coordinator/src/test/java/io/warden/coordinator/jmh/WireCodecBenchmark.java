package io.warden.coordinator.jmh;

import io.warden.protocol.Acl;
import io.warden.protocol.Create2Response;
import io.warden.protocol.CreateMode;
import io.warden.protocol.CreateRequest;
import io.warden.protocol.FrameDecoder;
import io.warden.protocol.GetDataRequest;
import io.warden.protocol.GetDataResponse;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteRecord;
import io.warden.protocol.JuteWriter;
import io.warden.protocol.OpCode;
import io.warden.protocol.ReplyHeader;
import io.warden.protocol.RequestHeader;
import io.warden.protocol.Requests;
import io.warden.protocol.Responses;
import io.warden.protocol.SetDataRequest;
import io.warden.protocol.SetDataResponse;
import io.warden.protocol.Stat;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client-port codec (io.warden.protocol) on the paths the server and the client run:
 * <ul>
 *   <li>{@code decode*Request}: a frame's payload, as {@link FrameDecoder} hands it over, to
 *       the header and the typed request (the server's ClientChannel.onFrame);</li>
 *   <li>{@code encode*Reply}: reply header and body into a fresh writer, framed, copied out
 *       (the server's ClientChannel.write, one reply per batch);</li>
 *   <li>{@code decodeGetDataReply}: the client's side of the most common reply;</li>
 *   <li>{@code frameDecoder*}: splitting {@value #FRAMES_PER_STREAM} pipelined request frames
 *       (getData, setData, create in turn) out of one read, or out of TCP-segment-sized reads
 *       of {@value #SEGMENT_BYTES} bytes; reported per frame.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class WireCodecBenchmark {
  static final int FRAMES_PER_STREAM = 64;
  /** A TCP segment's payload on a 1500-byte MTU link with timestamps on. */
  static final int SEGMENT_BYTES = 1448;
  /** Default frame limit: jute.maxbuffer (0xFFFFF) rounded up, as the server configures it. */
  private static final int FRAME_BYTES_MAX = 1 << 20;
  static final String PATH = "/brokers/topics/orders/partitions/17/state";
  private static final int XID = 1234;
  private static final long ZXID = 0x1_0000_2345L;

  @Param("256")
  public int valueBytes;

  byte[] getDataRequest;
  byte[] setDataRequest;
  byte[] createRequest;
  GetDataResponse getDataReply;
  SetDataResponse setDataReply;
  Create2Response createReply;
  byte[] getDataReplyFrame;
  byte[] stream;

  private FrameDecoder decoder;
  private Consumer<byte[]> onFrame;
  /** Frames decoded so far, and a value that depends on their bytes (so none is dead code). */
  long frames;
  private long checksum;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] value = new byte[valueBytes];
    new SplittableRandom(7).nextBytes(value);
    Stat stat = new Stat(ZXID - 100, ZXID, 1_700_000_000_000L, 1_700_000_100_000L, 12, 0, 0, 0,
        valueBytes, 0, ZXID - 100);
    getDataRequest = payload(new RequestHeader(XID, OpCode.GET_DATA), new GetDataRequest(PATH, true));
    setDataRequest = payload(new RequestHeader(XID, OpCode.SET_DATA), new SetDataRequest(PATH, value, 12));
    createRequest = payload(new RequestHeader(XID, OpCode.CREATE2),
        new CreateRequest(PATH, value, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT.flag()));
    getDataReply = new GetDataResponse(value, stat);
    setDataReply = new SetDataResponse(stat);
    createReply = new Create2Response(PATH, stat);
    getDataReplyFrame = payload(new ReplyHeader(XID, ZXID, 0), getDataReply);
    byte[][] requests = {getDataRequest, setDataRequest, createRequest};
    JuteWriter w = new JuteWriter();
    for (int i = 0; i < FRAMES_PER_STREAM; i++) {
      byte[] p = requests[i % requests.length];
      w.writeInt(p.length).writeRaw(p, 0, p.length);
    }
    stream = w.toByteArray();
    decoder = new FrameDecoder(FRAME_BYTES_MAX);
    onFrame = frame -> {
      frames++;
      checksum += frame.length + frame[frame.length - 1];
    };
  }

  private static byte[] payload(JuteRecord header, JuteRecord body) {
    JuteWriter w = new JuteWriter();
    header.write(w);
    body.write(w);
    return w.toByteArray();
  }

  // ---- server: decode requests

  private static JuteRecord decodeRequest(byte[] frame) {
    JuteReader r = new JuteReader(frame, 0, frame.length, JuteReader.DEFAULT_MAX_BUFFER_BYTES);
    RequestHeader header = RequestHeader.read(r);
    return Requests.decode(header.type(), r);
  }

  @Benchmark
  public JuteRecord decodeGetDataRequest() {
    return decodeRequest(getDataRequest);
  }

  @Benchmark
  public JuteRecord decodeSetDataRequest() {
    return decodeRequest(setDataRequest);
  }

  @Benchmark
  public JuteRecord decodeCreateRequest() {
    return decodeRequest(createRequest);
  }

  // ---- server: encode replies

  private static byte[] encodeReply(JuteRecord body) {
    JuteWriter w = new JuteWriter(256);
    int frame = w.beginFrame();
    new ReplyHeader(XID, ZXID, 0).write(w);
    body.write(w);
    w.endFrame(frame);
    return Arrays.copyOf(w.array(), w.size());
  }

  @Benchmark
  public byte[] encodeGetDataReply() {
    return encodeReply(getDataReply);
  }

  @Benchmark
  public byte[] encodeSetDataReply() {
    return encodeReply(setDataReply);
  }

  @Benchmark
  public byte[] encodeCreateReply() {
    return encodeReply(createReply);
  }

  // ---- client: decode a reply

  @Benchmark
  public JuteRecord decodeGetDataReply() {
    JuteReader r = new JuteReader(getDataReplyFrame, 0, getDataReplyFrame.length, FRAME_BYTES_MAX);
    ReplyHeader header = ReplyHeader.read(r);
    return header.err() == 0 ? Responses.decode(OpCode.GET_DATA, r) : null;
  }

  // ---- framing

  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_STREAM)
  public long frameDecoderOneRead() {
    decoder.feed(stream, 0, stream.length, onFrame);
    return checksum;
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_STREAM)
  public long frameDecoderSegmentedReads() {
    for (int off = 0; off < stream.length; off += SEGMENT_BYTES) {
      decoder.feed(stream, off, Math.min(SEGMENT_BYTES, stream.length - off), onFrame);
    }
    return checksum;
  }

  boolean decoderHasPartialFrame() {
    return decoder.hasPartialFrame();
  }
}
