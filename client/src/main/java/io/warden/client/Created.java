package io.warden.client;

import io.warden.protocol.Stat;
import java.util.Objects;

/** Result of a create that asked for the Stat: the actual path (sequence suffix included). */
public record Created(String path, Stat stat) {
  public Created {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(stat, "stat");
  }
}
