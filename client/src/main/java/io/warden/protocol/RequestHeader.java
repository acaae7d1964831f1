package io.warden.protocol;

/** Prefix of every client frame after the handshake (reference §4): xid and opcode. */
public record RequestHeader(int xid, int type) implements JuteRecord {
  public static final int ENCODED_BYTES = 8;

  @Override
  public void write(JuteWriter w) {
    w.writeInt(xid).writeInt(type);
  }

  public static RequestHeader read(JuteReader r) {
    return new RequestHeader(r.readInt(), r.readInt());
  }
}
