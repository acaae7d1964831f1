package io.warden.it.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One ensemble member in its own JVM, its output appended to a log file by the OS (no pipe to
 * drain). {@link #kill()} is SIGKILL, as a crash.
 */
final class ServerJvm {
  private final int id;
  private final List<String> command;
  private final Path logFile;
  private final int clientPort;
  private Process process;

  ServerJvm(int id, List<String> command, Path logFile, int clientPort) {
    this.id = id;
    this.command = List.copyOf(command);
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
      throw new IllegalStateException("server " + id + " is already running");
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start server " + id + ": " + command, e);
    }
  }

  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("server " + id + " survived SIGKILL for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing server " + id, e);
    }
  }

  /** The running server's process id (for /proc and jcmd). */
  synchronized long pid() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("server " + id + " is not running");
    }
    return process.pid();
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** "leader", "follower", or "" when not serving, not answering or down (from {@code srvr}). */
  String mode() {
    return srvr().lines().filter(l -> l.startsWith("Mode: ")).map(l -> l.substring(6).trim())
        .filter(m -> m.equals("leader") || m.equals("follower")).findFirst().orElse("");
  }

  /** Client connections the server reports in {@code srvr} (its own srvr connection included), -1 if down. */
  int connections() {
    return srvr().lines().filter(l -> l.startsWith("Connections: ")).map(l -> Integer.parseInt(l.substring(13).trim()))
        .findFirst().orElse(-1);
  }

  private String srvr() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", clientPort), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  Path logFile() {
    return logFile;
  }
}
