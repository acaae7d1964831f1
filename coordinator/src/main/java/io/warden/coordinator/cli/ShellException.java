package io.warden.coordinator.cli;

/** A shell command could not run as written; the message is the one line the user sees. */
final class ShellException extends Exception {
  ShellException(String message) {
    super(message);
  }
}
