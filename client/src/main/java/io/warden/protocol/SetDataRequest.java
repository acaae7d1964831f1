package io.warden.protocol;

import java.util.Arrays;
import java.util.Objects;

/** Body of setData (5) (reference §7.5). */
public record SetDataRequest(String path, byte[] data, int version) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeBuffer(data).writeInt(version);
  }

  public static SetDataRequest read(JuteReader r) {
    return new SetDataRequest(r.readString(), r.readBuffer(), r.readInt());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SetDataRequest x && Objects.equals(path, x.path)
        && Arrays.equals(data, x.data) && version == x.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, Arrays.hashCode(data), version);
  }

  @Override
  public String toString() {
    return "SetDataRequest[path=" + path
        + ", data=" + Bytes.describe(data)
        + ", version=" + version
        + "]";
  }
}
