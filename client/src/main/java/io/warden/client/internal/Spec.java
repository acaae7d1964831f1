package io.warden.client.internal;

import io.warden.protocol.JuteRecord;

/**
 * What one operation sends and how its reply is read, independent of who waits for it (the async
 * API or the blocking facade). Built by {@link Ops} on the caller's thread.
 */
public record Spec<T>(int opcode, JuteRecord body, String clientPath, Call.ReplyMapper<T> mapper,
    boolean noNodeIsNull, WatchRegistration watch) {

  Call<T> toCall(Completion<T> completion) {
    return new Call<>(opcode, body, clientPath, mapper, noNodeIsNull, watch, completion);
  }
}
