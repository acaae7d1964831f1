package io.warden.protocol;

import java.util.Objects;

/** Reply body of create2 (15), createContainer (19) and createTTL (21) (reference §7.1). */
public record Create2Response(String path, Stat stat) implements JuteRecord {
  public Create2Response {
    Objects.requireNonNull(stat, "stat");
  }

  @Override
  public void write(JuteWriter w) {
    w.writeString(path);
    stat.write(w);
  }

  public static Create2Response read(JuteReader r) {
    return new Create2Response(r.readString(), Stat.read(r));
  }
}
