package io.warden.coordinator.node;

/**
 * Stored data failed verification (CRC mismatch, impossible value, gap in the log). The node
 * stops with this message rather than serve possibly wrong data; the message names the
 * record (column family and key) so an operator knows what is damaged.
 */
public final class CorruptStorageException extends RuntimeException {
  public CorruptStorageException(String message) {
    super(message);
  }

  public CorruptStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
