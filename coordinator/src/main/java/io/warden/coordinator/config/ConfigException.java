package io.warden.coordinator.config;

import java.util.List;

/**
 * The configuration cannot be used: unknown keys, invalid values, contradictory settings, or an
 * unreadable file. Thrown before anything starts, with every problem found, each naming the key
 * it is about, the value and what would have been accepted, so one edit-and-retry fixes them all.
 */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(render(source, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of(message);
  }

  /** Each problem on its own, in the order they were found (keys in sorted order). */
  public List<String> problems() {
    return problems;
  }

  private static String render(String source, List<String> problems) {
    if (problems.size() == 1) {
      return source + ": " + problems.get(0);
    }
    StringBuilder sb = new StringBuilder()
        .append(source).append(": ").append(problems.size()).append(" problems");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
