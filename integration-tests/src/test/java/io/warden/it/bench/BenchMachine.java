package io.warden.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The machine a benchmark ran on, for the first lines of its report. */
final class BenchMachine {
  private BenchMachine() {
  }

  /** The 1, 5 and 15-minute load averages: this machine is shared, and the numbers say how much. */
  static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }

  /** "- run: ..." and "- machine: ..." lines (Markdown), ending in a newline. */
  static String describe(Instant started, String loadAtStart) throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
        .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst("^model name\\s*:\\s*", ""))
        .orElse("unknown CPU");
    long minutes = Duration.between(started, Instant.now()).toMinutes();
    return "- run: " + started.truncatedTo(ChronoUnit.SECONDS) + " (" + minutes + " min)\n"
        + "- machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
        + System.getProperty("java.version") + "; load average (1/5/15 min) " + loadAtStart
        + " at the start, " + loadAverage() + " at the end (2 cores: above 2, other work competed)\n";
  }
}
