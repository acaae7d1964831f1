package io.warden.protocol;

import java.util.Objects;

/** Reply body of exists (3) (reference §7.3). */
public record ExistsResponse(Stat stat) implements JuteRecord {
  public ExistsResponse {
    Objects.requireNonNull(stat, "stat");
  }

  @Override
  public void write(JuteWriter w) {
    stat.write(w);
  }

  public static ExistsResponse read(JuteReader r) {
    return new ExistsResponse(Stat.read(r));
  }
}
