package io.warden.protocol;

import java.util.Objects;

/** Reply body of setData (5) (reference §7.5): the new Stat. */
public record SetDataResponse(Stat stat) implements JuteRecord {
  public SetDataResponse {
    Objects.requireNonNull(stat, "stat");
  }

  @Override
  public void write(JuteWriter w) {
    stat.write(w);
  }

  public static SetDataResponse read(JuteReader r) {
    return new SetDataResponse(Stat.read(r));
  }
}
