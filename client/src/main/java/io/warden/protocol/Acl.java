package io.warden.protocol;

import java.util.List;
import java.util.Objects;

/** One ACL entry: permission bits granted to an identity (reference §6.2, §9.5). */
public record Acl(int perms, Id id) implements JuteRecord {
  /** Smallest possible encoding: perms plus two empty strings. */
  public static final int MIN_ENCODED_BYTES = 12;

  public static final List<Acl> OPEN_ACL_UNSAFE = List.of(new Acl(Perms.ALL, Id.ANYONE));
  public static final List<Acl> CREATOR_ALL_ACL = List.of(new Acl(Perms.ALL, Id.AUTH));
  public static final List<Acl> READ_ACL_UNSAFE = List.of(new Acl(Perms.READ, Id.ANYONE));

  public Acl {
    // An Id is inlined on the wire; there is no encoding for a missing one.
    Objects.requireNonNull(id, "id");
  }

  @Override
  public void write(JuteWriter w) {
    w.writeInt(perms);
    id.write(w);
  }

  public static Acl read(JuteReader r) {
    int perms = r.readInt();
    return new Acl(perms, Id.read(r));
  }

  public static List<Acl> readList(JuteReader r) {
    return r.readRecordList("vector<ACL>", MIN_ENCODED_BYTES, Acl::read);
  }
}
