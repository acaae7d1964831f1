package io.warden.protocol;

/**
 * A frame's length prefix is negative or larger than the limit (reference §2.1). The byte
 * stream cannot be resynchronised, so the connection must be closed without a reply.
 *
 * <p>A server may use {@link #lengthBytes()} of the very first frame of a connection to
 * recognise a four-letter word (§13): every such word is larger than any sane frame limit.
 */
public final class FrameTooLargeException extends JuteException {
  private final int lengthBytes;
  private final int maxFrameBytes;

  public FrameTooLargeException(int lengthBytes, int maxFrameBytes) {
    super("frame length " + lengthBytes + " is outside 0.." + maxFrameBytes);
    this.lengthBytes = lengthBytes;
    this.maxFrameBytes = maxFrameBytes;
  }

  public int lengthBytes() {
    return lengthBytes;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }
}
