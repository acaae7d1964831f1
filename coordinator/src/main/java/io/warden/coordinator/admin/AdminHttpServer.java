package io.warden.coordinator.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.warden.coordinator.node.NodeRuntime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin port (loopback by default): {@code /commands} and {@code /commands/<name>}
 * as JSON, {@code /metrics} in Prometheus text format, {@code /health} (the process is up and
 * its node has not failed) and {@code /ready} (serving clients) for orchestrators. Read-only;
 * nothing here changes the node.
 */
public final class AdminHttpServer {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Vertx vertx;
  private final NodeRuntime runtime;
  private final AdminCommands commands;
  private final PrometheusMeterRegistry registry;
  private final ExecutorService scraper = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "warden-admin-scrape");
    t.setDaemon(true);
    return t;
  });
  private final String commandUrl;
  private HttpServer server;

  public AdminHttpServer(Vertx vertx, NodeRuntime runtime, AdminCommands commands, PrometheusMeterRegistry registry) {
    this(vertx, runtime, commands, registry, "/commands");
  }

  /** @param commandUrl where the commands live ({@code admin.commandURL}, e.g. {@code /commands}) */
  public AdminHttpServer(Vertx vertx, NodeRuntime runtime, AdminCommands commands, PrometheusMeterRegistry registry,
      String commandUrl) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.commands = commands;
    this.registry = registry;
    this.commandUrl = commandUrl.endsWith("/") ? commandUrl.substring(0, commandUrl.length() - 1) : commandUrl;
  }

  /** Binds; the future gives the actual port (0 binds an ephemeral one). */
  public Future<Integer> listen(String host, int port) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setMaxInitialLineLength(4096).setMaxHeaderSize(8192));
    server.requestHandler(this::handle);
    return server.listen().map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    scraper.shutdownNow();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end("only GET is supported\n");
      return;
    }
    String path = req.path();
    switch (path) {
      case "/health" -> {
        boolean failed = runtime.terminated().isCompletedExceptionally();
        req.response().setStatusCode(failed ? 503 : 200).end(failed ? "failed\n" : "ok\n");
      }
      case "/ready" -> {
        boolean ready = runtime.isServing();
        req.response().setStatusCode(ready ? 200 : 503).end(ready ? "ready\n" : "not serving\n");
      }
      case "/metrics" -> {
        // Formatting every meter's histogram takes milliseconds: do it on the admin's own
        // thread, not on an event loop and not on Vert.x's shared worker pool (DESIGN.md D9).
        Context ctx = vertx.getOrCreateContext();
        CompletableFuture.supplyAsync(registry::scrape, scraper).whenComplete((text, err) -> ctx.runOnContext(v -> {
          if (err == null) {
            req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text);
          } else {
            req.response().setStatusCode(500).end("scrape failed\n");
          }
        }));
      }
      default -> {
        if (path.equals(commandUrl) || path.equals(commandUrl + "/")) {
          json(req, 200, Map.of("commands", new TreeMap<>(Map.of(
              "names", AdminCommands.NAMES.stream().sorted().toList()))));
        } else if (path.startsWith(commandUrl + "/")) {
          command(req, path.substring(commandUrl.length() + 1));
        } else {
          req.response().setStatusCode(404).end("not found: try " + commandUrl + ", /metrics, /health, /ready\n");
        }
      }
    }
  }

  private void command(HttpServerRequest req, String name) {
    if (!AdminCommands.NAMES.contains(name)) {
      json(req, 404, Map.of("error", "unknown command: " + name));
      return;
    }
    Context ctx = vertx.getOrCreateContext();
    commands.json(name).whenComplete((m, err) -> ctx.runOnContext(v -> {
      if (err != null) {
        LOG.warn("admin command {} failed: {}", name, err.toString());
        json(req, 500, Map.of("error", String.valueOf(err.getMessage())));
      } else {
        json(req, 200, m);
      }
    }));
  }

  private static void json(HttpServerRequest req, int status, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (Exception e) {
      status = 500;
      text = "{\"error\":\"cannot render\"}";
    }
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
  }
}
