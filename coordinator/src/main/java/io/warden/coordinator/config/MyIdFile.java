package io.warden.coordinator.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * ZooKeeper's {@code myid} file: {@code dataDir/myid} holds this member's id as ASCII digits.
 * Surrounding whitespace (the newline {@code echo} adds, a CR from Windows) is allowed; anything
 * else is refused, where ZooKeeper reads the first line and would accept trailing garbage lines.
 */
final class MyIdFile {
  static final String NAME = "myid";
  /** "255\r\n" plus generous whitespace; anything longer is not a myid file. */
  private static final long MAX_BYTES = 64;
  private static final String EXPECTED = "a single integer "
      + ServerSpec.MIN_ID + "-" + ServerSpec.MAX_ID + ", this member's N in server.N";

  private MyIdFile() {
  }

  /**
   * The id in {@code dataDir/myid}; empty when the file is absent (a problem if
   * {@code required}) or invalid (always a problem).
   */
  static OptionalInt read(Path dataDir, boolean required, String listedIds,
      List<Problem> problems) {
    Path file = dataDir.resolve(NAME);
    if (!Files.isRegularFile(file)) {
      if (required) {
        problems.add(Problem.of(NAME, "missing myid file " + file + ": with server.N lines (ids "
            + listedIds + ") each member needs its own id there, as in ZooKeeper"));
      }
      return OptionalInt.empty();
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        problems.add(invalid(file, "(" + Files.size(file) + " bytes)"));
        return OptionalInt.empty();
      }
      String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
      boolean digits = !text.isEmpty() && text.length() <= 3
          && text.chars().allMatch(ch -> ch >= '0' && ch <= '9');
      int id = digits ? Integer.parseInt(text) : -1;
      if (id < ServerSpec.MIN_ID || id > ServerSpec.MAX_ID) {
        problems.add(invalid(file, text));
        return OptionalInt.empty();
      }
      return OptionalInt.of(id);
    } catch (IOException e) {
      problems.add(Problem.of(NAME, "cannot read myid file " + file + ": " + e));
      return OptionalInt.empty();
    }
  }

  private static Problem invalid(Path file, String content) {
    return Problem.of(NAME, "invalid myid file " + file + ": \"" + content + "\" (expected "
        + EXPECTED + ")");
  }
}
