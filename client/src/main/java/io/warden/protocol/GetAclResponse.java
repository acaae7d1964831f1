package io.warden.protocol;

import java.util.List;
import java.util.Objects;

/** Reply body of getACL (6) (reference §7.6). */
public record GetAclResponse(List<Acl> acl, Stat stat) implements JuteRecord {
  public GetAclResponse {
    Objects.requireNonNull(stat, "stat");
  }

  @Override
  public void write(JuteWriter w) {
    w.writeRecordList(acl);
    stat.write(w);
  }

  public static GetAclResponse read(JuteReader r) {
    return new GetAclResponse(Acl.readList(r), Stat.read(r));
  }
}
