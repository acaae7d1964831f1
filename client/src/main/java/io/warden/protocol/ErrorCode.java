package io.warden.protocol;

/** ZooKeeper's error codes (wire protocol reference §10). */
public enum ErrorCode {
  OK(0),
  SYSTEM_ERROR(-1),
  RUNTIME_INCONSISTENCY(-2),
  DATA_INCONSISTENCY(-3),
  CONNECTION_LOSS(-4),
  MARSHALLING_ERROR(-5),
  UNIMPLEMENTED(-6),
  OPERATION_TIMEOUT(-7),
  BAD_ARGUMENTS(-8),
  UNKNOWN_SESSION(-12),
  NEW_CONFIG_NO_QUORUM(-13),
  RECONFIG_IN_PROGRESS(-14),
  API_ERROR(-100),
  NO_NODE(-101),
  NO_AUTH(-102),
  BAD_VERSION(-103),
  NO_CHILDREN_FOR_EPHEMERALS(-108),
  NODE_EXISTS(-110),
  NOT_EMPTY(-111),
  SESSION_EXPIRED(-112),
  INVALID_CALLBACK(-113),
  INVALID_ACL(-114),
  AUTH_FAILED(-115),
  SESSION_MOVED(-118),
  NOT_READ_ONLY(-119),
  EPHEMERAL_ON_LOCAL_SESSION(-120),
  NO_WATCHER(-121),
  REQUEST_TIMEOUT(-122),
  RECONFIG_DISABLED(-123),
  SESSION_CLOSED_REQUIRE_SASL_AUTH(-124),
  QUOTA_EXCEEDED(-125),
  THROTTLED_OP(-127);

  private static final ErrorCode[] BY_NEGATED_CODE = new ErrorCode[128];

  static {
    for (ErrorCode c : values()) {
      BY_NEGATED_CODE[-c.code] = c;
    }
  }

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The code for an int from the wire, or {@code null} for an unassigned value. */
  public static ErrorCode of(int code) {
    return code <= 0 && code > -128 ? BY_NEGATED_CODE[-code] : null;
  }
}
