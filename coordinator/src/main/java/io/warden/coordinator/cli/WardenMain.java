package io.warden.coordinator.cli;

import io.warden.coordinator.admin.WardenVersion;
import io.warden.coordinator.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar warden.jar <command>}: the one entry point for every Warden tool. */
@Command(name = "warden",
    mixinStandardHelpOptions = true,
    versionProvider = WardenMain.Version.class,
    description = "Warden: a ZooKeeper-compatible, Raft-replicated coordinator.",
    subcommands = {ServerCommand.class, CliCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class WardenMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new WardenMain()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"warden " + WardenVersion.get()};
    }
  }
}
