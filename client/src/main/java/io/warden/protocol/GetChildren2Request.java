package io.warden.protocol;

/** Body of getChildren2 (12) (reference §7.8). */
public record GetChildren2Request(String path, boolean watch) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path).writeBool(watch);
  }

  public static GetChildren2Request read(JuteReader r) {
    return new GetChildren2Request(r.readString(), r.readBool());
  }
}
