package io.warden.protocol;

import java.util.Arrays;

/** Body of deleteContainer (20) (reference §7.14): the path as raw UTF-8 bytes in a buffer. */
public record DeleteContainerRequest(byte[] path) implements JuteRecord {
  @Override
  public void write(JuteWriter w) {
    w.writeBuffer(path);
  }

  public static DeleteContainerRequest read(JuteReader r) {
    return new DeleteContainerRequest(r.readBuffer());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeleteContainerRequest x && Arrays.equals(path, x.path);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(path);
  }

  @Override
  public String toString() {
    return "DeleteContainerRequest[path=" + Bytes.describe(path) + "]";
  }
}
