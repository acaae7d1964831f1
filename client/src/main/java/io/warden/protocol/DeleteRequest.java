package io.warden.protocol;

/** Body of delete (2) (reference §7.2); version -1 matches any version. */
public record DeleteRequest(String path, int version) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeInt(version);
  }

  public static DeleteRequest read(JuteReader r) {
    return new DeleteRequest(r.readString(), r.readInt());
  }
}
