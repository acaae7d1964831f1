package io.warden.protocol;

import java.util.Arrays;

/** Body of sasl (102) (reference §7.18): one SASL token. */
public record GetSaslRequest(byte[] token) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeBuffer(token);
  }

  public static GetSaslRequest read(JuteReader r) {
    return new GetSaslRequest(r.readBuffer());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GetSaslRequest x && Arrays.equals(token, x.token);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(token);
  }

  @Override
  public String toString() {
    return "GetSaslRequest[token=" + Bytes.describe(token) + "]";
  }
}
