package io.warden.protocol;

import java.util.List;

/** Reply body of getChildren (8) (reference §7.8): bare child names. */
public record GetChildrenResponse(List<String> children) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeStringList(children);
  }

  public static GetChildrenResponse read(JuteReader r) {
    return new GetChildrenResponse(r.readStringList());
  }
}
