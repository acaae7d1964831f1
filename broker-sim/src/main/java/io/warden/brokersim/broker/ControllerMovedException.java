package io.warden.brokersim.broker;

/**
 * Another broker is (or became) the controller: an election lost its race, or a fenced write
 * failed its check on /controller_epoch. Kafka's handler then runs maybeResign (layout §2.2).
 */
final class ControllerMovedException extends Exception {
  private final boolean fenced;

  /** @param fenced true when a write failed the epoch check, false when an election was lost */
  ControllerMovedException(String message, boolean fenced) {
    super(message);
    this.fenced = fenced;
  }

  boolean fenced() {
    return fenced;
  }
}
