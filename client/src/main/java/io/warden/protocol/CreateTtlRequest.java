package io.warden.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Body of createTTL (21) (reference §7.1); {@code ttl} in milliseconds. */
public record CreateTtlRequest(
    String path,
    byte[] data,
    List<Acl> acl,
    int flags,
    long ttl) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeBuffer(data).writeRecordList(acl).writeInt(flags).writeLong(ttl);
  }

  public static CreateTtlRequest read(JuteReader r) {
    return new CreateTtlRequest(
        r.readString(),
        r.readBuffer(),
        Acl.readList(r),
        r.readInt(),
        r.readLong());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CreateTtlRequest x && Objects.equals(path, x.path)
        && Arrays.equals(data, x.data) && Objects.equals(acl, x.acl) && flags == x.flags
        && ttl == x.ttl;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, Arrays.hashCode(data), acl, flags, ttl);
  }

  @Override
  public String toString() {
    return "CreateTtlRequest[path=" + path
        + ", data=" + Bytes.describe(data)
        + ", acl=" + acl
        + ", flags=" + flags
        + ", ttl=" + ttl
        + "]";
  }
}
