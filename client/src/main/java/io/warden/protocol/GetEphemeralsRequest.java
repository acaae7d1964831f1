package io.warden.protocol;

/** Body of getEphemerals (103) (reference §7.19). */
public record GetEphemeralsRequest(String prefixPath) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(prefixPath);
  }

  public static GetEphemeralsRequest read(JuteReader r) {
    return new GetEphemeralsRequest(r.readString());
  }
}
