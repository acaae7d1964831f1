package io.warden.client.recipes;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One registered instance of a service, stored as JSON:
 * {@code {"name":"api","id":"api-1","host":"10.0.0.5","port":8080,"metadata":{"zone":"a"}}}.
 */
public record ServiceInstance(String name, String id, String host, int port,
    Map<String, String> metadata) {
  public ServiceInstance {
    RecipePaths.validateName(name, "service name");
    RecipePaths.validateName(id, "instance id");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    metadata = Map.copyOf(metadata);
  }

  public byte[] toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("id", id);
    json.put("host", host);
    json.put("port", port);
    json.put("metadata", new java.util.TreeMap<>(metadata));
    return FlatJson.write(json).getBytes(StandardCharsets.UTF_8);
  }

  /** Parses what {@link #toJson()} wrote; IllegalArgumentException if it is not that. */
  public static ServiceInstance fromJson(byte[] json) {
    if (json == null) {
      throw new IllegalArgumentException("no instance data");
    }
    Map<String, Object> m = FlatJson.read(new String(json, StandardCharsets.UTF_8));
    Object meta = m.getOrDefault("metadata", Map.of());
    if (!(m.get("name") instanceof String name) || !(m.get("id") instanceof String id)
        || !(m.get("host") instanceof String host) || !(m.get("port") instanceof Integer port)
        || !(meta instanceof Map<?, ?> metaMap)) {
      throw new IllegalArgumentException("not a service instance: " + m);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metaMap.forEach((k, v) -> metadata.put((String) k, (String) v));
    return new ServiceInstance(name, id, host, port, metadata);
  }
}
