package io.warden.it.faults;

import io.warden.it.history.Op;

/** A failed client call, classified by what it tells about the operation's effect. */
final class StoreException extends Exception {
  enum Kind {
    /** An error code from the server: the operation did not happen (BadVersion, NodeExists, ...). */
    DEFINITE,
    /** Connection loss or a timeout: it may or may not have happened. */
    INDETERMINATE,
    /** The session expired: the operation may have happened before it did; this client is done. */
    EXPIRED
  }

  private final Kind kind;

  StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  Op.Outcome outcome() {
    return kind == Kind.DEFINITE ? Op.Outcome.FAILED : Op.Outcome.INDETERMINATE;
  }
}
