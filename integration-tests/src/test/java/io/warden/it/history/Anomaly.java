package io.warden.it.history;

/** One violation a checker found: its kind and the operations that show it. */
public record Anomaly(Kind kind, String detail) {
  public enum Kind {
    /** A read older than a write that completed before it was invoked (or older than the session saw). */
    STALE_READ,
    /** A read of a value no write produced, or from a write invoked after the read completed. */
    PHANTOM_READ,
    /** Acknowledged writes whose zxid order contradicts real-time order, or two writes at one zxid. */
    WRITE_ORDER,
    /** The zxid checker and the WGL search disagree. */
    WGL_DISAGREES,
    /** An acknowledged write or create missing from the final state. */
    LOST_ACKED,
    /** A definitely failed (or never attempted) create present in the final state. */
    UNEXPECTED_PRESENT,
    DUPLICATE_ID,
    /** The counter's final value is outside what its acknowledged and indeterminate increments allow. */
    COUNTER,
    /** A queue item taken twice. */
    DOUBLE_TAKE,
    /** An acknowledged queue item neither taken nor present once at the end. */
    LOST_ITEM,
    /** A dead session's ephemeral still present after its timeout plus the bound. */
    LEAKED_EPHEMERAL,
    /** A live session's ephemeral missing. */
    LOST_EPHEMERAL,
    /** Watch events of one session out of zxid order. */
    WATCH_ORDER,
    /** A one-shot watch fired twice, or an event without a registration. */
    WATCH_ONE_SHOT,
    /** A persistent watch missed a change made while its session was connected. */
    WATCH_LOST
  }
}
