package io.warden.coordinator.bench;

/** A load run that could not start or finish; the message is meant for the person running it. */
public final class BenchException extends Exception {
  private static final long serialVersionUID = 1L;

  public BenchException(String message) {
    super(message);
  }
}
