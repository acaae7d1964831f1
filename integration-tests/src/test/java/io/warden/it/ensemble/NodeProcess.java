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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Warden server as a child JVM started the way an operator starts it
 * ({@code warden server --config FILE}). Its output is appended to a log file by a daemon
 * thread (a full pipe would stall the child).
 */
public final class NodeProcess {
  private final int id;
  private final Path config;
  private final Path logFile;
  private final int clientPort;
  private final List<String> jvmOptions;
  private Process process;

  NodeProcess(int id, Path config, Path logFile, int clientPort, List<String> jvmOptions) {
    this.id = id;
    this.config = config;
    this.logFile = logFile;
    this.clientPort = clientPort;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  public int id() {
    return id;
  }

  public int clientPort() {
    return clientPort;
  }

  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("server " + id + " is running");
    }
    try {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          WardenMain.class.getName(), "server", "--config", config.toString()));
      process = new ProcessBuilder(command)
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
  public synchronized void kill() {
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

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGSTOP: the process freezes mid-step, its sockets open, as in a long GC pause or a stalled VM. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    long pid;
    synchronized (this) {
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException("server " + id + " is not running");
      }
      pid = process.pid();
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The answer to a four-letter word, or "" if the server did not answer (down, starting). */
  public String fourLetters(String word) {
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
  public String mode() {
    for (String line : fourLetters("srvr").split("\n")) {
      if (line.startsWith("Mode: ")) {
        String mode = line.substring("Mode: ".length()).trim();
        return mode.equals("not serving") ? "" : mode;
      }
    }
    return "";
  }

  public String logTail(int lines) {
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
