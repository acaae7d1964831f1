package io.warden.protocol;

/** An identity: scheme plus id, e.g. {@code digest:alice:<hash>} or {@code world:anyone}. */
public record Id(String scheme, String id) implements JuteRecord {
  public static final Id ANYONE = new Id("world", "anyone");
  /** In create/setACL only: "every authenticated identity of the caller". */
  public static final Id AUTH = new Id("auth", "");

  @Override
  public void write(JuteWriter w) {
    w.writeString(scheme).writeString(id);
  }

  public static Id read(JuteReader r) {
    return new Id(r.readString(), r.readString());
  }

  @Override
  public String toString() {
    return scheme + ":" + id;
  }
}
