package io.warden.protocol;

/** Reply body of create (1) (reference §7.1): the path actually created. */
public record CreateResponse(String path) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeString(path);
  }

  public static CreateResponse read(JuteReader r) {
    return new CreateResponse(r.readString());
  }
}
