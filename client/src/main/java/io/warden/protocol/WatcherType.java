package io.warden.protocol;

/** The watch kinds named by checkWatches/removeWatches (reference §7.13). */
public enum WatcherType {
  CHILDREN(1),
  DATA(2),
  ANY(3),
  PERSISTENT(4),
  PERSISTENT_RECURSIVE(5);

  private final int code;

  WatcherType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type for a wire value, or {@code null} if unknown (MarshallingError). */
  public static WatcherType of(int code) {
    return code >= 1 && code <= 5 ? values()[code - 1] : null;
  }
}
