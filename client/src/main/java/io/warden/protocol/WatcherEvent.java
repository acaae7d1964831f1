package io.warden.protocol;

/**
 * Body of a notification (xid -1) (reference §11.1); type is an {@link EventType} code, state a
 * {@link KeeperState} code.
 */
public record WatcherEvent(int type, int state, String path) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeInt(type).writeInt(state).writeString(path);
  }

  public static WatcherEvent read(JuteReader r) {
    return new WatcherEvent(r.readInt(), r.readInt(), r.readString());
  }
}
