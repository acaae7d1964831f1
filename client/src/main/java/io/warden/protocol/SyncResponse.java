package io.warden.protocol;

/** Reply body of sync (9) (reference §7.9): echoes the path. */
public record SyncResponse(String path) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path);
  }

  public static SyncResponse read(JuteReader r) {
    return new SyncResponse(r.readString());
  }
}
