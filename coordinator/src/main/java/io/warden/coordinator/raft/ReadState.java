package io.warden.coordinator.raft;

/**
 * The answer to {@link RaftCore#readIndex}: once the local state machine has applied
 * {@code readIndex}, a read reflects every write committed before the request (linearizable,
 * thesis §6.4). {@code readIndex} is -1 when leadership could not be confirmed.
 */
public record ReadState(long requestId, long readIndex) {
  public boolean failed() {
    return readIndex < 0;
  }
}
