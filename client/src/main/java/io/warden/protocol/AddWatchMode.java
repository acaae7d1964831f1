package io.warden.protocol;

/** addWatch modes (reference §7.21). */
public enum AddWatchMode {
  PERSISTENT(0),
  PERSISTENT_RECURSIVE(1);

  private final int code;

  AddWatchMode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The mode for a wire value, or {@code null} if unknown (MarshallingError). */
  public static AddWatchMode of(int code) {
    return code == 0 ? PERSISTENT : code == 1 ? PERSISTENT_RECURSIVE : null;
  }
}
