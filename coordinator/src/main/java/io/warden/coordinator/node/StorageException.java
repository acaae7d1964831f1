package io.warden.coordinator.node;

/**
 * The storage engine failed an operation (I/O error, disk full, closed database). Fatal for
 * the node: a coordinator that cannot persist must stop, not acknowledge.
 */
public final class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
