package io.warden.protocol;

/** A znode's Stat as clients see it (68 bytes on the wire, reference §6.1). */
public record Stat(
    long czxid,
    long mzxid,
    long ctime,
    long mtime,
    int version,
    int cversion,
    int aversion,
    long ephemeralOwner,
    int dataLength,
    int numChildren,
    long pzxid) implements JuteRecord {

  public static final int ENCODED_BYTES = 68;

  @Override
  public void write(JuteWriter w) {
    w.writeLong(czxid).writeLong(mzxid).writeLong(ctime).writeLong(mtime)
        .writeInt(version).writeInt(cversion).writeInt(aversion)
        .writeLong(ephemeralOwner).writeInt(dataLength).writeInt(numChildren)
        .writeLong(pzxid);
  }

  public static Stat read(JuteReader r) {
    return new Stat(r.readLong(), r.readLong(), r.readLong(), r.readLong(),
        r.readInt(), r.readInt(), r.readInt(),
        r.readLong(), r.readInt(), r.readInt(), r.readLong());
  }
}
