package io.warden.protocol;

/** Watch event types (reference §11.1). Only 1–4 travel on the wire. */
public enum EventType {
  NONE(-1),
  NODE_CREATED(1),
  NODE_DELETED(2),
  NODE_DATA_CHANGED(3),
  NODE_CHILDREN_CHANGED(4),
  DATA_WATCH_REMOVED(5),
  CHILD_WATCH_REMOVED(6),
  PERSISTENT_WATCH_REMOVED(7);

  private final int code;

  EventType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type for a wire value, or {@code null} if unknown. */
  public static EventType of(int code) {
    for (EventType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
