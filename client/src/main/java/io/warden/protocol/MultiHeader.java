package io.warden.protocol;

/** Precedes each multi sub-op and result, and ends both lists (reference §8). */
public record MultiHeader(int type, boolean done, int err) implements JuteRecord {
  public static final int ENCODED_BYTES = 9;
  /** The end marker of multi requests and responses. */
  public static final MultiHeader END = new MultiHeader(-1, true, -1);

  @Override
  public void write(JuteWriter w) {
    w.writeInt(type).writeBool(done).writeInt(err);
  }

  public static MultiHeader read(JuteReader r) {
    return new MultiHeader(r.readInt(), r.readBool(), r.readInt());
  }
}
