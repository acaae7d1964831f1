package io.warden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The literal byte examples of the wire protocol reference, byte for byte, both directions. */
class ReferenceExamplesTest {
  private static final HexFormat HEX = HexFormat.of();

  /** §3.1: Java client, new session, 30 s timeout, not read-only. */
  @Test
  void connectRequestOfSection3() {
    byte[] frame = hex("""
        00 00 00 2D
        00 00 00 00
        00 00 00 00 00 00 00 00
        00 00 75 30
        00 00 00 00 00 00 00 00
        00 00 00 10  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        00
        """);
    ConnectRequest request = new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, true);

    assertThat(new JuteWriter().writeFrame(request, null).toByteArray()).isEqualTo(frame);
    byte[] payload = onlyFrame(frame);
    assertThat(payload).hasSize(45);
    assertThat(ConnectRequest.read(new JuteReader(payload))).isEqualTo(request);
  }

  /** §3.1 and §3.4: the sizes of both handshake records, with and without the readOnly byte. */
  @Test
  void handshakeSizesOfSection3() {
    assertThat(new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, false).toBytes())
        .hasSize(44);
    assertThat(new ConnectResponse(0, 30_000, 0x100000001L, new byte[16], false, true).toBytes())
        .hasSize(37);
    assertThat(new ConnectResponse(0, 30_000, 0x100000001L, new byte[16], false, false).toBytes())
        .hasSize(36);
    byte[] oldClient = new ConnectRequest(0, 5, 30_000, 0, new byte[16], false, false).toBytes();
    assertThat(ConnectRequest.read(new JuteReader(oldClient)).hasReadOnlyByte()).isFalse();
  }

  /** §7.10: ping request and reply. */
  @Test
  void pingOfSection7() {
    byte[] request = hex("00 00 00 08  FF FF FF FE  00 00 00 0B");
    byte[] reply = hex("00 00 00 10  FF FF FF FE  00 00 00 01 00 00 00 05  00 00 00 00");

    assertThat(new JuteWriter().writeFrame(new RequestHeader(-2, OpCode.PING), null)
        .toByteArray()).isEqualTo(request);
    assertThat(new JuteWriter().writeFrame(new ReplyHeader(-2, 0x100000005L, 0), null)
        .toByteArray()).isEqualTo(reply);

    JuteReader r = new JuteReader(onlyFrame(request));
    RequestHeader header = RequestHeader.read(r);
    assertThat(header).isEqualTo(new RequestHeader(ReplyHeader.PING_XID, OpCode.PING));
    assertThat(Requests.decode(header.type(), r)).isNull();
    JuteReader rr = new JuteReader(onlyFrame(reply));
    assertThat(ReplyHeader.read(rr)).isEqualTo(new ReplyHeader(-2, 0x100000005L, 0));
    assertThat(rr.hasRemaining()).isFalse();
  }

  /** §11.1: NodeDataChanged on /a at zxid 0x100000005. */
  @Test
  void notificationOfSection11() {
    byte[] frame = hex("""
        00 00 00 1E
        FF FF FF FF  00 00 00 01 00 00 00 05  00 00 00 00
        00 00 00 03  00 00 00 03  00 00 00 02 2F 61
        """);
    ReplyHeader header = new ReplyHeader(ReplyHeader.NOTIFICATION_XID, 0x100000005L, 0);
    WatcherEvent event = new WatcherEvent(EventType.NODE_DATA_CHANGED.code(),
        KeeperState.SYNC_CONNECTED.code(), "/a");

    assertThat(new JuteWriter().writeFrame(header, event).toByteArray()).isEqualTo(frame);
    JuteReader r = new JuteReader(onlyFrame(frame));
    assertThat(ReplyHeader.read(r)).isEqualTo(header);
    assertThat(Responses.decode(OpCode.NOTIFICATION, r)).isEqualTo(event);
  }

  /**
   * §8.3: ops [check /a v=1 (ok), delete /b (missing), setData /c] fail as
   * {@code (−1,false,0) 0 | (−1,false,−101) −101 | (−1,false,−2) −2 | (−1,true,−1)}.
   */
  @Test
  void failedMultiOfSection8() {
    byte[] body = hex("""
        FF FF FF FF  00  00 00 00 00   00 00 00 00
        FF FF FF FF  00  FF FF FF 9B   FF FF FF 9B
        FF FF FF FF  00  FF FF FF FE   FF FF FF FE
        FF FF FF FF  01  FF FF FF FF
        """);
    MultiResponse failed = new MultiResponse(List.of(
        new OpResult.ErrorResult(ErrorCode.OK.code()),
        new OpResult.ErrorResult(ErrorCode.NO_NODE.code()),
        new OpResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY.code())));

    assertThat(failed.toBytes()).isEqualTo(body);
    assertThat(Responses.decode(OpCode.MULTI, new JuteReader(body))).isEqualTo(failed);
    // the executed-but-failed multi still has header err 0 (§8.2)
    byte[] frame = new JuteWriter().writeFrame(new ReplyHeader(7, 0x200000001L, 0), failed)
        .toByteArray();
    JuteReader r = new JuteReader(onlyFrame(frame));
    assertThat(ReplyHeader.read(r).err()).isZero();
    assertThat(Responses.decode(OpCode.MULTI, r)).isEqualTo(failed);
    // and ZooKeeper's own MultiResponse writes the same bytes
    assertThat(Zk.bytes(Zk.multiResponse(failed))).isEqualTo(body);
  }

  private static byte[] hex(String spaced) {
    return HEX.parseHex(spaced.replaceAll("\\s+", "").toLowerCase());
  }

  private static byte[] onlyFrame(byte[] stream) {
    List<byte[]> frames = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(0xFFFFF);
    decoder.feed(stream, 0, stream.length, frames::add);
    assertThat(frames).hasSize(1);
    assertThat(decoder.hasPartialFrame()).isFalse();
    return frames.get(0);
  }
}
