package io.warden.protocol;

/** Body of sync (9) (reference §7.9). */
public record SyncRequest(String path) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path);
  }

  public static SyncRequest read(JuteReader r) {
    return new SyncRequest(r.readString());
  }
}
