package io.warden.brokersim.dashboard;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.broker.SimListener;
import io.warden.brokersim.fleet.ClusterSnapshot;
import io.warden.brokersim.fleet.Fleet;
import io.warden.client.WardenException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * broker-sim's live web dashboard: one static page, a server-sent-event stream of the fleet's
 * state and timeline, fault buttons (POST /api/faults/NAME?id=N) and Prometheus metrics
 * (/metrics), all on one Vert.x HTTP server.
 *
 * <p>Threads: the event loop only serves bytes it already has. "dashboard-sampler" reads the
 * ensemble (through the dashboard's own session, {@link SnapshotReader}), the brokers and the
 * coordinators every {@link #SAMPLE_INTERVAL} (these calls block)
 * and hands the rendered state to {@link #ctx}; "dashboard-faults" runs one fault at a time;
 * "dashboard-scrape" formats the metrics. Broker threads hand their events to {@link #ctx} too.
 * The SSE clients and the timeline ring belong to {@link #ctx} alone.
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  static final Duration SAMPLE_INTERVAL = Duration.ofMillis(500);
  private static final int TIMELINE_MAX = 300;
  private static final int SSE_CLIENTS_MAX = 64;
  private static final int PENDING_FAULTS_MAX = 8;
  private static final Map<String, String> STATIC = Map.of(
      "/", "index.html", "/index.html", "index.html",
      "/dashboard.js", "dashboard.js", "/dashboard.css", "dashboard.css");

  private final Fleet fleet;
  private final Optional<Coordinators> coordinators;
  private final FleetMetrics metrics = new FleetMetrics(System::currentTimeMillis);
  private final SnapshotReader reader;
  private final Faults faults;
  private final Map<String, Buffer> files;
  private final Vertx vertx = Vertx.vertx();
  private final Context ctx = vertx.getOrCreateContext();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(named("dashboard-sampler"));
  private final ExecutorService scraper = Executors.newSingleThreadExecutor(named("dashboard-scrape"));
  private final ExecutorService faultRunner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new ArrayBlockingQueue<>(PENDING_FAULTS_MAX), named("dashboard-faults"));
  // owned by ctx
  private final List<HttpServerResponse> clients = new ArrayList<>();
  private final Deque<String> timeline = new ArrayDeque<>();
  private String latestState;
  private HttpServer server;
  private int port;
  private volatile boolean closed;

  private Dashboard(Fleet fleet, Optional<Coordinators> coordinators) {
    this.fleet = fleet;
    this.coordinators = coordinators;
    this.reader = new SnapshotReader(fleet.config());
    this.faults = new Faults(fleet, reader, coordinators, this::timelineEvent);
    this.files = loadFiles();
  }

  /** The dashboard could not bind its port (in use, or not allowed). */
  public static final class ListenException extends RuntimeException {
    ListenException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Serves the dashboard of {@code fleet} on {@code host:port} (0 picks a free port) and starts
   * sampling. {@code coordinators} is present only when the caller embeds the ensemble.
   */
  public static Dashboard start(Fleet fleet, Optional<Coordinators> coordinators, String host, int port)
      throws InterruptedException {
    Dashboard d = new Dashboard(fleet, coordinators);
    try {
      d.listen(host, port);
    } catch (RuntimeException | InterruptedException e) {
      d.close();
      throw e;
    }
    return d;
  }

  private void listen(String host, int requestedPort) throws InterruptedException {
    // the timeline starts with what already happened; an event racing this copy may show twice
    ctx.runOnContext(v -> fleet.events().stream().skip(Math.max(0, fleet.events().size() - TIMELINE_MAX))
        .forEach(e -> remember(StateJson.event(e))));
    fleet.addListener(new SimListener() {
      @Override
      public void event(SimEvent e) {
        timelineEvent(e);
      }
    });
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(requestedPort)
        .setMaxInitialLineLength(4096).setMaxHeaderSize(8192));
    server.requestHandler(this::handle);
    try {
      port = server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable why = e.getCause() != null ? e.getCause() : e;
      throw new ListenException("the dashboard cannot listen on " + host + ":" + requestedPort + " ("
          + why.getMessage() + ")", e);
    }
    sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int port() {
    return port;
  }

  // ---- sampling (dashboard-sampler) ------------------------------------------------------------

  private void sample() {
    try {
      Optional<ClusterSnapshot> cluster = Optional.empty();
      String error = null;
      try {
        cluster = Optional.of(reader.read());
      } catch (WardenException e) {
        error = "cannot read the ensemble: " + e.getMessage();
      }
      Sample s = new Sample(System.currentTimeMillis(), cluster, error,
          fleet.brokers().stream().map(Sample.BrokerRow::of).toList(),
          coordinators.map(Coordinators::members).orElse(List.of()));
      metrics.sampled(s);
      String json = StateJson.state(s, coordinators.isPresent());
      ctx.runOnContext(v -> {
        latestState = json;
        broadcast("state", json);
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    } catch (RuntimeException e) {
      // a failed look must not end the schedule (a throwing task is never run again)
      LOG.warn("dashboard sample failed: {}", e.toString());
    }
  }

  private void timelineEvent(SimEvent e) {
    if (closed) {
      return; // the fleet outlives its dashboard and cannot forget a listener
    }
    metrics.event(e);
    publishTimeline(StateJson.event(e));
  }

  /** Adds a line of commentary (kind NOTE) to the timeline, e.g. the demo's chaos reports. */
  public void note(String line) {
    if (closed) {
      return;
    }
    publishTimeline(StateJson.note(System.currentTimeMillis(), line));
  }

  private void publishTimeline(String json) {
    ctx.runOnContext(v -> {
      remember(json);
      broadcast("timeline", json);
    });
  }

  private void remember(String eventJson) {
    timeline.addLast(eventJson);
    while (timeline.size() > TIMELINE_MAX) {
      timeline.pollFirst();
    }
  }

  // ---- HTTP (event loop) --------------------------------------------------------------------------

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (path.startsWith("/api/faults/")) {
      if (req.method() != HttpMethod.POST) {
        req.response().setStatusCode(405).putHeader("Allow", "POST").end(StateJson.message("error", "faults are POST only"));
        return;
      }
      fault(req, path.substring("/api/faults/".length()));
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end("only GET here\n");
      return;
    }
    String file = STATIC.get(path);
    if (file != null) {
      req.response().putHeader("Content-Type", contentType(file)).putHeader("Cache-Control", "no-cache")
          .end(files.get(file));
      return;
    }
    switch (path) {
      case "/events" -> subscribe(req);
      case "/api/state" -> ctx.runOnContext(v -> {
        String s = latestState;
        if (s == null) {
          req.response().setStatusCode(503).end(StateJson.message("error", "no sample yet"));
        } else {
          req.response().putHeader("Content-Type", "application/json").end(s);
        }
      });
      case "/metrics" -> {
        Context here = vertx.getOrCreateContext();
        CompletableFuture.supplyAsync(metrics::scrape, scraper).whenComplete((text, err) -> here.runOnContext(v -> {
          if (err == null) {
            req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text);
          } else {
            req.response().setStatusCode(500).end("scrape failed\n");
          }
        }));
      }
      default -> req.response().setStatusCode(404).end("not found: try /, /events, /api/state, /metrics\n");
    }
  }

  private void fault(HttpServerRequest req, String name) {
    Context here = vertx.getOrCreateContext();
    String id = req.getParam("id");
    CompletableFuture<Faults.Outcome> done = new CompletableFuture<>();
    try {
      faultRunner.execute(() -> {
        try {
          done.complete(faults.apply(name, id));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          done.complete(new Faults.Outcome(503, "the dashboard is closing"));
        } catch (RuntimeException e) {
          LOG.warn("fault {} failed", name, e);
          done.complete(new Faults.Outcome(500, name + " failed: " + e));
        }
      });
    } catch (RejectedExecutionException e) {
      done.complete(new Faults.Outcome(429, "too many faults waiting; try again"));
    }
    done.thenAccept(o -> here.runOnContext(v -> req.response().setStatusCode(o.status())
        .putHeader("Content-Type", "application/json")
        .end(StateJson.message(o.status() == 200 ? "ok" : "error", o.message()))));
  }

  private void subscribe(HttpServerRequest req) {
    HttpServerResponse r = req.response();
    r.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
    ctx.runOnContext(v -> {
      if (clients.size() >= SSE_CLIENTS_MAX) {
        r.setStatusCode(503).end("too many dashboard viewers\n");
        return;
      }
      clients.add(r);
      r.closeHandler(x -> ctx.runOnContext(y -> clients.remove(r)));
      timeline.forEach(e -> r.write(frame("timeline", e)));
      if (latestState != null) {
        r.write(frame("state", latestState));
      }
    });
  }

  /** Writes to every viewer; one that cannot keep up is dropped (its browser reconnects). */
  private void broadcast(String event, String json) {
    String f = frame(event, json);
    for (HttpServerResponse r : List.copyOf(clients)) {
      if (r.writeQueueFull()) {
        clients.remove(r);
        r.reset();
      } else {
        r.write(f);
      }
    }
  }

  private static String frame(String event, String json) {
    return "event: " + event + "\ndata: " + json + "\n\n";
  }

  // ---- resources -------------------------------------------------------------------------------

  private static Map<String, Buffer> loadFiles() {
    Map<String, Buffer> out = new java.util.HashMap<>();
    for (String f : new java.util.TreeSet<>(STATIC.values())) {
      try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + f)) {
        if (in == null) {
          throw new IllegalStateException("dashboard resource missing: /dashboard/" + f);
        }
        out.put(f, Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(out);
  }

  private static String contentType(String file) {
    if (file.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    return file.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    closed = true;
    sampler.shutdownNow();
    faultRunner.shutdownNow();
    scraper.shutdownNow();
    reader.close();
    try {
      if (server != null) {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("dashboard did not close cleanly: {}", e.toString());
    }
  }
}
