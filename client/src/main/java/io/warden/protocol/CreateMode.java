package io.warden.protocol;

/** Create flags (reference §9.4). Values 4–6 are enumerated values, not bit combinations. */
public enum CreateMode {
  PERSISTENT(0, false, false),
  EPHEMERAL(1, true, false),
  PERSISTENT_SEQUENTIAL(2, false, true),
  EPHEMERAL_SEQUENTIAL(3, true, true),
  CONTAINER(4, false, false),
  PERSISTENT_WITH_TTL(5, false, false),
  PERSISTENT_SEQUENTIAL_WITH_TTL(6, false, true);

  private static final CreateMode[] BY_FLAG = values();

  private final int flag;
  private final boolean ephemeral;
  private final boolean sequential;

  CreateMode(int flag, boolean ephemeral, boolean sequential) {
    this.flag = flag;
    this.ephemeral = ephemeral;
    this.sequential = sequential;
  }

  public int flag() {
    return flag;
  }

  public boolean isEphemeral() {
    return ephemeral;
  }

  public boolean isSequential() {
    return sequential;
  }

  public boolean isContainer() {
    return this == CONTAINER;
  }

  public boolean isTtl() {
    return this == PERSISTENT_WITH_TTL || this == PERSISTENT_SEQUENTIAL_WITH_TTL;
  }

  /** The mode for a wire flag, or {@code null} when the flag is not 0…6 (BadArguments). */
  public static CreateMode fromFlag(int flag) {
    return flag >= 0 && flag < BY_FLAG.length ? BY_FLAG[flag] : null;
  }
}
