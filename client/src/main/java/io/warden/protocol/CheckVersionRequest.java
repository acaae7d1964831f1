package io.warden.protocol;

/** Body of check (13), valid only as a multi sub-op (reference §7.11). */
public record CheckVersionRequest(String path, int version) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeInt(version);
  }

  public static CheckVersionRequest read(JuteReader r) {
    return new CheckVersionRequest(r.readString(), r.readInt());
  }
}
