package io.warden.protocol;

/**
 * A record could not be decoded: the frame is truncated, a length is negative or unreasonable,
 * or a field holds a value the protocol does not allow. The server answers such a request with
 * MarshallingError (or closes the connection when the frame itself is broken); it never
 * disturbs anything else.
 *
 * <p>Two subtypes name the cases that need a different answer than MarshallingError:
 * {@link UnknownOpcodeException} (Unimplemented, then close) and {@link FrameTooLargeException}
 * (close without a reply).
 */
public sealed class JuteException extends RuntimeException
    permits UnknownOpcodeException, FrameTooLargeException {
  public JuteException(String message) {
    super(message);
  }
}
