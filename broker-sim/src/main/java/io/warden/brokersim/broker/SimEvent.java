package io.warden.brokersim.broker;

/** One line of the fleet's event timeline (printed by the CLI, shown by the dashboard). */
public record SimEvent(long atMs, int brokerId, Kind kind, String detail) {
  public enum Kind {
    BROKER_REGISTERED,
    BROKER_START_FAILED,
    SESSION_STATE,
    SESSION_EXPIRED,
    CONTROLLER_ELECTED,
    /** A new controller has loaded the cluster and elected every offline partition it can. */
    CONTROLLER_FAILOVER_DONE,
    CONTROLLER_ELECTION_LOST,
    CONTROLLER_RESIGNED,
    CONTROLLER_FENCED,
    BROKER_CHANGE,
    LEADER_ELECTED,
    PARTITION_OFFLINE,
    ISR_CHANGED,
    ISR_UPDATE_FAILED,
    ISR_NOTIFICATION,
    REQUEST_REJECTED,
    TOPIC_CREATED,
    TOPIC_DELETED,
    FAULT,
    ERROR
  }

  @Override
  public String toString() {
    return String.format("%tT.%<tL broker %d %s %s", atMs, brokerId, kind, detail);
  }
}
