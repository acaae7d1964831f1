package io.warden.protocol;

import java.util.Arrays;
import java.util.Objects;

/** Reply body of getData (4) and reconfig (16) (reference §7.4, §7.12). Null data stays null. */
public record GetDataResponse(byte[] data, Stat stat) implements JuteRecord {
  public GetDataResponse {
    Objects.requireNonNull(stat, "stat");
  }

  @Override
  public void write(JuteWriter w) {
    w.writeBuffer(data);
    stat.write(w);
  }

  public static GetDataResponse read(JuteReader r) {
    return new GetDataResponse(r.readBuffer(), Stat.read(r));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GetDataResponse x && Arrays.equals(data, x.data)
        && Objects.equals(stat, x.stat);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(data), stat);
  }

  @Override
  public String toString() {
    return "GetDataResponse[data=" + Bytes.describe(data) + ", stat=" + stat + "]";
  }
}
