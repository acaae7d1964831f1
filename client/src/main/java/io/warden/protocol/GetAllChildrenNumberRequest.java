package io.warden.protocol;

/** Body of getAllChildrenNumber (104) (reference §7.20). */
public record GetAllChildrenNumberRequest(String path) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path);
  }

  public static GetAllChildrenNumberRequest read(JuteReader r) {
    return new GetAllChildrenNumberRequest(r.readString());
  }
}
