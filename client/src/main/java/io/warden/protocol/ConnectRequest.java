package io.warden.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The client's first frame, sent without a RequestHeader (reference §3.1).
 *
 * <p>Clients up to ZooKeeper 3.3 omit the trailing {@code readOnly} byte (§3.4). The server must
 * mirror that choice in its {@link ConnectResponse}, so the record remembers whether the byte was
 * there: {@link #read} sets {@code hasReadOnlyByte} from whether the frame ends after the password,
 * and {@link #write} writes the byte only when {@code hasReadOnlyByte} is set. {@code read} must
 * therefore be given a reader bounded to exactly this frame's payload.
 */
public record ConnectRequest(
    int protocolVersion,
    long lastZxidSeen,
    int timeoutMs,
    long sessionId,
    byte[] password,
    boolean readOnly,
    boolean hasReadOnlyByte) implements JuteRecord {

  public ConnectRequest {
    if (readOnly && !hasReadOnlyByte) {
      throw new IllegalArgumentException(
          "readOnly=true cannot be encoded without the readOnly byte");
    }
  }

  @Override
  public void write(JuteWriter w) {
    w.writeInt(protocolVersion).writeLong(lastZxidSeen).writeInt(timeoutMs)
        .writeLong(sessionId).writeBuffer(password);
    if (hasReadOnlyByte) {
      w.writeBool(readOnly);
    }
  }

  public static ConnectRequest read(JuteReader r) {
    int protocolVersion = r.readInt();
    long lastZxidSeen = r.readLong();
    int timeoutMs = r.readInt();
    long sessionId = r.readLong();
    byte[] password = r.readBuffer();
    // An old client's frame ends here; ZooKeeper detects it the same way (EOF on the bool).
    boolean hasReadOnlyByte = r.hasRemaining();
    boolean readOnly = hasReadOnlyByte && r.readBool();
    return new ConnectRequest(protocolVersion, lastZxidSeen, timeoutMs, sessionId, password,
        readOnly, hasReadOnlyByte);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectRequest c && protocolVersion == c.protocolVersion
        && lastZxidSeen == c.lastZxidSeen && timeoutMs == c.timeoutMs && sessionId == c.sessionId
        && Arrays.equals(password, c.password) && readOnly == c.readOnly
        && hasReadOnlyByte == c.hasReadOnlyByte;
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocolVersion, lastZxidSeen, timeoutMs, sessionId,
        Arrays.hashCode(password), readOnly, hasReadOnlyByte);
  }

  @Override
  public String toString() {
    return "ConnectRequest[protocolVersion=" + protocolVersion + ", lastZxidSeen=" + lastZxidSeen
        + ", timeoutMs=" + timeoutMs + ", sessionId=0x" + Long.toHexString(sessionId)
        + ", password=" + Bytes.describe(password) + ", readOnly=" + readOnly
        + ", hasReadOnlyByte=" + hasReadOnlyByte + "]";
  }
}
