package io.warden.protocol;

import java.util.Arrays;

/** Reply body of sasl (102) (reference §7.18): the server's SASL token. */
public record SetSaslResponse(byte[] token) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeBuffer(token);
  }

  public static SetSaslResponse read(JuteReader r) {
    return new SetSaslResponse(r.readBuffer());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SetSaslResponse x && Arrays.equals(token, x.token);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(token);
  }

  @Override
  public String toString() {
    return "SetSaslResponse[token=" + Bytes.describe(token) + "]";
  }
}
