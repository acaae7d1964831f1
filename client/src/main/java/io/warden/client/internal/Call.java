package io.warden.client.internal;

import io.warden.client.WardenException;
import io.warden.protocol.JuteRecord;

/**
 * One request on its way: what to send (opcode and body, paths already chrooted), how to turn
 * the reply body into the caller's value, which watch to register, and where the outcome goes.
 * Created on the caller's thread, then owned by the I/O thread, which assigns the xid when it
 * writes the frame and completes the call exactly once.
 */
public final class Call<T> {
  /** Maps a successful reply body (null for header-only replies) to the caller's value. */
  @FunctionalInterface
  public interface ReplyMapper<T> {
    T map(JuteRecord body) throws WardenException;
  }

  final int opcode;
  final JuteRecord body;
  final String clientPath;
  final ReplyMapper<T> mapper;
  final boolean noNodeIsNull;
  final WatchRegistration watch;
  private final Completion<T> completion;
  long submitNanos;
  int xid;
  private boolean done;

  public Call(int opcode, JuteRecord body, String clientPath, ReplyMapper<T> mapper,
      boolean noNodeIsNull, WatchRegistration watch, Completion<T> completion) {
    this.opcode = opcode;
    this.body = body;
    this.clientPath = clientPath;
    this.mapper = mapper;
    this.noNodeIsNull = noNodeIsNull;
    this.watch = watch;
    this.completion = completion;
  }

  void succeed(T value) {
    markDone();
    completion.succeed(value);
  }

  void fail(Throwable error) {
    markDone();
    completion.fail(error);
  }

  private void markDone() {
    if (done) {
      throw new IllegalStateException("call " + this + " completed twice");
    }
    done = true;
  }

  @Override
  public String toString() {
    return "Call[op=" + io.warden.protocol.OpCode.name(opcode) + ", xid=" + xid + ", path="
        + clientPath + "]";
  }
}
