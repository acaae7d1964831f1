package io.warden.protocol;

import java.util.List;

/** Reply body of whoAmI (107) (reference §7.22): one entry per identity. */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeRecordList(clientInfo);
  }

  public static WhoAmIResponse read(JuteReader r) {
    return new WhoAmIResponse(ClientInfo.readList(r));
  }
}
