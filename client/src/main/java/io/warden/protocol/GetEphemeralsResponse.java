package io.warden.protocol;

import java.util.List;

/** Reply body of getEphemerals (103) (reference §7.19): full paths. */
public record GetEphemeralsResponse(List<String> ephemerals) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeStringList(ephemerals);
  }

  public static GetEphemeralsResponse read(JuteReader r) {
    return new GetEphemeralsResponse(r.readStringList());
  }
}
