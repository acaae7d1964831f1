package io.warden.brokersim.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * A simulated broker's settings. Kafka's time constants (ISR notification every 2.5 s after 5 s
 * of quiet or 60 s at most, §4.4) are configurable so tests can run them scaled down.
 *
 * @param connectString where the broker's session connects (its link), with chroot if any
 * @param isrCheckIntervalMs how often a leader re-checks its ISR and pending notifications
 * @param isrQuietMs a notification is written once no ISR change came for this long
 * @param isrMaxDelayMs ... or once the last notification is this old
 * @param maxInFlightRequests how many requests a pipelined batch keeps outstanding (Kafka's
 *     {@code zookeeper.max.in.flight.requests}, default 10)
 */
public record BrokerConfig(String connectString, Duration sessionTimeout, long isrCheckIntervalMs,
    long isrQuietMs, long isrMaxDelayMs, int maxInFlightRequests) {
  /** Kafka's default {@code zookeeper.max.in.flight.requests}. */
  public static final int KAFKA_MAX_IN_FLIGHT_REQUESTS = 10;

  public BrokerConfig {
    Objects.requireNonNull(connectString, "connectString");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    if (isrCheckIntervalMs <= 0 || isrQuietMs < 0 || isrMaxDelayMs < isrQuietMs) {
      throw new IllegalArgumentException("bad ISR timings: check " + isrCheckIntervalMs
          + " ms, quiet " + isrQuietMs + " ms, max " + isrMaxDelayMs + " ms");
    }
    if (maxInFlightRequests < 1) {
      throw new IllegalArgumentException("maxInFlightRequests must be at least 1, was "
          + maxInFlightRequests);
    }
  }

  /** Kafka's own ISR notification timings (2 500 / 5 000 / 60 000 ms). */
  public static BrokerConfig kafkaTimings(String connectString, Duration sessionTimeout) {
    return new BrokerConfig(connectString, sessionTimeout, 2_500, 5_000, 60_000,
        KAFKA_MAX_IN_FLIGHT_REQUESTS);
  }

  public BrokerConfig withConnectString(String cs) {
    return new BrokerConfig(cs, sessionTimeout, isrCheckIntervalMs, isrQuietMs, isrMaxDelayMs,
        maxInFlightRequests);
  }
}
