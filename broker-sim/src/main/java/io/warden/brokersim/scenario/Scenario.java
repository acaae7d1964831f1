package io.warden.brokersim.scenario;

/** One conformance scenario of layout §8: it drives a fleet and checks the expected outcome. */
public interface Scenario {
  /** The CLI name, e.g. {@code controller-crash}. */
  String name();

  /** One line: what happens and what must follow. */
  String description();

  /**
   * Runs against a fresh fleet in {@code run}. Unmet expectations are recorded with
   * {@link ScenarioRun#expect}; a wait that times out ends the scenario with a violation.
   */
  void run(ScenarioRun run) throws Exception;
}
