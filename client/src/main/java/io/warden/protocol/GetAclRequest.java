package io.warden.protocol;

/** Body of getACL (6) (reference §7.6). */
public record GetAclRequest(String path) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path);
  }

  public static GetAclRequest read(JuteReader r) {
    return new GetAclRequest(r.readString());
  }
}
