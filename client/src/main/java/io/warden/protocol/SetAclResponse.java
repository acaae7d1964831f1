package io.warden.protocol;

import java.util.Objects;

/** Reply body of setACL (7) (reference §7.7). */
public record SetAclResponse(Stat stat) implements JuteRecord {
  public SetAclResponse {
    Objects.requireNonNull(stat, "stat");
  }

  @Override
  public void write(JuteWriter w) {
    stat.write(w);
  }

  public static SetAclResponse read(JuteReader r) {
    return new SetAclResponse(Stat.read(r));
  }
}
