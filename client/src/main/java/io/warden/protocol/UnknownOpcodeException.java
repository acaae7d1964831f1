package io.warden.protocol;

/**
 * The opcode is not one a client may send (reference §5: anything outside the table, and 0,
 * −1, −10). ZooKeeper answers {@code ReplyHeader(xid, −1, Unimplemented)} and closes the
 * connection; this type exists so the server can tell that apart from a malformed body.
 */
public final class UnknownOpcodeException extends JuteException {
  private final int opcode;

  public UnknownOpcodeException(int opcode) {
    super("unknown opcode " + opcode);
    this.opcode = opcode;
  }

  public int opcode() {
    return opcode;
  }
}
