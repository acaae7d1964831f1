package io.warden.coordinator.tree;

/**
 * The {@code ip} ACL scheme (§9.5) with ZooKeeper 3.9's exact parsing, quirks included, because
 * an ACL one server accepts must be accepted by every replica and by a ZooKeeper we migrate
 * from: an id is an IPv4 or IPv6 address optionally followed by {@code /prefixBits}. A text with
 * a {@code :} is parsed as IPv6 (8 hex segments of at most 4 digits, one {@code ::} allowed, no
 * embedded IPv4), otherwise one with a {@code .} as IPv4 (4 decimal parts 0–255). Numbers are
 * parsed like {@link Integer#parseInt}, so a sign is accepted, as in ZooKeeper. Matching masks
 * both addresses to the prefix and compares them; IPv4 never matches IPv6.
 */
final class IpAddress {
  private static final int V6_BYTES = 16;
  private static final int V6_SEGMENTS = 8;

  private IpAddress() {
  }

  /** Whether {@code aclId} is a valid {@code ip} ACL id. */
  static boolean isValidAclId(String aclId) {
    String[] parts = aclId.split("/", 2);
    byte[] address = parse(parts[0]);
    return address != null && (parts.length == 1 || prefixBits(parts[1], address) >= 0);
  }

  /** Whether the caller's address {@code callerAddress} matches the ACL id {@code aclId}. */
  static boolean matches(String callerAddress, String aclId) {
    String[] parts = aclId.split("/", 2);
    byte[] aclAddress = parse(parts[0]);
    if (aclAddress == null) {
      return false;
    }
    int bits = parts.length == 1 ? aclAddress.length * 8 : prefixBits(parts[1], aclAddress);
    byte[] caller = parse(callerAddress);
    if (bits < 0 || caller == null || caller.length != aclAddress.length) {
      return false;
    }
    mask(aclAddress, bits);
    mask(caller, bits);
    return java.util.Arrays.equals(aclAddress, caller);
  }

  /** The prefix length, or -1 if it is not a number in 0…(address bits). */
  private static int prefixBits(String text, byte[] address) {
    try {
      int bits = Integer.parseInt(text);
      return bits >= 0 && bits <= address.length * 8 ? bits : -1;
    } catch (NumberFormatException e) {
      return -1; // an invalid ACL id is an expected input, reported as "not valid"
    }
  }

  private static void mask(byte[] address, int bits) {
    for (int i = 0; i < address.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      address[i] &= (byte) (0xFF00 >>> keep);
    }
  }

  /** The address bytes (4 or 16), or null if the text is not an address. */
  static byte[] parse(String text) {
    if (text.indexOf(':') >= 0) {
      return parseV6(text);
    }
    return text.indexOf('.') >= 0 ? parseV4(text) : null;
  }

  private static byte[] parseV4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = parseOr(parts[i], 10, -1);
      if (v < 0 || v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseV6(String text) {
    String[] halves = text.split("::", -1);
    String[] head;
    String[] tail = new String[0];
    if (halves.length == 1) {
      head = text.split(":", -1);
      if (head.length != V6_SEGMENTS) {
        return null;
      }
    } else if (halves.length == 2) {
      head = halves[0].isEmpty() ? new String[0] : halves[0].split(":", -1);
      tail = halves[1].isEmpty() ? new String[0] : halves[1].split(":", -1);
      if (head.length + tail.length >= V6_SEGMENTS) {
        return null;
      }
    } else {
      return null;
    }
    byte[] out = new byte[V6_BYTES];
    boolean ok = putSegments(out, 0, head) && putSegments(out, V6_BYTES - 2 * tail.length, tail);
    return ok ? out : null;
  }

  private static boolean putSegments(byte[] out, int at, String[] segments) {
    for (String segment : segments) {
      if (segment.isEmpty() || segment.length() > 4) {
        return false;
      }
      int v = parseOr(segment, 16, Integer.MIN_VALUE);
      if (v == Integer.MIN_VALUE) {
        return false;
      }
      out[at++] = (byte) (v >> 8);
      out[at++] = (byte) v;
    }
    return true;
  }

  private static int parseOr(String text, int radix, int fallback) {
    try {
      return Integer.parseInt(text, radix);
    } catch (NumberFormatException e) {
      return fallback; // not a number: the caller treats the address as invalid
    }
  }
}
