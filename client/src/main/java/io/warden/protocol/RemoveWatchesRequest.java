package io.warden.protocol;

/** Body of removeWatches (18) (reference §7.13); {@code type} is a {@link WatcherType} code. */
public record RemoveWatchesRequest(String path, int type) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeInt(type);
  }

  public static RemoveWatchesRequest read(JuteReader r) {
    return new RemoveWatchesRequest(r.readString(), r.readInt());
  }
}
