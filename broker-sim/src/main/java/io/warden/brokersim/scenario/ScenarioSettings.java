package io.warden.brokersim.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * How a scenario run is shaped: the ensemble, the fleet size and topics, the session timeout,
 * and the seed (replica assignment, topic ids, choices of victims) — printed with every result so
 * a run can be replayed with {@code --seed}.
 */
public record ScenarioSettings(String ensemble, int brokers, int topics, int partitions,
    int replicationFactor, Duration sessionTimeout, long seed) {
  public ScenarioSettings {
    Objects.requireNonNull(ensemble, "ensemble");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    if (brokers < 3) {
      throw new IllegalArgumentException("the scenarios need at least 3 brokers, was " + brokers);
    }
    if (topics < 1 || partitions < 1) {
      throw new IllegalArgumentException("topics and partitions must be >= 1, were " + topics
          + " and " + partitions);
    }
    if (replicationFactor < 2 || replicationFactor > brokers) {
      throw new IllegalArgumentException("replication factor must be in [2, brokers=" + brokers
          + "], was " + replicationFactor);
    }
    if (sessionTimeout.toMillis() < 1000) {
      throw new IllegalArgumentException("session timeout must be >= 1 s, was " + sessionTimeout);
    }
  }

  /** How long a scenario waits for something that takes about one session expiry. */
  public Duration expiryWait() {
    return sessionTimeout.multipliedBy(5).plusSeconds(5);
  }
}
