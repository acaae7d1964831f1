package io.warden.coordinator.tree;

import io.warden.protocol.Acl;
import io.warden.protocol.DigestAuth;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.Id;
import io.warden.protocol.Perms;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ACL validation, expansion and permission checks, exactly as a stock ZooKeeper 3.9 server with
 * its default authentication providers ({@code ip} and {@code digest}) does them (§7.1 step 6,
 * §7.6, §9.5).
 *
 * <p>Validation ({@link #validate}): a null or empty list, a null entry, id or scheme, an
 * unknown scheme, {@code world} with an id other than {@code anyone}, a {@code digest} id that
 * does not split on {@code :} into exactly two parts, or an {@code ip} id that is not an
 * address with an optional prefix length is InvalidACL. Duplicates of the request are removed
 * first, keeping order. An {@code auth} entry (any id) is replaced by one entry per
 * authenticated identity of the caller ({@code digest}, and {@code sasl}/{@code x509} should the
 * server ever produce them; not {@code ip}, not {@code super}) with the same perms, and is
 * InvalidACL if there is none.
 */
public final class AclPolicy {
  private static final Pattern DIGEST_SECRET = Pattern.compile(":.*");

  private AclPolicy() {
  }

  /** The ACL to store for a create/setACL request, or INVALID_ACL. */
  public static Result<List<Acl>> validate(List<Acl> requested, List<Id> callerIds) {
    if (requested == null || requested.isEmpty()) {
      return Result.error(ErrorCode.INVALID_ACL);
    }
    List<Acl> unique = new ArrayList<>(requested.size());
    for (Acl a : requested) {
      if (!unique.contains(a)) {
        unique.add(a);
      }
    }
    List<Acl> out = new ArrayList<>(unique.size());
    for (Acl a : unique) {
      if (a == null || a.id() == null || a.id().scheme() == null || a.id().id() == null) {
        return Result.error(ErrorCode.INVALID_ACL);
      }
      if ("auth".equals(a.id().scheme())) {
        if (!expandAuth(a.perms(), callerIds, out)) {
          return Result.error(ErrorCode.INVALID_ACL);
        }
      } else if (isValidId(a.id())) {
        out.add(a);
      } else {
        return Result.error(ErrorCode.INVALID_ACL);
      }
    }
    return Result.ok(List.copyOf(out));
  }

  private static boolean expandAuth(int perms, List<Id> callerIds, List<Acl> out) {
    boolean any = false;
    for (Id id : callerIds) {
      if (isAuthenticatedScheme(id.scheme())) {
        out.add(new Acl(perms, id));
        any = true;
      }
    }
    return any;
  }

  /** Whether an identity of this scheme proves who the caller is (and so expands "auth"). */
  public static boolean isAuthenticatedScheme(String scheme) {
    return DigestAuth.SCHEME.equals(scheme) || "sasl".equals(scheme) || "x509".equals(scheme);
  }

  /** Whether {@code id} may appear in a stored ACL (the {@code auth} pseudo-scheme may not). */
  public static boolean isValidId(Id id) {
    return switch (id.scheme()) {
      case "world" -> "anyone".equals(id.id());
      case DigestAuth.SCHEME -> id.id().split(":").length == 2;
      case "ip" -> IpAddress.isValidAclId(id.id());
      default -> false;
    };
  }

  /**
   * The permission check (§9.5): allowed if the ACL is empty, the caller is super, or an entry
   * granting {@code perm} is {@code world:anyone} or matches a caller identity of its scheme
   * ({@code digest}: equal ids; {@code ip}: masked address match).
   */
  public static boolean allows(List<Acl> acl, int perm, Caller caller) {
    if (acl == null || acl.isEmpty() || caller.isSuper()) {
      return true;
    }
    for (Acl a : acl) {
      if ((a.perms() & perm) != 0 && grants(a.id(), caller.ids())) {
        return true;
      }
    }
    return false;
  }

  private static boolean grants(Id aclId, List<Id> callerIds) {
    if ("world".equals(aclId.scheme()) && "anyone".equals(aclId.id())) {
      return true;
    }
    for (Id id : callerIds) {
      if (!aclId.scheme().equals(id.scheme())) {
        continue;
      }
      boolean match = switch (aclId.scheme()) {
        case DigestAuth.SCHEME -> aclId.id().equals(id.id());
        case "ip" -> IpAddress.matches(id.id(), aclId.id());
        default -> false; // no provider for the scheme: ZooKeeper never matches it either
      };
      if (match) {
        return true;
      }
    }
    return false;
  }

  /** The ACL as getACL shows it to a caller without ADMIN: digest ids become {@code user:x}. */
  public static List<Acl> maskDigests(List<Acl> acl) {
    List<Acl> out = new ArrayList<>(acl.size());
    for (Acl a : acl) {
      if (DigestAuth.SCHEME.equals(a.id().scheme())) {
        String masked = DIGEST_SECRET.matcher(a.id().id()).replaceAll(":x");
        out.add(new Acl(a.perms(), new Id(a.id().scheme(), masked)));
      } else {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  /** Shorthand for the READ check that filters data, children and watch events. */
  public static boolean canRead(List<Acl> acl, Caller caller) {
    return allows(acl, Perms.READ, caller);
  }
}
