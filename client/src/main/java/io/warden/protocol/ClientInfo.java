package io.warden.protocol;

import java.util.List;

/** One identity of a connection as whoAmI reports it (reference §6.3, §7.22), 3.7+. */
public record ClientInfo(String authScheme, String user) implements JuteRecord {
  /** Smallest possible encoding: two null or empty strings. */
  public static final int MIN_ENCODED_BYTES = 8;

  @Override
  public void write(JuteWriter w) {
    w.writeString(authScheme).writeString(user);
  }

  public static ClientInfo read(JuteReader r) {
    return new ClientInfo(r.readString(), r.readString());
  }

  public static List<ClientInfo> readList(JuteReader r) {
    return r.readRecordList("vector<ClientInfo>", MIN_ENCODED_BYTES, ClientInfo::read);
  }
}
