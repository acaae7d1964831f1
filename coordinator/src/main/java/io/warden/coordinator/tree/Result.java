package io.warden.coordinator.tree;

import io.warden.protocol.ErrorCode;
import java.util.Objects;

/** The outcome of a tree operation: an expected ZooKeeper error code, or OK with a value. */
public record Result<T>(ErrorCode code, T value) {
  public Result {
    Objects.requireNonNull(code, "code");
    if (code != ErrorCode.OK && value != null) {
      throw new IllegalArgumentException("an error result carries no value: " + code);
    }
  }

  public static <T> Result<T> ok(T value) {
    return new Result<>(ErrorCode.OK, value);
  }

  public static <T> Result<T> error(ErrorCode code) {
    if (code == ErrorCode.OK) {
      throw new IllegalArgumentException("error(OK)");
    }
    return new Result<>(code, null);
  }

  public boolean isOk() {
    return code == ErrorCode.OK;
  }
}
