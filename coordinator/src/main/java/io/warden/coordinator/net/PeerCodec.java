package io.warden.coordinator.net;

import io.warden.coordinator.node.PeerMessage;
import io.warden.coordinator.raft.EntryType;
import io.warden.coordinator.raft.LogEntry;
import io.warden.coordinator.raft.RaftMessage;
import io.warden.protocol.JuteException;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary encoding of peer frames ({@link PeerFrame}), with the jute primitives of the client
 * protocol (big-endian, length-prefixed buffers). A frame is {@code int length}, then one type
 * byte, then the type's fields in a fixed order; nothing is optional and nothing may follow the
 * last field.
 *
 * <p>Versioning: {@link PeerFrame.Hello} and {@link PeerFrame.Welcome} start with a magic number
 * and {@link #VERSION}; everything after the version may change from one version to the next,
 * so a node reads no further than the version of a handshake it does not speak, and refuses the
 * connection with both versions named. Any change to any frame's layout bumps the version.
 *
 * <p>Decoding never throws anything but {@link PeerCodecException}: truncation, garbage, an
 * unknown type, trailing bytes, a server id outside 1..255 or an unknown entry type all say what
 * was wrong (the connection is then closed).
 */
public final class PeerCodec {
  /** The layout version of every frame; both ends must speak the same. */
  public static final int VERSION = 1;
  /** "WRDN", the first field of a handshake: a stranger on the peer port is recognised at once. */
  public static final int MAGIC = 0x5752444E;
  /** The accepting side only sends handshake answers and pings: small frames. */
  public static final int CONTROL_FRAME_BYTES_MAX = 64 * 1024;
  /** No frame limit below this: the default 1 MiB appends and snapshot chunks, with headroom. */
  static final int MIN_FRAME_BYTES_MAX = 4 << 20;
  private static final int REASON_CHARS_MAX = 1000;

  private static final byte HELLO = 1;
  private static final byte WELCOME = 2;
  private static final byte REFUSED = 3;
  private static final byte PING = 4;
  private static final byte VOTE_REQUEST = 10;
  private static final byte VOTE_RESPONSE = 11;
  private static final byte APPEND_REQUEST = 12;
  private static final byte APPEND_RESPONSE = 13;
  private static final byte SNAPSHOT_CHUNK = 14;
  private static final byte SNAPSHOT_RESPONSE = 15;
  private static final byte TIMEOUT_NOW = 16;
  private static final byte READ_INDEX_REQUEST = 17;
  private static final byte READ_INDEX_RESPONSE = 18;
  private static final byte FORWARD = 30;
  private static final byte FORWARD_REJECTED = 31;
  private static final byte TOUCH = 32;
  private static final byte SESSION_MOVED = 33;

  /** One-byte arrays for the type byte (JuteWriter writes ints, buffers and raw bytes). */
  private static final byte[][] TYPE_BYTES = new byte[128][];

  static {
    for (int i = 0; i < TYPE_BYTES.length; i++) {
      TYPE_BYTES[i] = new byte[] {(byte) i};
    }
  }

  private PeerCodec() {
  }

  /**
   * The largest frame a node sends or accepts. An append carries entries up to
   * {@code maxBytesPerAppend} — or one larger entry, a client write of up to jute.maxbuffer with
   * its stamp —, a snapshot chunk {@code snapshotChunkBytes}, a forwarded write one client
   * request: twice the largest of them plus 1 MiB leaves room for every header and per-entry
   * overhead, and never less than 4 MiB.
   */
  public static int frameBytesMax(int juteMaxBufferBytes, long maxBytesPerAppend, int snapshotChunkBytes) {
    long largest = Math.max(Math.max(juteMaxBufferBytes, maxBytesPerAppend), snapshotChunkBytes);
    long limit = Math.max(MIN_FRAME_BYTES_MAX, 2 * largest + (1 << 20));
    return (int) Math.min(limit, Integer.MAX_VALUE - 64);
  }

  // ---- encoding ---------------------------------------------------------------------------

  /** One complete frame (length prefix included), checked against {@code frameBytesMax}. */
  public static byte[] encode(PeerFrame frame, int frameBytesMax) {
    JuteWriter w = new JuteWriter(64);
    write(w, frame, frameBytesMax);
    return w.toByteArray();
  }

  /**
   * Appends one complete frame to {@code w}. A frame over {@code frameBytesMax} throws
   * {@link PeerCodecException} after it was written: the writer's content is then unusable and
   * the caller discards it (the receiver would refuse the frame, so it must never be sent).
   */
  public static void write(JuteWriter w, PeerFrame frame, int frameBytesMax) {
    int at = w.beginFrame();
    if (frame instanceof PeerFrame.Hello h) {
      type(w, HELLO).writeInt(MAGIC).writeInt(h.version()).writeInt(h.senderId()).writeInt(h.receiverId())
          .writeLong(h.ensembleFingerprint());
    } else if (frame instanceof PeerFrame.Welcome h) {
      type(w, WELCOME).writeInt(MAGIC).writeInt(h.version()).writeInt(h.serverId()).writeLong(h.ensembleFingerprint());
    } else if (frame instanceof PeerFrame.Refused r) {
      String reason = r.reason().length() > REASON_CHARS_MAX ? r.reason().substring(0, REASON_CHARS_MAX) : r.reason();
      type(w, REFUSED).writeString(reason);
    } else if (frame instanceof PeerFrame.Ping) {
      type(w, PING);
    } else if (frame instanceof PeerFrame.Message m) {
      writeMessage(w, m.message());
    } else {
      throw new IllegalStateException("unhandled frame " + frame);
    }
    w.endFrame(at);
    int length = w.size() - at - 4;
    if (length > frameBytesMax) {
      throw new PeerCodecException("a " + describe(frame) + " frame of " + length + " bytes exceeds the peer frame "
          + "limit of " + frameBytesMax + " bytes");
    }
  }

  private static void writeMessage(JuteWriter w, PeerMessage message) {
    if (message instanceof PeerMessage.Raft r) {
      writeRaft(w, r.message());
    } else if (message instanceof PeerMessage.Forward f) {
      ids(type(w, FORWARD), f.from(), f.to()).writeLong(f.originSeq()).writeBuffer(f.command());
    } else if (message instanceof PeerMessage.ForwardRejected f) {
      ids(type(w, FORWARD_REJECTED), f.from(), f.to()).writeLong(f.originSeq());
    } else if (message instanceof PeerMessage.Touch t) {
      ids(type(w, TOUCH), t.from(), t.to());
      writeLongs(w, t.heard());
      writeLongs(w, t.bound());
    } else if (message instanceof PeerMessage.SessionMoved s) {
      ids(type(w, SESSION_MOVED), s.from(), s.to()).writeLong(s.sessionId());
    } else {
      throw new IllegalStateException("unhandled peer message " + message);
    }
  }

  private static void writeRaft(JuteWriter w, RaftMessage message) {
    if (message instanceof RaftMessage.VoteRequest v) {
      header(w, VOTE_REQUEST, v).writeLong(v.lastLogIndex()).writeLong(v.lastLogTerm()).writeBool(v.preVote())
          .writeBool(v.transfer());
    } else if (message instanceof RaftMessage.VoteResponse v) {
      header(w, VOTE_RESPONSE, v).writeBool(v.granted()).writeBool(v.preVote());
    } else if (message instanceof RaftMessage.AppendRequest a) {
      header(w, APPEND_REQUEST, a).writeLong(a.prevLogIndex()).writeLong(a.prevLogTerm());
      w.writeInt(a.entries().size());
      for (LogEntry e : a.entries()) {
        w.writeLong(e.index()).writeLong(e.term()).writeInt(e.type().code()).writeBuffer(e.data());
      }
      w.writeLong(a.leaderCommit()).writeLong(a.readSeq());
    } else if (message instanceof RaftMessage.AppendResponse a) {
      header(w, APPEND_RESPONSE, a).writeBool(a.success()).writeLong(a.matchIndex()).writeLong(a.hintIndex())
          .writeLong(a.readSeq());
    } else if (message instanceof RaftMessage.SnapshotChunk c) {
      header(w, SNAPSHOT_CHUNK, c).writeLong(c.snapshotIndex()).writeLong(c.snapshotTerm()).writeBuffer(c.membership())
          .writeInt(c.chunk()).writeBool(c.last()).writeBuffer(c.data());
    } else if (message instanceof RaftMessage.SnapshotResponse s) {
      header(w, SNAPSHOT_RESPONSE, s).writeLong(s.snapshotIndex()).writeInt(s.chunk()).writeBool(s.ok());
    } else if (message instanceof RaftMessage.TimeoutNow t) {
      header(w, TIMEOUT_NOW, t);
    } else if (message instanceof RaftMessage.ReadIndexRequest r) {
      header(w, READ_INDEX_REQUEST, r).writeLong(r.requestId());
    } else if (message instanceof RaftMessage.ReadIndexResponse r) {
      header(w, READ_INDEX_RESPONSE, r).writeLong(r.requestId()).writeLong(r.readIndex());
    } else {
      throw new IllegalStateException("unhandled raft message " + message);
    }
  }

  private static JuteWriter type(JuteWriter w, byte type) {
    return w.writeRaw(TYPE_BYTES[type], 0, 1);
  }

  private static JuteWriter ids(JuteWriter w, int from, int to) {
    return w.writeInt(from).writeInt(to);
  }

  private static JuteWriter header(JuteWriter w, byte type, RaftMessage m) {
    return ids(type(w, type), m.from(), m.to()).writeLong(m.term());
  }

  private static void writeLongs(JuteWriter w, long[] values) {
    w.writeInt(values.length);
    for (long v : values) {
      w.writeLong(v);
    }
  }

  // ---- decoding ---------------------------------------------------------------------------

  /**
   * Decodes one frame's payload (without its length prefix, as {@link io.warden.protocol.FrameDecoder}
   * delivers it). No buffer inside may be longer than {@code frameBytesMax}.
   */
  public static PeerFrame decode(byte[] payload, int frameBytesMax) {
    if (payload.length == 0) {
      throw new PeerCodecException("empty peer frame");
    }
    byte type = payload[0];
    JuteReader r = new JuteReader(payload, 1, payload.length - 1, frameBytesMax);
    try {
      PeerFrame frame = switch (type) {
        case HELLO -> readHello(r);
        case WELCOME -> readWelcome(r);
        case REFUSED -> new PeerFrame.Refused(nonNull(r.readString(), "reason"));
        case PING -> new PeerFrame.Ping();
        case VOTE_REQUEST, VOTE_RESPONSE, APPEND_REQUEST, APPEND_RESPONSE, SNAPSHOT_CHUNK, SNAPSHOT_RESPONSE,
            TIMEOUT_NOW, READ_INDEX_REQUEST, READ_INDEX_RESPONSE, FORWARD, FORWARD_REJECTED, TOUCH, SESSION_MOVED ->
            new PeerFrame.Message(readMessage(type, r));
        default -> throw new PeerCodecException("unknown peer frame type " + type);
      };
      if (r.hasRemaining()) {
        throw new PeerCodecException(r.remaining() + " trailing bytes after a " + describe(frame) + " frame");
      }
      return frame;
    } catch (JuteException | IllegalArgumentException e) {
      // IllegalArgumentException: a record's own check (a log entry with index 0, say)
      throw new PeerCodecException("malformed peer frame of type " + type + ": " + e.getMessage(), e);
    }
  }

  private static PeerFrame readHello(JuteReader r) {
    magic(r);
    int version = r.readInt();
    if (version != VERSION) {
      skipRest(r); // a layout we do not know: the caller refuses, naming both versions
      return new PeerFrame.Hello(version, 0, 0, 0);
    }
    return new PeerFrame.Hello(version, id(r), id(r), r.readLong());
  }

  private static PeerFrame readWelcome(JuteReader r) {
    magic(r);
    int version = r.readInt();
    if (version != VERSION) {
      skipRest(r);
      return new PeerFrame.Welcome(version, 0, 0);
    }
    return new PeerFrame.Welcome(version, id(r), r.readLong());
  }

  private static void magic(JuteReader r) {
    int magic = r.readInt();
    if (magic != MAGIC) {
      throw new PeerCodecException("not a Warden peer handshake (magic 0x" + Integer.toHexString(magic) + ")");
    }
  }

  private static void skipRest(JuteReader r) {
    while (r.remaining() >= 4) {
      r.readInt();
    }
    while (r.hasRemaining()) {
      r.readBool();
    }
  }

  private static PeerMessage readMessage(byte type, JuteReader r) {
    return switch (type) {
      case FORWARD -> new PeerMessage.Forward(id(r), id(r), r.readLong(), nonNull(r.readBuffer(), "command"));
      case FORWARD_REJECTED -> new PeerMessage.ForwardRejected(id(r), id(r), r.readLong());
      case TOUCH -> new PeerMessage.Touch(id(r), id(r), readLongs(r), readLongs(r));
      case SESSION_MOVED -> new PeerMessage.SessionMoved(id(r), id(r), r.readLong());
      default -> new PeerMessage.Raft(readRaft(type, r));
    };
  }

  private static RaftMessage readRaft(byte type, JuteReader r) {
    int from = id(r);
    int to = id(r);
    long term = r.readLong();
    return switch (type) {
      case VOTE_REQUEST -> new RaftMessage.VoteRequest(from, to, term, r.readLong(), r.readLong(), r.readBool(),
          r.readBool());
      case VOTE_RESPONSE -> new RaftMessage.VoteResponse(from, to, term, r.readBool(), r.readBool());
      case APPEND_REQUEST -> new RaftMessage.AppendRequest(from, to, term, r.readLong(), r.readLong(), readEntries(r),
          r.readLong(), r.readLong());
      case APPEND_RESPONSE -> new RaftMessage.AppendResponse(from, to, term, r.readBool(), r.readLong(), r.readLong(),
          r.readLong());
      case SNAPSHOT_CHUNK -> new RaftMessage.SnapshotChunk(from, to, term, r.readLong(), r.readLong(),
          nonNull(r.readBuffer(), "membership"), r.readInt(), r.readBool(), nonNull(r.readBuffer(), "data"));
      case SNAPSHOT_RESPONSE -> new RaftMessage.SnapshotResponse(from, to, term, r.readLong(), r.readInt(),
          r.readBool());
      case TIMEOUT_NOW -> new RaftMessage.TimeoutNow(from, to, term);
      case READ_INDEX_REQUEST -> new RaftMessage.ReadIndexRequest(from, to, term, r.readLong());
      case READ_INDEX_RESPONSE -> new RaftMessage.ReadIndexResponse(from, to, term, r.readLong(), r.readLong());
      default -> throw new PeerCodecException("unknown peer frame type " + type);
    };
  }

  /** Entries: a count (bounded by what the frame can hold: 24 bytes each at least), then each. */
  private static List<LogEntry> readEntries(JuteReader r) {
    int n = r.readInt();
    if (n < 0 || (long) n * 24 > r.remaining()) {
      throw new PeerCodecException("unreasonable entry count " + n + " with " + r.remaining() + " bytes left");
    }
    List<LogEntry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long index = r.readLong();
      long term = r.readLong();
      int code = r.readInt();
      EntryType type = code >= Byte.MIN_VALUE && code <= Byte.MAX_VALUE ? EntryType.of((byte) code) : null;
      if (type == null) {
        throw new PeerCodecException("unknown log entry type " + code + " at index " + index);
      }
      entries.add(new LogEntry(index, term, type, nonNull(r.readBuffer(), "entry data")));
    }
    return List.copyOf(entries);
  }

  private static long[] readLongs(JuteReader r) {
    int n = r.readInt();
    if (n < 0 || (long) n * 8 > r.remaining()) {
      throw new PeerCodecException("unreasonable session count " + n + " with " + r.remaining() + " bytes left");
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.readLong();
    }
    return out;
  }

  private static int id(JuteReader r) {
    int id = r.readInt();
    if (id < 1 || id > 255) {
      throw new PeerCodecException("server id " + id + " outside 1..255");
    }
    return id;
  }

  private static <T> T nonNull(T value, String what) {
    if (value == null) {
      throw new PeerCodecException("missing " + what + " (null buffer)");
    }
    return value;
  }

  // ---- sizes and names ---------------------------------------------------------------------

  /**
   * Roughly the bytes {@code m} takes on the wire, computed without encoding it: send queues
   * are bounded in bytes as well as in messages.
   */
  public static long estimatedBytes(PeerMessage m) {
    if (m instanceof PeerMessage.Raft r) {
      if (r.message() instanceof RaftMessage.AppendRequest a) {
        long bytes = 64;
        for (LogEntry e : a.entries()) {
          bytes += 24L + e.data().length;
        }
        return bytes;
      }
      if (r.message() instanceof RaftMessage.SnapshotChunk c) {
        return 64L + c.data().length + c.membership().length;
      }
      return 48;
    }
    if (m instanceof PeerMessage.Forward f) {
      return 32L + f.command().length;
    }
    if (m instanceof PeerMessage.Touch t) {
      return 32L + 8L * (t.heard().length + t.bound().length);
    }
    return 32;
  }

  /** A short name for logs. */
  static String describe(PeerFrame frame) {
    if (frame instanceof PeerFrame.Message m) {
      PeerMessage pm = m.message();
      return pm instanceof PeerMessage.Raft r ? r.message().getClass().getSimpleName() : pm.getClass().getSimpleName();
    }
    return frame.getClass().getSimpleName();
  }
}
