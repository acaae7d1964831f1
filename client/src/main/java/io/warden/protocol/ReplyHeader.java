package io.warden.protocol;

/**
 * Prefix of every server frame after the handshake (reference §4). A body follows only when
 * {@code err == 0} and the operation has a response record.
 */
public record ReplyHeader(int xid, long zxid, int err) implements JuteRecord {
  public static final int ENCODED_BYTES = 16;
  /** xid of a watch notification (§4.1). */
  public static final int NOTIFICATION_XID = -1;
  /** xid of a ping and its reply (§4.1). */
  public static final int PING_XID = -2;
  /** xid of an auth packet and its reply (§4.1). */
  public static final int AUTH_XID = -4;
  /** xid the C client uses for setWatches (§4.1); servers just echo it. */
  public static final int SET_WATCHES_XID = -8;

  @Override
  public void write(JuteWriter w) {
    w.writeInt(xid).writeLong(zxid).writeInt(err);
  }

  public static ReplyHeader read(JuteReader r) {
    return new ReplyHeader(r.readInt(), r.readLong(), r.readInt());
  }
}
