package io.warden.coordinator.raft;

/** What a log entry carries. The code is the byte stored in the log record. */
public enum EntryType {
  /** Appended by a new leader at the start of its term (Raft §8); applies nothing. */
  NOOP((byte) 0),
  /** A replicated state-machine command (fsm-encoded bytes). */
  COMMAND((byte) 1),
  /** A membership change (raft-encoded bytes). */
  MEMBERSHIP((byte) 2);

  private final byte code;

  EntryType(byte code) {
    this.code = code;
  }

  public byte code() {
    return code;
  }

  /** The type for a stored code, or {@code null} if the code is unknown (corruption). */
  public static EntryType of(byte code) {
    return switch (code) {
      case 0 -> NOOP;
      case 1 -> COMMAND;
      case 2 -> MEMBERSHIP;
      default -> null;
    };
  }
}
