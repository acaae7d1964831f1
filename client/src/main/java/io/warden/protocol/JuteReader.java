package io.warden.protocol;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads jute primitives from a byte range. Every read is bounds-checked: running past the end
 * of the range, a negative length other than -1, or a buffer longer than {@code maxBufferBytes}
 * throws {@link JuteException} (never an index exception), so a hostile frame costs one
 * MarshallingError and nothing else.
 */
public final class JuteReader {
  /** ZooKeeper's decoder limit: jute.maxbuffer plus its "extrasize" slack, both 0xFFFFF. */
  public static final int DEFAULT_MAX_BUFFER_BYTES = 0xFFFFF + 0xFFFFF;

  private final byte[] buf;
  private final int end;
  private final int maxBufferBytes;
  private int pos;

  public JuteReader(byte[] buf) {
    this(buf, 0, buf.length, DEFAULT_MAX_BUFFER_BYTES);
  }

  public JuteReader(byte[] buf, int offset, int length, int maxBufferBytes) {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw new IllegalArgumentException("range out of bounds");
    }
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
    this.maxBufferBytes = maxBufferBytes;
  }

  public int readInt() {
    need(4, "int");
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
        | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  public long readLong() {
    long hi = readInt();
    long lo = readInt() & 0xFFFFFFFFL;
    return (hi << 32) | lo;
  }

  /** Any non-zero byte is true, as in ZooKeeper's reader. */
  public boolean readBool() {
    need(1, "bool");
    return buf[pos++] != 0;
  }

  public byte[] readBuffer() {
    int len = readLength("buffer");
    if (len < 0) {
      return null;
    }
    need(len, "buffer body");
    byte[] out = new byte[len];
    System.arraycopy(buf, pos, out, 0, len);
    pos += len;
    return out;
  }

  public String readString() {
    int len = readLength("ustring");
    if (len < 0) {
      return null;
    }
    need(len, "ustring body");
    try {
      String s = Utf8.decode(buf, pos, len);
      pos += len;
      return s;
    } catch (CharacterCodingException e) {
      throw new JuteException("ustring is not valid UTF-8");
    }
  }

  /** A {@code vector<ustring>} as an unmodifiable list; {@code null} for count -1. */
  public List<String> readStringList() {
    int n = readCount("vector<ustring>", 4);
    if (n < 0) {
      return null;
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(readString());
    }
    return Collections.unmodifiableList(out);
  }

  /** Reads a count-prefixed list of records, unmodifiable; {@code null} for count -1. */
  public <T> List<T> readRecordList(String what, int minRecordBytes, RecordDecoder<T> decoder) {
    int n = readCount(what, minRecordBytes);
    if (n < 0) {
      return null;
    }
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(decoder.read(this));
    }
    return Collections.unmodifiableList(out);
  }

  public int remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  /** Decodes one record from a reader. */
  @FunctionalInterface
  public interface RecordDecoder<T> {
    T read(JuteReader r);
  }

  private int readLength(String what) {
    int len = readInt();
    if (len < -1 || len > maxBufferBytes) {
      throw new JuteException("unreasonable " + what + " length " + len);
    }
    return len;
  }

  /**
   * Vector counts are not limit-checked by ZooKeeper's decoder; we bound them by what the
   * remaining bytes could possibly hold, so a huge count cannot allocate a huge list.
   */
  private int readCount(String what, int minElementBytes) {
    int n = readInt();
    if (n < -1 || (n > 0 && (long) n * Math.max(1, minElementBytes) > remaining())) {
      throw new JuteException("unreasonable " + what + " count " + n);
    }
    return n;
  }

  private void need(int n, String what) {
    if (n > end - pos) {
      throw new JuteException("truncated record: need " + n + " bytes for " + what
          + ", " + (end - pos) + " left");
    }
  }
}
