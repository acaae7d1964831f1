package io.warden.protocol;

/**
 * A jute record: its fields written in declaration order, with no header of its own. Every
 * record type also has a {@code static T read(JuteReader)} that is its exact inverse.
 *
 * <p>Field conventions: {@code String}, {@code byte[]} and {@code List} fields may be null, which
 * the wire encodes as length/count -1 and keeps distinct from empty (reference §1); nested
 * records ({@link Stat}, {@link Id}) may not. Records keep the arrays and lists they are given
 * without copying (data is up to 1 MiB and this is the hot path), so treat them as immutable once
 * handed over; decoded records hold fresh arrays and unmodifiable lists. (MultiRequest and
 * MultiResponse do copy their short op/result lists, which also rejects null entries.) Records with
 * {@code byte[]} fields compare by content and print only the length (passwords, credentials).
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
