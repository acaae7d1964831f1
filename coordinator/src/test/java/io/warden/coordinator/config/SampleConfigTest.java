package io.warden.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator/conf/zoo.cfg.sample we ship. Surefire runs in the module directory. */
class SampleConfigTest {
  private static final Path SAMPLE = Path.of("conf", "zoo.cfg.sample");
  /** "#key=value" is a setting shown with its default; "# ..." is prose. */
  private static final Pattern COMMENTED_SETTING = Pattern.compile("^#([^\\s#=]+)=.*$");

  @TempDir
  Path dir;

  @Test
  void theSampleParsesAsShipped() {
    ParsedConfig p = ConfigParser.parseWithWarnings(SAMPLE);

    assertThat(p.warnings()).isEmpty();
    assertThat(p.config().tickTimeMs()).isEqualTo(2000);
    assertThat(p.config().dataDir()).isEqualTo(Path.of("/var/lib/warden"));
    assertThat(p.config().isStandalone()).isTrue();
  }

  @Test
  void everySettingShownInTheSampleIsValidTogether() throws Exception {
    String uncommented = Files.readAllLines(SAMPLE, StandardCharsets.ISO_8859_1).stream()
        .map(line -> COMMENTED_SETTING.matcher(line).matches() ? line.substring(1) : line)
        .reduce("", (a, b) -> a + b + "\n");
    Files.writeString(dir.resolve("myid"), "1\n");
    Path file = dir.resolve("zoo.cfg");
    Files.writeString(file, uncommented + "dataDir=" + dir + "\n", StandardCharsets.ISO_8859_1);

    WardenConfig c = ConfigParser.parseWithWarnings(file).config();

    assertThat(c.isStandalone()).isFalse();
    assertThat(c.servers()).hasSize(3);
    assertThat(c.superDigest()).isPresent();
  }

  @Test
  void everyKeyWardenReadsIsDocumentedInTheSampleAndTheParser() throws Exception {
    String sample = Files.readString(SAMPLE, StandardCharsets.ISO_8859_1);
    String parserSource = Files.readString(
        Path.of("src/main/java/io/warden/coordinator/config/ConfigParser.java"));
    List<String> keys = Arrays.stream(Setting.values()).map(Setting::key).toList();

    for (String key : keys) {
      assertThat(sample).as("zoo.cfg.sample documents %s", key)
          .containsPattern("(?m)^#?" + Pattern.quote(key) + "=");
      assertThat(parserSource).as("ConfigParser's key table documents %s", key)
          .contains(key);
    }
  }
}
