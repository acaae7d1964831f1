package io.warden.coordinator.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.coordinator.node.PeerMessage;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.raft.Membership;
import io.warden.coordinator.raft.RaftMessage;
import io.warden.protocol.FrameDecoder;
import io.warden.protocol.FrameTooLargeException;
import io.warden.protocol.JuteWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PeerCodecTest {
  private static final int LIMIT = PeerCodec.frameBytesMax(0xFFFFF, 1 << 20, 1 << 20);
  private static final byte[] MEMBERSHIP = new Membership(Set.of(1, 2, 3), Set.of(4)).encode();

  /** At least one of every frame and every message, with the edge values of each field. */
  static List<PeerFrame> samples() {
    List<LogEntry> entries = List.of(
        new LogEntry(7, 2, EntryType.NOOP, new byte[0]),
        new LogEntry(8, 2, EntryType.COMMAND, new byte[] {1, 2, 3}),
        new LogEntry(9, 3, EntryType.MEMBERSHIP, MEMBERSHIP));
    List<PeerMessage> messages = List.of(
        raft(new RaftMessage.VoteRequest(1, 2, 5, 100, 4, true, false)),
        raft(new RaftMessage.VoteRequest(3, 1, Long.MAX_VALUE, 0, 0, false, true)),
        raft(new RaftMessage.VoteResponse(2, 1, 5, true, true)),
        raft(new RaftMessage.VoteResponse(2, 1, 6, false, false)),
        raft(new RaftMessage.AppendRequest(1, 3, 9, 6, 2, entries, 8, 77)),
        raft(new RaftMessage.AppendRequest(1, 2, 9, 6, 2, List.of(), 6, 0)),
        raft(new RaftMessage.AppendResponse(3, 1, 9, true, 9, 0, 77)),
        raft(new RaftMessage.AppendResponse(3, 1, 9, false, 0, -1, -1)),
        raft(new RaftMessage.SnapshotChunk(1, 255, 4, 1000, 3, MEMBERSHIP, 0, false, new byte[] {9, 8})),
        raft(new RaftMessage.SnapshotChunk(1, 2, 4, 1000, 3, MEMBERSHIP, 12, true, new byte[0])),
        raft(new RaftMessage.SnapshotResponse(2, 1, 4, 1000, 12, true)),
        raft(new RaftMessage.SnapshotResponse(2, 1, 4, 1000, 0, false)),
        raft(new RaftMessage.TimeoutNow(1, 2, 11)),
        raft(new RaftMessage.ReadIndexRequest(2, 1, 11, Long.MIN_VALUE)),
        raft(new RaftMessage.ReadIndexResponse(1, 2, 11, 42, -1)),
        raft(new RaftMessage.ReadIndexResponse(1, 2, 11, 43, 99)),
        new PeerMessage.Forward(2, 1, 123456789L << 16, new byte[] {0, 1, 2, 3, 4}),
        new PeerMessage.Forward(2, 1, 1, new byte[0]),
        new PeerMessage.ForwardRejected(1, 2, 123456789L << 16),
        new PeerMessage.Touch(3, 1, new long[] {1L << 56 | 5, -1}, new long[] {1L << 56 | 5}),
        new PeerMessage.Touch(3, 1, new long[0], new long[0]),
        new PeerMessage.SessionMoved(1, 3, 0x0300000000000042L));
    List<PeerFrame> frames = new ArrayList<>(List.of(
        new PeerFrame.Hello(PeerCodec.VERSION, 1, 2, 0x1234_5678_9abc_def0L),
        new PeerFrame.Welcome(PeerCodec.VERSION, 2, -1L),
        new PeerFrame.Refused("it belongs to another ensemble — ünïcödé"),
        new PeerFrame.Refused(""),
        new PeerFrame.Ping()));
    messages.forEach(m -> frames.add(new PeerFrame.Message(m)));
    return frames;
  }

  private static PeerMessage raft(RaftMessage m) {
    return new PeerMessage.Raft(m);
  }

  @Test
  void everyFrameRoundTrips() {
    for (PeerFrame f : samples()) {
      byte[] frame = PeerCodec.encode(f, LIMIT);
      PeerFrame back = PeerCodec.decode(payload(frame), LIMIT);
      assertThat(back).as("%s", f).usingRecursiveComparison().isEqualTo(f);
      assertThat(PeerCodec.encode(back, LIMIT)).as("re-encoding %s", f).isEqualTo(frame);
    }
  }

  @Test
  void theSamplesCoverEveryMessageType() {
    Set<Class<?>> covered = new HashSet<>();
    for (PeerFrame f : samples()) {
      covered.add(f.getClass());
      if (f instanceof PeerFrame.Message m) {
        covered.add(m.message().getClass());
        if (m.message() instanceof PeerMessage.Raft r) {
          covered.add(r.message().getClass());
        }
      }
    }
    Set<Class<?>> all = new HashSet<>();
    Stream.of(PeerFrame.class, PeerMessage.class, RaftMessage.class)
        .forEach(c -> all.addAll(Arrays.asList(c.getPermittedSubclasses())));
    assertThat(covered).containsAll(all);
  }

  @Test
  void aStreamSplitAnywhereDecodesToTheSameFrames() {
    JuteWriter w = new JuteWriter();
    List<PeerFrame> sent = samples();
    sent.forEach(f -> PeerCodec.write(w, f, LIMIT));
    byte[] stream = w.toByteArray();
    List<PeerFrame> received = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(LIMIT);
    for (byte b : stream) {
      decoder.feed(new byte[] {b}, 0, 1, p -> received.add(PeerCodec.decode(p, LIMIT)));
    }
    assertThat(received).usingRecursiveFieldByFieldElementComparator().isEqualTo(sent);
  }

  @Test
  void everyTruncationIsAClearErrorNeverAnIndexException() {
    for (PeerFrame f : samples()) {
      byte[] full = payload(PeerCodec.encode(f, LIMIT));
      for (int len = 0; len < full.length; len++) {
        byte[] cut = Arrays.copyOf(full, len);
        assertThatThrownBy(() -> PeerCodec.decode(cut, LIMIT)).as("%s cut to %d bytes", f, len)
            .isInstanceOf(PeerCodecException.class);
      }
    }
  }

  @Test
  void garbageAndCorruptedFramesFailOnlyWithPeerCodecException() {
    long seed = Long.getLong("peer.codec.seed", System.nanoTime());
    System.out.println("PeerCodecTest garbage seed " + seed + " (replay: -Dpeer.codec.seed=" + seed + ")");
    Random random = new Random(seed);
    List<byte[]> valid = samples().stream().map(f -> payload(PeerCodec.encode(f, LIMIT))).toList();
    int decoded = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes;
      if (i % 2 == 0) {
        bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        if (bytes.length > 0) {
          bytes[0] = (byte) random.nextInt(40); // mostly known types, so the bodies get parsed
        }
      } else {
        bytes = valid.get(random.nextInt(valid.size())).clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        PeerCodec.decode(bytes, LIMIT);
        decoded++;
      } catch (PeerCodecException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
    assertThat(decoded).as("some corruptions still decode (a flipped flag), most do not").isBetween(1, 19_999);
  }

  @Test
  void unknownTypesTrailingBytesAndBadFieldsAreNamed() {
    assertThatThrownBy(() -> PeerCodec.decode(new byte[] {99, 0, 0}, LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("unknown peer frame type 99");
    assertThatThrownBy(() -> PeerCodec.decode(new byte[0], LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("empty");
    byte[] ping = payload(PeerCodec.encode(new PeerFrame.Ping(), LIMIT));
    assertThatThrownBy(() -> PeerCodec.decode(Arrays.copyOf(ping, ping.length + 3), LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("3 trailing bytes");

    JuteWriter badId = new JuteWriter();
    badId.writeRaw(new byte[] {31}, 0, 1).writeInt(0).writeInt(2).writeLong(5); // ForwardRejected from server 0
    assertThatThrownBy(() -> PeerCodec.decode(badId.toByteArray(), LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("server id 0 outside 1..255");

    JuteWriter badEntry = new JuteWriter();
    badEntry.writeRaw(new byte[] {12}, 0, 1).writeInt(1).writeInt(2).writeLong(3).writeLong(0).writeLong(0)
        .writeInt(1).writeLong(1).writeLong(3).writeInt(7).writeBuffer(new byte[0]).writeLong(0).writeLong(0);
    assertThatThrownBy(() -> PeerCodec.decode(badEntry.toByteArray(), LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("unknown log entry type 7");

    JuteWriter zeroIndex = new JuteWriter();
    zeroIndex.writeRaw(new byte[] {12}, 0, 1).writeInt(1).writeInt(2).writeLong(3).writeLong(0).writeLong(0)
        .writeInt(1).writeLong(0).writeLong(3).writeInt(1).writeBuffer(new byte[0]).writeLong(0).writeLong(0);
    assertThatThrownBy(() -> PeerCodec.decode(zeroIndex.toByteArray(), LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("index and term start at 1");

    JuteWriter hugeCount = new JuteWriter();
    hugeCount.writeRaw(new byte[] {32}, 0, 1).writeInt(1).writeInt(2).writeInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> PeerCodec.decode(hugeCount.toByteArray(), LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("unreasonable session count");

    JuteWriter nullCommand = new JuteWriter();
    nullCommand.writeRaw(new byte[] {30}, 0, 1).writeInt(1).writeInt(2).writeLong(1).writeBuffer(null);
    assertThatThrownBy(() -> PeerCodec.decode(nullCommand.toByteArray(), LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("missing command");
  }

  @Test
  void aHandshakeOfAnotherVersionIsReadOnlyUpToItsVersion() {
    JuteWriter w = new JuteWriter();
    w.writeRaw(new byte[] {1}, 0, 1).writeInt(PeerCodec.MAGIC).writeInt(PeerCodec.VERSION + 1)
        .writeString("a layout this version does not know").writeBool(true);
    assertThat(PeerCodec.decode(w.toByteArray(), LIMIT)).isEqualTo(new PeerFrame.Hello(PeerCodec.VERSION + 1, 0, 0, 0));

    JuteWriter notWarden = new JuteWriter();
    notWarden.writeRaw(new byte[] {1}, 0, 1).writeInt(0xCAFEBABE).writeInt(1);
    assertThatThrownBy(() -> PeerCodec.decode(notWarden.toByteArray(), LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("not a Warden peer handshake");
  }

  @Test
  void theFrameLimitHoldsTheLargestAppendAndSnapshotChunkAndIsEnforcedBothWays() {
    assertThat(LIMIT).isEqualTo(4 << 20);
    // a full 1 MiB batch of small entries, then the worst single entry: a jute.maxbuffer write
    List<LogEntry> batch = new ArrayList<>();
    long bytes = 0;
    for (long i = 1; bytes < (1 << 20); i++) {
      LogEntry e = new LogEntry(i, 1, EntryType.COMMAND, new byte[1000]);
      batch.add(e);
      bytes += e.sizeBytes();
    }
    assertThat(PeerCodec.encode(new PeerFrame.Message(raft(new RaftMessage.AppendRequest(1, 2, 1, 0, 0, batch, 0, 0))),
        LIMIT).length).isLessThan(LIMIT);
    LogEntry huge = new LogEntry(1, 1, EntryType.COMMAND, new byte[0xFFFFF + 4096]);
    assertThat(PeerCodec.encode(new PeerFrame.Message(raft(new RaftMessage.AppendRequest(1, 2, 1, 0, 0, List.of(huge),
        0, 0))), LIMIT).length).isLessThan(LIMIT);
    byte[] chunk = new byte[1 << 20];
    assertThat(PeerCodec.encode(new PeerFrame.Message(raft(new RaftMessage.SnapshotChunk(1, 2, 1, 5, 1, MEMBERSHIP, 0,
        true, chunk))), LIMIT).length).isLessThan(LIMIT);
    // a larger jute.maxbuffer raises the limit with it
    assertThat(PeerCodec.frameBytesMax(8 << 20, 1 << 20, 1 << 20)).isGreaterThan(16 << 20);

    PeerFrame tooBig = new PeerFrame.Message(new PeerMessage.Forward(2, 1, 1, new byte[LIMIT]));
    assertThatThrownBy(() -> PeerCodec.encode(tooBig, LIMIT))
        .isInstanceOf(PeerCodecException.class).hasMessageContaining("exceeds the peer frame limit");

    byte[] announced = {(byte) ((LIMIT + 1) >>> 24), (byte) ((LIMIT + 1) >>> 16), (byte) ((LIMIT + 1) >>> 8),
        (byte) (LIMIT + 1)};
    assertThatThrownBy(() -> new FrameDecoder(LIMIT).feed(announced, 0, 4, p -> { }))
        .isInstanceOf(FrameTooLargeException.class);
  }

  @Test
  void estimatedSizesFollowTheEncodedSizesOfLargeMessages() {
    for (PeerFrame f : samples()) {
      if (f instanceof PeerFrame.Message m) {
        long estimate = PeerCodec.estimatedBytes(m.message());
        int actual = PeerCodec.encode(f, LIMIT).length;
        assertThat(estimate).as("%s", m.message()).isGreaterThanOrEqualTo(actual - 64).isLessThanOrEqualTo(actual + 64);
      }
    }
  }

  private static byte[] payload(byte[] frame) {
    return Arrays.copyOfRange(frame, 4, frame.length);
  }
}
