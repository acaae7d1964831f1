package io.warden.client;

import io.warden.protocol.Stat;
import java.util.Arrays;
import java.util.Objects;

/** A node's data (null when the node was created with null data) and its Stat. */
public record NodeData(byte[] data, Stat stat) {
  public NodeData {
    Objects.requireNonNull(stat, "stat");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeData n && Arrays.equals(data, n.data) && stat.equals(n.stat);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + stat.hashCode();
  }

  @Override
  public String toString() {
    return "NodeData[data=" + (data == null ? "null" : "byte[" + data.length + "]")
        + ", stat=" + stat + "]";
  }
}
