package io.warden.protocol;

import java.util.List;

/** Body of setWatches2 (105) (reference §7.17), 3.6+. */
public record SetWatches2(
    long relativeZxid,
    List<String> dataWatches,
    List<String> existWatches,
    List<String> childWatches,
    List<String> persistentWatches,
    List<String> persistentRecursiveWatches) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeLong(relativeZxid).writeStringList(dataWatches).writeStringList(existWatches)
        .writeStringList(childWatches).writeStringList(persistentWatches)
        .writeStringList(persistentRecursiveWatches);
  }

  public static SetWatches2 read(JuteReader r) {
    return new SetWatches2(
        r.readLong(),
        r.readStringList(),
        r.readStringList(),
        r.readStringList(),
        r.readStringList(),
        r.readStringList());
  }
}
