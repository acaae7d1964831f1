package io.warden.protocol;

/** Body of getChildren (8) (reference §7.8); also a multiRead sub-op. */
public record GetChildrenRequest(String path, boolean watch) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeBool(watch);
  }

  public static GetChildrenRequest read(JuteReader r) {
    return new GetChildrenRequest(r.readString(), r.readBool());
  }
}
