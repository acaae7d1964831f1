package io.warden.coordinator.fsm;

import io.warden.protocol.Id;
import io.warden.protocol.JuteException;
import io.warden.protocol.JuteReader;
import io.warden.protocol.JuteWriter;
import io.warden.protocol.Requests;
import java.util.List;

/**
 * The bytes of a command in the log. A version byte leads so the format can evolve; client
 * requests are stored in their own jute encoding, which is already a stable, tested format.
 *
 * <pre>
 * command      = header:int (version &lt;&lt; 8 | kind) originServer:int originSeq:long body
 * CreateSession: proposerId:int timeoutMs:int password:buffer timeMs:long
 * CloseSession : sessionId:long expired:bool timeMs:long
 * Txn          : sessionId:long timeMs:long identities:vector&lt;Id&gt; opcode:int request:record
 * Reap         : timeMs:long paths:vector&lt;ustring&gt;
 * </pre>
 */
public final class CommandCodec {
  /**
   * Which server proposed a command, and its own sequence number for it: when the entry
   * applies, that server (and only it) finds the client waiting for the result. Followers
   * forward proposals to the leader, so the log index cannot serve as the key.
   */
  public record Origin(int serverId, long seq) {
    public static final Origin NONE = new Origin(0, 0);
  }

  /** A decoded entry: its origin and its command. */
  public record Decoded(Origin origin, Command command) {
  }

  private static final byte VERSION = 1;
  private static final byte CREATE_SESSION = 1;
  private static final byte CLOSE_SESSION = 2;
  private static final byte TXN = 3;
  private static final byte REAP = 4;

  private CommandCodec() {
  }

  public static byte[] encode(Command c) {
    return encode(c, Origin.NONE);
  }

  public static byte[] encode(Command c, Origin origin) {
    JuteWriter w = new JuteWriter(64);
    if (c instanceof Command.CreateSession s) {
      kind(w, CREATE_SESSION, origin);
      w.writeInt(s.proposerId()).writeInt(s.timeoutMs()).writeBuffer(s.password()).writeLong(s.timeMs());
    } else if (c instanceof Command.CloseSession s) {
      kind(w, CLOSE_SESSION, origin);
      w.writeLong(s.sessionId()).writeBool(s.expired()).writeLong(s.timeMs());
    } else if (c instanceof Command.Txn t) {
      kind(w, TXN, origin);
      w.writeLong(t.sessionId()).writeLong(t.timeMs()).writeRecordList(t.identities()).writeInt(t.opcode());
      t.request().write(w);
    } else if (c instanceof Command.Reap r) {
      kind(w, REAP, origin);
      w.writeLong(r.timeMs()).writeStringList(r.paths());
    } else {
      throw new IllegalArgumentException("unknown command " + c);
    }
    return w.toByteArray();
  }

  /** Decodes a stored command; a malformed one is corruption (it was verified when written). */
  public static Command decode(byte[] bytes) {
    return decodeWithOrigin(bytes).command();
  }

  public static Decoded decodeWithOrigin(byte[] bytes) {
    JuteReader r = new JuteReader(bytes, 0, bytes.length, Integer.MAX_VALUE);
    try {
      int header = r.readInt();
      int version = header >>> 8;
      if (version != VERSION) {
        throw new IllegalStateException("unknown command format version " + version);
      }
      int kind = header & 0xFF;
      Origin origin = new Origin(r.readInt(), r.readLong());
      Command command = switch (kind) {
        case CREATE_SESSION -> new Command.CreateSession(r.readInt(), r.readInt(), r.readBuffer(), r.readLong());
        case CLOSE_SESSION -> new Command.CloseSession(r.readLong(), r.readBool(), r.readLong());
        case TXN -> {
          long sessionId = r.readLong();
          long timeMs = r.readLong();
          List<Id> ids = r.readRecordList("identities", 8, Id::read);
          int opcode = r.readInt();
          yield new Command.Txn(sessionId, timeMs, ids == null ? List.of() : ids, opcode, Requests.decode(opcode, r));
        }
        case REAP -> new Command.Reap(r.readLong(), r.readStringList());
        default -> throw new IllegalStateException("unknown command kind " + kind);
      };
      return new Decoded(origin, command);
    } catch (JuteException e) {
      throw new IllegalStateException("undecodable command: " + e.getMessage(), e);
    }
  }

  private static void kind(JuteWriter w, byte kind, Origin origin) {
    w.writeInt(VERSION << 8 | kind).writeInt(origin.serverId()).writeLong(origin.seq());
  }
}
