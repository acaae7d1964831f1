package io.warden.coordinator.config;

import java.util.List;

/**
 * One thing wrong with a configuration. {@code keys} names what it is about, so that a check
 * combining two keys can be skipped when one of them was already reported as unreadable (the
 * operator should see "tickTime is not a number", not also a confusing consequence of it).
 */
record Problem(List<String> keys, String message) {

  Problem {
    keys = List.copyOf(keys);
  }

  static Problem of(String key, String message) {
    return new Problem(List.of(key), message);
  }

  static Problem invalid(String key, Object value, String expected) {
    return of(key, "invalid value for '" + key + "': \"" + value + "\" (expected " + expected
        + ")");
  }

  /** As {@link #invalid(String, Object, String)}, saying what exactly is wrong first. */
  static Problem invalid(String key, Object value, String detail, String expected) {
    return of(key, "invalid value for '" + key + "': \"" + value + "\" (" + detail
        + "; expected " + expected + ")");
  }

  static Problem invalid(Setting setting, Object value) {
    return invalid(setting.key(), value, setting.expected());
  }
}
