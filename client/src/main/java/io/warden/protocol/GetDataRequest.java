package io.warden.protocol;

/** Body of getData (4) (reference §7.4); also a multiRead sub-op. */
public record GetDataRequest(String path, boolean watch) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeBool(watch);
  }

  public static GetDataRequest read(JuteReader r) {
    return new GetDataRequest(r.readString(), r.readBool());
  }
}
