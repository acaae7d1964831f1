package io.warden.protocol;

/** Body of checkWatches (17) (reference §7.13); {@code type} is a {@link WatcherType} code. */
public record CheckWatchesRequest(String path, int type) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeInt(type);
  }

  public static CheckWatchesRequest read(JuteReader r) {
    return new CheckWatchesRequest(r.readString(), r.readInt());
  }
}
