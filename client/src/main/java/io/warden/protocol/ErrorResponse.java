package io.warden.protocol;

/**
 * An error code as a body (reference §6.3): addWatch's reply (always 0) and multi error results.
 */
public record ErrorResponse(int err) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeInt(err);
  }

  public static ErrorResponse read(JuteReader r) {
    return new ErrorResponse(r.readInt());
  }
}
