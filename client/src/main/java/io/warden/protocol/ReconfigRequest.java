package io.warden.protocol;

/** Body of reconfig (16) (reference §7.12); curConfigId -1 means "don't care". */
public record ReconfigRequest(
    String joiningServers,
    String leavingServers,
    String newMembers,
    long curConfigId) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(joiningServers).writeString(leavingServers).writeString(newMembers)
        .writeLong(curConfigId);
  }

  public static ReconfigRequest read(JuteReader r) {
    return new ReconfigRequest(r.readString(), r.readString(), r.readString(), r.readLong());
  }
}
