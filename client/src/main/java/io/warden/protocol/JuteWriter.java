package io.warden.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Appends jute primitives (big-endian, untagged, length-prefixed; -1 marks null) to a growable
 * byte array. Not thread-safe: one writer per encoding task.
 *
 * <p>Framing support: {@link #beginFrame()} reserves the 4-byte length prefix and
 * {@link #endFrame(int)} patches it, so a frame is encoded in one pass without copying.
 */
public final class JuteWriter {
  private byte[] buf;
  private int pos;

  public JuteWriter() {
    this(256);
  }

  public JuteWriter(int initialCapacityBytes) {
    this.buf = new byte[Math.max(16, initialCapacityBytes)];
  }

  public JuteWriter writeInt(int v) {
    ensure(4);
    buf[pos] = (byte) (v >>> 24);
    buf[pos + 1] = (byte) (v >>> 16);
    buf[pos + 2] = (byte) (v >>> 8);
    buf[pos + 3] = (byte) v;
    pos += 4;
    return this;
  }

  public JuteWriter writeLong(long v) {
    writeInt((int) (v >>> 32));
    return writeInt((int) v);
  }

  public JuteWriter writeBool(boolean v) {
    ensure(1);
    buf[pos++] = (byte) (v ? 1 : 0);
    return this;
  }

  /** A {@code buffer}: length then bytes; {@code null} is encoded as length -1. */
  public JuteWriter writeBuffer(byte[] b) {
    if (b == null) {
      return writeInt(-1);
    }
    writeInt(b.length);
    return writeRaw(b, 0, b.length);
  }

  /** A {@code ustring}: UTF-8 byte length then bytes; {@code null} is encoded as length -1. */
  public JuteWriter writeString(String s) {
    if (s == null) {
      return writeInt(-1);
    }
    return writeBuffer(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code vector<ustring>}; {@code null} is encoded as count -1. */
  public JuteWriter writeStringList(List<String> list) {
    if (list == null) {
      return writeInt(-1);
    }
    writeInt(list.size());
    for (String s : list) {
      writeString(s);
    }
    return this;
  }

  /** A {@code vector<record>}; {@code null} is encoded as count -1. */
  public JuteWriter writeRecordList(List<? extends JuteRecord> list) {
    if (list == null) {
      return writeInt(-1);
    }
    writeInt(list.size());
    for (JuteRecord r : list) {
      r.write(this);
    }
    return this;
  }

  public JuteWriter writeRecord(JuteRecord r) {
    r.write(this);
    return this;
  }

  public JuteWriter writeRaw(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }

  /** Reserves the 4-byte frame length and returns its position for {@link #endFrame(int)}. */
  public int beginFrame() {
    int at = pos;
    writeInt(0);
    return at;
  }

  /**
   * Writes one complete frame (reference §2): the length prefix, then {@code first} (a
   * RequestHeader/ReplyHeader, or the handshake record), then {@code body} unless it is null
   * (header-only frames: ping, errors, bodiless replies).
   */
  public JuteWriter writeFrame(JuteRecord first, JuteRecord body) {
    int at = beginFrame();
    first.write(this);
    if (body != null) {
      body.write(this);
    }
    endFrame(at);
    return this;
  }

  /** Patches the length reserved at {@code framePos} to the number of bytes written since. */
  public void endFrame(int framePos) {
    int len = pos - framePos - 4;
    buf[framePos] = (byte) (len >>> 24);
    buf[framePos + 1] = (byte) (len >>> 16);
    buf[framePos + 2] = (byte) (len >>> 8);
    buf[framePos + 3] = (byte) len;
  }

  public int size() {
    return pos;
  }

  /** The backing array; valid up to {@link #size()}. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  public void reset() {
    pos = 0;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      long want = Math.max((long) buf.length * 2, (long) pos + more);
      if (want > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("record too large: " + want + " bytes");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }
}
