package io.warden.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The server's first frame, sent without a ReplyHeader (reference §3.1). A {@code timeoutMs} of
 * 0 means the session is invalid or expired.
 *
 * <p>The trailing {@code readOnly} byte follows the same rule as in {@link ConnectRequest}: the
 * server omits it exactly when the client omitted it, and a client must accept both forms, so
 * {@link #read} detects it from the end of the frame (give it a reader bounded to the payload).
 */
public record ConnectResponse(
    int protocolVersion,
    int timeoutMs,
    long sessionId,
    byte[] password,
    boolean readOnly,
    boolean hasReadOnlyByte) implements JuteRecord {

  public ConnectResponse {
    if (readOnly && !hasReadOnlyByte) {
      throw new IllegalArgumentException(
          "readOnly=true cannot be encoded without the readOnly byte");
    }
  }

  @Override
  public void write(JuteWriter w) {
    w.writeInt(protocolVersion).writeInt(timeoutMs).writeLong(sessionId).writeBuffer(password);
    if (hasReadOnlyByte) {
      w.writeBool(readOnly);
    }
  }

  public static ConnectResponse read(JuteReader r) {
    int protocolVersion = r.readInt();
    int timeoutMs = r.readInt();
    long sessionId = r.readLong();
    byte[] password = r.readBuffer();
    boolean hasReadOnlyByte = r.hasRemaining();
    boolean readOnly = hasReadOnlyByte && r.readBool();
    return new ConnectResponse(protocolVersion, timeoutMs, sessionId, password, readOnly,
        hasReadOnlyByte);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectResponse c && protocolVersion == c.protocolVersion
        && timeoutMs == c.timeoutMs && sessionId == c.sessionId
        && Arrays.equals(password, c.password) && readOnly == c.readOnly
        && hasReadOnlyByte == c.hasReadOnlyByte;
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocolVersion, timeoutMs, sessionId, Arrays.hashCode(password), readOnly,
        hasReadOnlyByte);
  }

  @Override
  public String toString() {
    return "ConnectResponse[protocolVersion=" + protocolVersion + ", timeoutMs=" + timeoutMs
        + ", sessionId=0x" + Long.toHexString(sessionId) + ", password="
        + Bytes.describe(password) + ", readOnly=" + readOnly + ", hasReadOnlyByte="
        + hasReadOnlyByte + "]";
  }
}
