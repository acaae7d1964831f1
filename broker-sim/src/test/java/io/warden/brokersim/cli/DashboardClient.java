package io.warden.brokersim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The dashboard's HTTP surface as the tests call it. */
final class DashboardClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  DashboardClient(String baseUrl) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  record Reply(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Reply post(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  /** The latest state the page would render (null while there is none yet). */
  JsonNode state() throws IOException, InterruptedException {
    Reply r = get("/api/state");
    return r.status() == 200 ? r.json() : null;
  }

  /** The value of one Prometheus sample line, e.g. {@code metric("kafka_controller_epoch")}. */
  double metric(String series) throws IOException, InterruptedException {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no series " + series + " in /metrics");
  }

  HttpClient http() {
    return http;
  }

  String base() {
    return base;
  }
}
