package io.warden.brokersim.layout;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The data of {@code /brokers/ids/<id>}, version 5 (IBP >= 2.7-IV0), §1.2.3. {@code host} and
 * {@code port} repeat the first PLAINTEXT endpoint ({@code null}/-1 when there is none); {@code
 * rack} is written only when configured.
 */
public record BrokerRegistration(
    String host,
    int port,
    List<String> endpoints,
    Map<String, String> listenerSecurityProtocolMap,
    int jmxPort,
    long timestampMs,
    Optional<String> rack,
    Map<String, SupportedFeature> features) {

  public static final int VERSION = 5;

  public BrokerRegistration {
    endpoints = List.copyOf(endpoints);
    listenerSecurityProtocolMap = Map.copyOf(listenerSecurityProtocolMap);
    Objects.requireNonNull(rack, "rack");
    features = Map.copyOf(features);
  }

  /** A supported version range of one feature ({@code {"min_version":a,"max_version":b}}). */
  public record SupportedFeature(int minVersion, int maxVersion) {
    public SupportedFeature {
      if (minVersion > maxVersion) {
        throw new IllegalArgumentException("min_version " + minVersion + " > max_version "
            + maxVersion);
      }
    }
  }

  /** What a simulated broker advertises: one PLAINTEXT listener, no rack, metadata.version. */
  public static BrokerRegistration simulated(String host, int port, long timestampMs) {
    return new BrokerRegistration(host, port, List.of("PLAINTEXT://" + host + ":" + port),
        Map.of("PLAINTEXT", "PLAINTEXT"), -1, timestampMs, Optional.empty(),
        Map.of("metadata.version", new SupportedFeature(1, 21)));
  }
}
