package io.warden.coordinator.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** Test helpers: zoo.cfg text in, parsed config or problems out. */
final class Cfg {
  private Cfg() {
  }

  static Properties props(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Parses {@code text} with {@code dataDir=<dataDir>} prepended (a later dataDir line wins). */
  static ParsedConfig parse(Path dataDir, String text) {
    return ConfigParser.parseWithWarnings(props("dataDir=" + dataDir + "\n" + text), dataDir);
  }

  /** The problems reported for {@code text}; fails if it parses. */
  static List<String> problems(Path dataDir, String text) {
    ConfigException[] caught = new ConfigException[1];
    assertThatThrownBy(() -> parse(dataDir, text))
        .isInstanceOfSatisfying(ConfigException.class, e -> caught[0] = e);
    return caught[0].problems();
  }
}
