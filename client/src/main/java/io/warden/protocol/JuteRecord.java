package io.warden.protocol;

/**
 * A jute record: its fields written in declaration order, with no header of its own. Every
 * record type also has a {@code static T read(JuteReader)} that is its exact inverse.
 */
public interface JuteRecord {
  void write(JuteWriter w);

  /** Encodes this record alone, for tests, digests and storage. */
  default byte[] toBytes() {
    JuteWriter w = new JuteWriter();
    write(w);
    return w.toByteArray();
  }
}
