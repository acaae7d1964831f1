package io.warden.coordinator.net;

/**
 * A peer frame could not be decoded (truncated, garbage, unknown type, trailing bytes, a value
 * out of range) or would exceed the frame limit. The connection it came from cannot be trusted
 * any more and is closed; nothing it carried after the bad frame is used.
 */
public final class PeerCodecException extends RuntimeException {
  public PeerCodecException(String message) {
    super(message);
  }

  public PeerCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
