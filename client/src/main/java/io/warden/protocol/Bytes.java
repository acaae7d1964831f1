package io.warden.protocol;

/**
 * How records print their {@code byte[]} fields: the length only. Those fields hold session
 * passwords, auth credentials and znode data, none of which belongs in a log line.
 */
final class Bytes {
  private Bytes() {
  }

  static String describe(byte[] b) {
    return b == null ? "null" : "byte[" + b.length + "]";
  }
}
