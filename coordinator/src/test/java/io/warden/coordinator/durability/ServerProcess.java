package io.warden.coordinator.durability;

import io.warden.coordinator.cli.WardenMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code warden server --config FILE} as a child JVM, the way an operator runs it. The child
 * binds port 0 and announces the port in its start-up log line ("serving clients on
 * 127.0.0.1:PORT"), which is how the test learns it. Its merged stdout/stderr is drained on a
 * daemon thread (a full pipe would stall the child) into memory and a log file.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("serving clients on ([^\\s:]+):(\\d+)");
  private static final Pattern ADMIN = Pattern.compile("admin on http://([^\\s:]+):(\\d+)");

  private final Process process;
  private final Path logFile;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> servingLine = new CompletableFuture<>();
  private final Thread drainer;

  private ServerProcess(Process process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
    this.drainer = new Thread(this::drain, "server-process-output-" + process.pid());
    drainer.setDaemon(true);
    drainer.start();
  }

  /** Writes {@code settings} as a zoo.cfg next to {@code logFile} and starts the server on it. */
  static ServerProcess start(Path configFile, Map<String, String> settings, Path logFile) {
    StringBuilder cfg = new StringBuilder();
    settings.forEach((k, v) -> cfg.append(k).append('=').append(v).append('\n'));
    try {
      Files.writeString(configFile, cfg);
      Process p = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m",
          "-XX:-UsePerfData",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"),
          WardenMain.class.getName(), "server", "--config", configFile.toString())
          .redirectErrorStream(true)
          .start();
      return new ServerProcess(p, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the server process", e);
    }
  }

  /** Waits for the start-up line and returns the client port; fails with the child's output if it died. */
  int awaitClientPort(Duration timeout) {
    Matcher m = SERVING.matcher(awaitServingLine(timeout));
    if (!m.find()) {
      throw new IllegalStateException("unreadable start-up line");
    }
    return Integer.parseInt(m.group(2));
  }

  /** The admin HTTP port from the start-up line; -1 when the admin server is disabled. */
  int adminPort(Duration timeout) {
    Matcher m = ADMIN.matcher(awaitServingLine(timeout));
    return m.find() ? Integer.parseInt(m.group(2)) : -1;
  }

  private String awaitServingLine(Duration timeout) {
    try {
      return servingLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage() + "; output:\n" + tail(40), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("server did not start within " + timeout + "; output:\n" + tail(40), e);
    }
  }

  /** SIGKILL (on Linux {@link Process#destroyForcibly()} sends SIGKILL) and wait for it to die. */
  void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(20));
  }

  /** Waits for the process to exit and returns its exit code. */
  int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("server process did not exit within " + timeout + "; output:\n" + tail(40));
      }
      drainer.join(timeout.toMillis());
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process printed so far. */
  List<String> output() {
    return List.copyOf(lines);
  }

  String tail(int n) {
    List<String> all = output();
    return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private void drain() {
    List<String> batch = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
        batch.add(line);
        if (!servingLine.isDone() && SERVING.matcher(line).find()) {
          servingLine.complete(line);
        }
        if (batch.size() >= 64) {
          appendToLog(batch);
        }
      }
    } catch (IOException e) {
      lines.add("[reading the server's output failed: " + e + "]");
    } finally {
      appendToLog(batch);
      servingLine.completeExceptionally(new IllegalStateException(
          "server process exited before serving (exit code " + exitCodeOrAlive() + ")"));
    }
  }

  private String exitCodeOrAlive() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still alive";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private void appendToLog(List<String> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      Files.write(logFile, batch, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      lines.add("[cannot write " + logFile + ": " + e + "]");
    }
    batch.clear();
  }
}
