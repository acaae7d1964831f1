package io.warden.coordinator.util;

/**
 * Always-on invariant checks (STYLE.md habit 7). Unlike {@code assert}, these stay on in
 * production: a broken invariant in a coordinator must stop the node loudly, not corrupt data
 * quietly. Keep the checked conditions cheap.
 */
public final class Check {
  private Check() {
  }

  public static void state(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  public static void state(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(format, args));
    }
  }

  public static void argument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }
}
