package io.warden.protocol;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Splits a byte stream into {@code int length + payload} frames (reference §2). Pure and
 * incremental: feed it chunks as they arrive, split anywhere; it emits each complete payload,
 * in order, as an exact-size array. Zero-length frames are frames. Not thread-safe: one decoder
 * per connection, fed by the thread that owns the connection.
 *
 * <p>A length that is negative or above {@code maxFrameBytes} throws
 * {@link FrameTooLargeException} (ZooKeeper closes the connection without a reply, §2.1). The
 * stream cannot be resynchronised after that, so the decoder is dead: every later feed throws
 * again. It is equally dead after the consumer throws, because the rest of that chunk was never
 * decoded.
 *
 * <p>Memory follows the bytes received, not the bytes announced: a large frame's buffer starts
 * small and doubles as data arrives, so a peer that sends only a 4-byte length of 1 MiB cannot
 * make every connection hold 1 MiB.
 */
public final class FrameDecoder {
  /** First buffer size for a large frame; frames up to this size get their exact array at once. */
  static final int INITIAL_PAYLOAD_BYTES = 64 * 1024;

  private final int maxFrameBytes;
  private final byte[] lengthBytes = new byte[4];
  private int lengthHave;
  /** The frame being filled, or null while reading a length prefix. */
  private byte[] payload;
  private int payloadLength;
  private int payloadHave;
  private FrameTooLargeException failure;
  private boolean consumerFailed;

  public FrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < 0) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 0, was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  public void feed(byte[] chunk, int off, int len, Consumer<byte[]> onFrame) {
    Objects.checkFromIndexSize(off, len, chunk.length);
    Objects.requireNonNull(onFrame, "onFrame");
    if (failure != null) {
      throw new FrameTooLargeException(failure.lengthBytes(), maxFrameBytes);
    }
    if (consumerFailed) {
      throw new IllegalStateException("frame decoder is unusable: its consumer threw earlier");
    }
    boolean completed = false;
    try {
      decode(chunk, off, off + len, onFrame);
      completed = true;
    } finally {
      if (!completed && failure == null) {
        consumerFailed = true;
      }
    }
  }

  /** True when some bytes of an unfinished frame (or its length) have been received. */
  public boolean hasPartialFrame() {
    return lengthHave > 0 || payload != null;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  private void decode(byte[] chunk, int pos, int end, Consumer<byte[]> onFrame) {
    while (true) {
      if (payload == null) {
        int take = Math.min(4 - lengthHave, end - pos);
        System.arraycopy(chunk, pos, lengthBytes, lengthHave, take);
        pos += take;
        lengthHave += take;
        if (lengthHave < 4) {
          return;
        }
        lengthHave = 0;
        startPayload(readLength());
      }
      int take = Math.min(payloadLength - payloadHave, end - pos);
      ensureCapacity(payloadHave + take);
      System.arraycopy(chunk, pos, payload, payloadHave, take);
      pos += take;
      payloadHave += take;
      if (payloadHave < payloadLength) {
        return;
      }
      byte[] frame = payload;
      payload = null;
      onFrame.accept(frame);
    }
  }

  private int readLength() {
    int length = ((lengthBytes[0] & 0xFF) << 24) | ((lengthBytes[1] & 0xFF) << 16)
        | ((lengthBytes[2] & 0xFF) << 8) | (lengthBytes[3] & 0xFF);
    if (length < 0 || length > maxFrameBytes) {
      failure = new FrameTooLargeException(length, maxFrameBytes);
      throw failure;
    }
    return length;
  }

  private void startPayload(int length) {
    payload = new byte[Math.min(length, INITIAL_PAYLOAD_BYTES)];
    payloadLength = length;
    payloadHave = 0;
  }

  /** Grows by doubling, capped at the frame length, so the final array is exact-size. */
  private void ensureCapacity(int needed) {
    if (needed > payload.length) {
      int grown = (int) Math.min(payloadLength, Math.max(needed, 2L * payload.length));
      payload = Arrays.copyOf(payload, grown);
    }
  }
}
