package io.warden.protocol;

/** Reply body of getAllChildrenNumber (104) (reference §7.20). */
public record GetAllChildrenNumberResponse(int totalNumber) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeInt(totalNumber);
  }

  public static GetAllChildrenNumberResponse read(JuteReader r) {
    return new GetAllChildrenNumberResponse(r.readInt());
  }
}
