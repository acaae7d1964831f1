package io.warden.brokersim.broker;

/** Startup refused: {@code /brokers/ids/<id>} is held by another session (layout §3.2). */
public final class DuplicateBrokerIdException extends Exception {
  private final long ownerSessionId;

  public DuplicateBrokerIdException(int brokerId, long ownerSessionId) {
    super("broker id " + brokerId + " is already registered by session 0x"
        + Long.toHexString(ownerSessionId));
    this.ownerSessionId = ownerSessionId;
  }

  public long ownerSessionId() {
    return ownerSessionId;
  }
}
