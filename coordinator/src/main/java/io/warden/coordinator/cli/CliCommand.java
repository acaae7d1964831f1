package io.warden.coordinator.cli;

import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.client.Watcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code warden cli}: a zkCli-like shell over the Warden client, for Warden and Apache ZooKeeper
 * servers alike.
 *
 * <pre>
 *   warden cli --server 127.0.0.1:2181 ls -s /          run one command and exit (0 = success)
 *   warden cli --server 127.0.0.1:2181                  interactive: commands from stdin
 * </pre>
 *
 * In interactive mode it prints a prompt such as {@code [warden: 127.0.0.1:2181(CONNECTED) 3] },
 * prints watch events as they arrive ({@code WATCHER::} then zkCli's {@code WatchedEvent} line),
 * carries on after failed commands and stops at {@code quit}, {@code exit} or end of input. Output
 * goes to injectable streams and the command returns its exit code (never System.exit), so it can
 * be embedded and tested.
 */
@Command(name = "cli", mixinStandardHelpOptions = true,
    description = "A zkCli-like shell: run one COMMAND, or read commands from stdin.")
public final class CliCommand implements Callable<Integer> {
  @Option(names = {"--server", "-server"}, defaultValue = "127.0.0.1:2181",
      description = "host:port[,host:port...][/chroot] (default: ${DEFAULT-VALUE})")
  String server;

  @Option(names = "--timeout", defaultValue = "10000",
      description = "connection timeout in ms (default: ${DEFAULT-VALUE})")
  long connectTimeoutMs;

  @Option(names = "--session-timeout", defaultValue = "30000",
      description = "session timeout in ms (default: ${DEFAULT-VALUE})")
  long sessionTimeoutMs;

  @Parameters(arity = "0..*", paramLabel = "COMMAND", preprocessor = RestOfLine.class,
      description = "ls, get, set, create, delete, deleteall, stat, sync, getAcl, setAcl, "
          + "addauth, getEphemerals, getAllChildrenNumber, whoami, help, quit")
  List<String> command = new ArrayList<>();

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  public CliCommand() {
    this(System.in, System.out, System.err);
  }

  public CliCommand(InputStream in, PrintStream out, PrintStream err) {
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /**
   * Everything from the command word on belongs to the shell command, options included
   * ({@code ls -s /}): picocli must not read {@code -s} as an option of {@code cli}.
   */
  static final class RestOfLine implements IParameterPreprocessor {
    @Override
    public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec argSpec,
        Map<String, Object> info) {
      List<String> rest = new ArrayList<>();
      while (!args.isEmpty()) {
        rest.add(args.pop());
      }
      ((CliCommand) spec.userObject()).command.addAll(rest);
      return true;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    if (!command.isEmpty() && isQuit(command.get(0))) {
      return 0;
    }
    if (!command.isEmpty() && command.get(0).equals("help")) {
      new ShellCommands(null, out, err, null).help();
      return 0;
    }
    WardenClient client;
    try {
      client = WardenClient.builder(server)
          .sessionTimeout(Duration.ofMillis(sessionTimeoutMs))
          .connectionTimeout(Duration.ofMillis(connectTimeoutMs))
          .build();
    } catch (IllegalArgumentException e) {
      err.println("Invalid --server: " + e.getMessage());
      return 2;
    }
    try {
      if (!connect(client)) {
        return 1;
      }
      // one print call, so the event's lines never interleave with a prompt or a reply
      Watcher watcher = event -> out.print(System.lineSeparator() + "WATCHER::"
          + System.lineSeparator() + System.lineSeparator() + ShellFormat.event(event)
          + System.lineSeparator());
      ShellCommands shell = new ShellCommands(client.blocking(), out, err, watcher);
      return command.isEmpty() ? interactive(client, shell) : shell.run(command) ? 0 : 1;
    } finally {
      client.close();
    }
  }

  private boolean connect(WardenClient client) throws InterruptedException {
    try {
      if (client.awaitConnected(Duration.ofMillis(connectTimeoutMs))) {
        return true;
      }
      err.println("Unable to connect to " + server + " within " + connectTimeoutMs + " ms");
    } catch (WardenException e) {
      err.println("Unable to connect to " + server + ": " + e.getMessage());
    }
    return false;
  }

  /** Reads commands until quit/exit or end of input; exit code 0 (zkCli's behaviour). */
  private int interactive(WardenClient client, ShellCommands shell) throws InterruptedException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int count = 0;
    while (true) {
      out.print(prompt(client, count));
      out.flush();
      String line;
      try {
        line = reader.readLine();
      } catch (IOException e) {
        err.println("cannot read commands: " + e.getMessage());
        return 1;
      }
      if (line == null) {
        out.println();
        return 0;
      }
      List<String> words;
      try {
        words = ShellFormat.words(line);
      } catch (ShellException e) {
        err.println(e.getMessage());
        continue;
      }
      if (words.isEmpty()) {
        continue;
      }
      if (isQuit(words.get(0))) {
        return 0;
      }
      shell.run(words);
      count++;
    }
  }

  private String prompt(WardenClient client, int count) {
    ConnectionState state = client.state();
    return "[warden: " + server + "(" + (state == null ? "CONNECTING" : state) + ") " + count
        + "] ";
  }

  private static boolean isQuit(String word) {
    return word.equals("quit") || word.equals("exit");
  }
}
