package io.warden.coordinator.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's words split into single-letter options and positionals, POSIX style like zkCli's
 * commons-cli parser: {@code -s -w} or {@code -sw}, {@code -v 3} or {@code -v3}, options anywhere
 * before or between positionals.
 */
record ShellArgs(Set<Character> flags, Map<Character, String> values, List<String> positional) {

  /** {@code flagLetters} take no value, {@code valueLetters} take one. */
  static ShellArgs parse(List<String> words, String flagLetters, String valueLetters)
      throws ShellException {
    Set<Character> flags = new HashSet<>();
    Map<Character, String> values = new HashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.length() < 2 || w.charAt(0) != '-') {
        positional.add(w);
        continue;
      }
      for (int j = 1; j < w.length(); j++) {
        char c = w.charAt(j);
        if (valueLetters.indexOf(c) >= 0) {
          String value = j + 1 < w.length() ? w.substring(j + 1)
              : i + 1 < words.size() ? words.get(++i) : null;
          if (value == null) {
            throw new ShellException("Missing argument for option: " + c);
          }
          values.put(c, value);
          break;
        }
        if (flagLetters.indexOf(c) < 0) {
          throw new ShellException("Unrecognized option: -" + c);
        }
        flags.add(c);
      }
    }
    return new ShellArgs(flags, values, positional);
  }

  boolean has(char flag) {
    return flags.contains(flag) || values.containsKey(flag);
  }

  int intValue(char option, int defaultValue) throws ShellException {
    String v = values.get(option);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ShellException("-" + option + " argument must be a number, was " + v);
    }
  }
}
