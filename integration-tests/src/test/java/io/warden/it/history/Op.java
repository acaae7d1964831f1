package io.warden.it.history;

/**
 * One client operation as a client saw it: who ran it, what it asked, when it was invoked and
 * completed (System.nanoTime), how it ended, and the zxids its reply carried.
 *
 * <p>Field use per {@link Kind}: {@code key} is the znode (register key, created path, queue
 * or counter node); {@code value} is the value written or read (register, counter) or the item
 * id (set, queue); {@code arg} is the expected version of a versioned write; {@code name} is the
 * name the server chose (sequential creates, dequeued children). {@code zxid} is the reply
 * header's zxid, {@code mzxid} and {@code version} the Stat's, or -1 when the reply had none.
 */
public record Op(int process, long session, Kind kind, String key, long value, long arg, String name,
    long invokeNanos, long completeNanos, Outcome outcome, long zxid, long mzxid, int version) {

  public enum Kind {
    /** getData without sync: sequentially consistent per session. */
    READ,
    /** sync then getData: linearizable. */
    SYNC_READ,
    /** setData(key, value, arg = expected version). */
    WRITE,
    /** create of a unique persistent path (set workload). */
    CREATE,
    /** sequential create; {@code name} is the path the server chose. */
    SEQ_CREATE,
    /** counter increment through multi(check version, setData); {@code value} is the new value. */
    INCREMENT,
    /** enqueue of item {@code value}. */
    ENQUEUE,
    /** take of item {@code value} (delete of its node). */
    DEQUEUE
  }

  public enum Outcome {
    OK,
    /** Definitely not applied (an error code the server returned). */
    FAILED,
    /** Unknown (connection loss, timeout): resolved from the final state. */
    INDETERMINATE
  }

  public boolean ok() {
    return outcome == Outcome.OK;
  }

  public Op withOutcome(Outcome o) {
    return new Op(process, session, kind, key, value, arg, name, invokeNanos, completeNanos, o, zxid, mzxid, version);
  }

  public Op withRead(long newValue, long newMzxid) {
    return new Op(process, session, kind, key, newValue, arg, name, invokeNanos, completeNanos, outcome, zxid, newMzxid,
        version);
  }

  public Op withName(String newName) {
    return new Op(process, session, kind, key, value, arg, newName, invokeNanos, completeNanos, outcome, zxid, mzxid,
        version);
  }

  public Op withValue(long newValue) {
    return new Op(process, session, kind, key, newValue, arg, name, invokeNanos, completeNanos, outcome, zxid, mzxid,
        version);
  }

  /** A short form for anomaly reports. */
  @Override
  public String toString() {
    return "p" + process + " " + kind + " " + key + (name == null ? "" : " name=" + name) + " value=" + value
        + (kind == Kind.WRITE ? " expect=v" + arg : "") + " " + outcome + " [" + invokeNanos + ".." + completeNanos
        + "] zxid=" + zxid + " mzxid=" + mzxid + " version=" + version;
  }
}
