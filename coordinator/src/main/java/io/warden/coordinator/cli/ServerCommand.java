package io.warden.coordinator.cli;

import io.warden.coordinator.config.ConfigException;
import io.warden.coordinator.config.ConfigParser;
import io.warden.coordinator.config.WardenConfig;
import io.warden.coordinator.node.CorruptStorageException;
import io.warden.coordinator.server.WardenServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code warden server [--config FILE]}: runs one node until it is stopped (SIGTERM/Ctrl-C:
 * clean shutdown, exit 0) or fails (exit 1). Without a file it runs a single node on
 * 127.0.0.1:2181 with its data in ./data.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Start a Warden node (zoo.cfg-compatible configuration).")
final class ServerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "zoo.cfg-compatible configuration file (default: a single node on 127.0.0.1:2181, data in ./data)")
  Path config;

  @Override
  public Integer call() {
    WardenConfig cfg;
    try {
      cfg = config == null ? WardenConfig.defaults() : ConfigParser.parse(config);
    } catch (ConfigException e) {
      System.err.println("warden: invalid configuration " + (config == null ? "" : config) + ":");
      System.err.println(e.getMessage());
      return 2;
    }
    WardenServer server;
    try {
      server = WardenServer.start(cfg);
    } catch (CorruptStorageException e) {
      LOG.error("refusing to start: {}", e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      LOG.error("failed to start: {}", e.toString(), e);
      return 1;
    }
    Thread hook = new Thread(server::close, "warden-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.terminated().get();
      return 0;
    } catch (ExecutionException e) {
      LOG.error("node stopped after a failure: {}", e.getCause().toString());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
