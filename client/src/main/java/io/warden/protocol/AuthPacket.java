package io.warden.protocol;

import java.util.Arrays;
import java.util.Objects;

/** Body of auth (100), sent with xid -4 (reference §7.16). {@code type} is unused (0). */
public record AuthPacket(int type, String scheme, byte[] auth) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeInt(type).writeString(scheme).writeBuffer(auth);
  }

  public static AuthPacket read(JuteReader r) {
    return new AuthPacket(r.readInt(), r.readString(), r.readBuffer());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthPacket x && type == x.type && Objects.equals(scheme, x.scheme)
        && Arrays.equals(auth, x.auth);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, scheme, Arrays.hashCode(auth));
  }

  @Override
  public String toString() {
    return "AuthPacket[type=" + type
        + ", scheme=" + scheme
        + ", auth=" + Bytes.describe(auth)
        + "]";
  }
}
