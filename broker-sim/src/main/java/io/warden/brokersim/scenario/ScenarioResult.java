package io.warden.brokersim.scenario;

import java.util.List;
import java.util.Map;

/** The outcome of one scenario: its violations (none = passed) and what it measured. */
public record ScenarioResult(String scenario, long seed, long durationMs, List<String> violations,
    Map<String, Object> measurements) {
  public ScenarioResult {
    violations = List.copyOf(violations);
    measurements = Map.copyOf(measurements);
  }

  public boolean passed() {
    return violations.isEmpty();
  }
}
