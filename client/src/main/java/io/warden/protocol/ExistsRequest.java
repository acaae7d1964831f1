package io.warden.protocol;

/** Body of exists (3) (reference §7.3). */
public record ExistsRequest(String path, boolean watch) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeBool(watch);
  }

  public static ExistsRequest read(JuteReader r) {
    return new ExistsRequest(r.readString(), r.readBool());
  }
}
