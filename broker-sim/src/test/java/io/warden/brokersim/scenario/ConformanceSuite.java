package io.warden.brokersim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.broker.SimListener;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The nine §8 scenarios as dynamic tests against one ensemble. The seed is printed and can be
 * replayed with {@code -Dbrokersim.seed=...}.
 */
final class ConformanceSuite {
  private ConformanceSuite() {
  }

  static Stream<DynamicTest> all(String fixture, String ensemble) {
    long seed = Long.getLong("brokersim.seed", System.nanoTime());
    System.out.println(fixture + ": seed " + seed + " (replay with -Dbrokersim.seed=" + seed + ")");
    ScenarioSettings settings = new ScenarioSettings(ensemble, 3, 2, 3, 2, Duration.ofSeconds(2),
        seed);
    return Scenarios.ALL.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
      SimListener printer = new SimListener() {
        @Override
        public void event(SimEvent e) {
          System.out.println(fixture + " " + s.name() + " " + e);
        }
      };
      ScenarioResult r = Scenarios.run(s, settings, printer);
      System.out.println(fixture + " " + r);
      assertThat(r.violations()).as("%s on %s (seed %d)", s.name(), fixture, seed).isEmpty();
    }));
  }
}
