package io.warden.it.ensemble;

import io.warden.coordinator.cli.WardenMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Warden server as a child JVM started the way an operator starts it
 * ({@code warden server --config FILE}). Its output is appended to a log file by a daemon
 * thread (a full pipe would stall the child).
 */
final class NodeProcess {
  private final int id;
  private final Path config;
  private final Path logFile;
  private final int clientPort;
  private Process process;

  NodeProcess(int id, Path config, Path logFile, int clientPort) {
    this.id = id;
    this.config = config;
    this.logFile = logFile;
    this.clientPort = clientPort;
  }

  int id() {
    return id;
  }

  int clientPort() {
    return clientPort;
  }

  synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("server " + id + " is running");
    }
    try {
      process = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"),
          WardenMain.class.getName(), "server", "--config", config.toString())
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start server " + id, e);
    }
    Process p = process;
    Thread drainer = new Thread(() -> drain(p), "server-" + id + "-output");
    drainer.setDaemon(true);
    drainer.start();
  }

  /** kill -9 ({@link Process#destroyForcibly} is SIGKILL on Linux) and wait until it is gone. */
  synchronized void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("server " + id + " survived SIGKILL for 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The answer to a four-letter word, or "" if the server did not answer (down, starting). */
  String fourLetters(String word) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", clientPort), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** "leader", "follower", "observer", or "" when not serving (or not answering). */
  String mode() {
    for (String line : fourLetters("srvr").split("\n")) {
      if (line.startsWith("Mode: ")) {
        String mode = line.substring("Mode: ".length()).trim();
        return mode.equals("not serving") ? "" : mode;
      }
    }
    return "";
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.exists(logFile) ? Files.readAllLines(logFile) : List.of();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "[cannot read " + logFile + ": " + e + "]";
    }
  }

  private void drain(Process p) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        Files.writeString(logFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      // the process died mid-line or the log is unwritable; the test's assertions speak for it
    }
  }
}
