package io.warden.protocol;

import java.util.List;
import java.util.Objects;

/** Reply body of getChildren2 (12) (reference §7.8). */
public record GetChildren2Response(List<String> children, Stat stat) implements JuteRecord {
  public GetChildren2Response {
    Objects.requireNonNull(stat, "stat");
  }

  @Override
  public void write(JuteWriter w) {
    w.writeStringList(children);
    stat.write(w);
  }

  public static GetChildren2Response read(JuteReader r) {
    return new GetChildren2Response(r.readStringList(), Stat.read(r));
  }
}
