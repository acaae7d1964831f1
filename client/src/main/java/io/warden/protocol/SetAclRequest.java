package io.warden.protocol;

import java.util.List;

/** Body of setACL (7) (reference §7.7); version is compared with the aversion. */
public record SetAclRequest(String path, List<Acl> acl, int version) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeRecordList(acl).writeInt(version);
  }

  public static SetAclRequest read(JuteReader r) {
    return new SetAclRequest(r.readString(), Acl.readList(r), r.readInt());
  }
}
