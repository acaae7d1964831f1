package io.warden.protocol;

import java.util.List;

/** Body of setWatches (101) (reference §7.17). */
public record SetWatches(
    long relativeZxid,
    List<String> dataWatches,
    List<String> existWatches,
    List<String> childWatches) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeLong(relativeZxid).writeStringList(dataWatches).writeStringList(existWatches)
        .writeStringList(childWatches);
  }

  public static SetWatches read(JuteReader r) {
    return new SetWatches(r.readLong(), r.readStringList(), r.readStringList(), r.readStringList());
  }
}
