package io.warden.protocol;

/**
 * ZooKeeper's path rules (wire reference §9.6), as the Java client checks every path and the
 * server checks the paths of writes (create*, setData, setACL, check). Reads are not validated
 * by the server: an invalid read path is simply NoNode.
 *
 * <p>A valid path is non-empty, starts with {@code /}, is {@code /} itself or does not end with
 * {@code /}, has no empty component and no component {@code .} or {@code ..}, and contains no
 * NUL, no U+0001–U+001F, U+007F–U+009F, U+D800–U+F8FF or U+FFF0–U+FFFF.
 */
public final class Paths {
  private Paths() {
  }

  /** Null if {@code path} is valid, otherwise why it is not (for logs and error messages). */
  public static String validate(String path) {
    if (path == null) {
      return "path is null";
    }
    if (path.isEmpty()) {
      return "path is empty";
    }
    if (path.charAt(0) != '/') {
      return "path does not start with /";
    }
    if (path.length() == 1) {
      return null;
    }
    if (path.charAt(path.length() - 1) == '/') {
      return "path ends with /";
    }
    for (int i = 1; i < path.length(); i++) {
      String reason = checkChar(path, i);
      if (reason != null) {
        return reason + " at index " + i;
      }
    }
    return null;
  }

  /**
   * Null if {@code path} is valid as the requested path of a sequential create, which the
   * server completes with a counter suffix: it is checked as if a digit were appended, so it may
   * end in {@code /} (e.g. {@code /queue/}).
   */
  public static String validateSequential(String path) {
    return path == null ? "path is null" : validate(path + "1");
  }

  private static String checkChar(String path, int i) {
    char c = path.charAt(i);
    char previous = path.charAt(i - 1);
    if (c == 0) {
      return "NUL character";
    }
    if (c == '/' && previous == '/') {
      return "empty component";
    }
    if (c == '.' && endsComponent(path, i)) {
      boolean single = previous == '/';
      boolean dotDot = previous == '.' && path.charAt(i - 2) == '/';
      if (single || dotDot) {
        return "relative component";
      }
    }
    if (isForbidden(c)) {
      return "invalid character U+" + String.format("%04X", (int) c);
    }
    return null;
  }

  private static boolean endsComponent(String path, int i) {
    return i + 1 == path.length() || path.charAt(i + 1) == '/';
  }

  private static boolean isForbidden(char c) {
    return (c > '\u0000' && c <= '\u001f')
        || (c >= '\u007f' && c <= '\u009f')
        || (c >= '\ud800' && c <= '\uf8ff')
        || (c >= '\ufff0');
  }
}
