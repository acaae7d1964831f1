package io.warden.brokersim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar broker-sim.jar run|demo ...}. */
@Command(name = "broker-sim", mixinStandardHelpOptions = true,
    description = "A simulated Kafka (ZooKeeper-mode) broker fleet driven by Warden.",
    subcommands = {RunCommand.class, DemoCommand.class, ScaleCommand.class})
public final class BrokerSimMain implements Runnable {
  /** Exit codes: 0 all scenarios passed, 1 a scenario was violated, 2 bad input, 3 unreachable. */
  public static final int EXIT_VIOLATED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_UNREACHABLE = 3;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static int execute(String... args) {
    return new CommandLine(new BrokerSimMain())
        .setParameterExceptionHandler((ex, a) -> {
          ex.getCommandLine().getErr().println("error: " + ex.getMessage());
          ex.getCommandLine().usage(ex.getCommandLine().getErr());
          return EXIT_USAGE;
        })
        .execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
