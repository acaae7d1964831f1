package io.warden.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Body of create (1), create2 (15) and createContainer (19) (reference §7.1). {@code flags} is a
 * {@link CreateMode} flag; it is not validated here because a bad value is BadArguments, not
 * MarshallingError.
 */
public record CreateRequest(
    String path,
    byte[] data,
    List<Acl> acl,
    int flags) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeBuffer(data).writeRecordList(acl).writeInt(flags);
  }

  public static CreateRequest read(JuteReader r) {
    return new CreateRequest(r.readString(), r.readBuffer(), Acl.readList(r), r.readInt());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CreateRequest x && Objects.equals(path, x.path)
        && Arrays.equals(data, x.data) && Objects.equals(acl, x.acl) && flags == x.flags;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, Arrays.hashCode(data), acl, flags);
  }

  @Override
  public String toString() {
    return "CreateRequest[path=" + path
        + ", data=" + Bytes.describe(data)
        + ", acl=" + acl
        + ", flags=" + flags
        + "]";
  }
}
