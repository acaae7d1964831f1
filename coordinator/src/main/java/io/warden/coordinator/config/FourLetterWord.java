package io.warden.coordinator.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The four-letter words Warden answers on the client port (DESIGN.md §5), when whitelisted by
 * {@code 4lw.commands.whitelist}.
 */
public enum FourLetterWord {
  RUOK, ISRO, SRVR, STAT, MNTR, CONF, CONS, WCHS, ENVI;

  /**
   * Words ZooKeeper 3.9 knows that Warden does not answer. Listing them in the whitelist is
   * accepted (an existing zoo.cfg keeps working) with a warning, instead of failing the start.
   */
  public static final Set<String> ZOOKEEPER_ONLY =
      Set.of("crst", "dirs", "dump", "gtmk", "hash", "srst", "stmk", "wchc", "wchp");

  /** The word as sent on the wire, lower case. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Case-insensitive lookup; ZooKeeper only matches lower case, but "STAT" clearly means stat. */
  public static Optional<FourLetterWord> fromWord(String s) {
    String w = s.trim().toLowerCase(Locale.ROOT);
    for (FourLetterWord f : values()) {
      if (f.word().equals(w)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
