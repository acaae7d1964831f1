package io.warden.protocol;

/** Body of addWatch (106) (reference §7.21); {@code mode} is an {@link AddWatchMode} code. */
public record AddWatchRequest(String path, int mode) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeInt(mode);
  }

  public static AddWatchRequest read(JuteReader r) {
    return new AddWatchRequest(r.readString(), r.readInt());
  }
}
