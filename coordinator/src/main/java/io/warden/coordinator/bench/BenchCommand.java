package io.warden.coordinator.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code warden bench}: load for any ZooKeeper-protocol server (Warden or Apache ZooKeeper).
 *
 * <pre>
 *   warden bench --connect 127.0.0.1:2181 --op set --clients 8 --inflight 32 --duration 10
 * </pre>
 *
 * Exit codes: 0 the run completed without a failed request; 1 it completed but some requests
 * failed (the counts are printed); 2 invalid options; 3 the run could not start or finish
 * (unreachable server, setup failed).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Drive a ZooKeeper-protocol server with asynchronous requests; print ops/s, "
        + "latency percentiles and errors.")
public final class BenchCommand implements Callable<Integer> {
  static final int EXIT_REQUEST_ERRORS = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILED = 3;

  @Option(names = "--connect", required = true, paramLabel = "HOST:PORT,...",
      description = "servers, as for any ZooKeeper client")
  String connect;

  @Option(names = "--op", defaultValue = "set",
      description = "create, set, get, exists, multi (5 sets), mixed (get/set), watch-fanout "
          + "(one watch per session, one set; latency = until the last notification), session-churn "
          + "(each request a new session: connect, create an ephemeral, close) (default: ${DEFAULT-VALUE})")
  String op;

  @Option(names = "--read-ratio", defaultValue = "0.9",
      description = "for mixed: fraction of gets (default: ${DEFAULT-VALUE})")
  double readRatio;

  @Option(names = "--clients", defaultValue = "1", description = "sessions (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--inflight", defaultValue = "1",
      description = "requests in flight per session (default: ${DEFAULT-VALUE})")
  int inflight;

  @Option(names = "--size", defaultValue = "100", description = "value bytes (default: ${DEFAULT-VALUE})")
  int sizeBytes;

  @Option(names = "--znodes", defaultValue = "1000",
      description = "nodes pre-created for set/get/exists/multi/mixed (default: ${DEFAULT-VALUE})")
  int znodes;

  @Option(names = "--duration", defaultValue = "10", description = "measured seconds (default: ${DEFAULT-VALUE})")
  double durationS;

  @Option(names = "--warmup", defaultValue = "0",
      description = "seconds of load before measuring (default: ${DEFAULT-VALUE})")
  double warmupS;

  @Option(names = "--connect-timeout", defaultValue = "10",
      description = "seconds for every session to connect (default: ${DEFAULT-VALUE})")
  double connectTimeoutS;

  @Option(names = "--keep", description = "keep the run's nodes (default: delete them)")
  boolean keep;

  @Option(names = "--pin", description = "session i uses only the (i mod H)-th server of "
      + "--connect: an even, reproducible spread (default: every session picks at random)")
  boolean pin;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  private final PrintStream out;
  private final PrintStream err;

  public BenchCommand() {
    this(System.out, System.err);
  }

  public BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    BenchSettings settings;
    try {
      settings = new BenchSettings(connect, BenchOp.parse(op), readRatio, clients, inflight,
          sizeBytes, znodes, seconds(durationS, "--duration"), seconds(warmupS, "--warmup"),
          seconds(connectTimeoutS, "--connect-timeout"), keep, pin);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      return EXIT_USAGE;
    }
    BenchResult result;
    try {
      result = LoadRun.run(settings);
    } catch (BenchException e) {
      err.println("bench: " + e.getMessage());
      return EXIT_FAILED;
    }
    out.print(json ? result.toJson() + System.lineSeparator() : result.toText());
    out.flush();
    if (result.errorCount() > 0) {
      err.println("bench: " + result.errorCount() + " requests failed");
      return EXIT_REQUEST_ERRORS;
    }
    return 0;
  }

  private static Duration seconds(double s, String option) {
    if (Double.isNaN(s) || s < 0 || s > Duration.ofDays(1).toSeconds()) {
      throw new IllegalArgumentException(option + " must be within 0..86400 seconds, was " + s);
    }
    return Duration.ofNanos((long) (s * 1e9));
  }
}
