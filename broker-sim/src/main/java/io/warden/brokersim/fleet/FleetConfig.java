package io.warden.brokersim.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * A fleet's settings.
 *
 * @param ensemble the ensemble's connect string, without chroot ("h1:p1,h2:p2")
 * @param chroot the path the fleet lives under ("/kafka"), or "" for the root; each scenario run
 *     uses its own, so runs against one ensemble do not see each other
 * @param seed seeds replica assignment and topic ids; printed so a run can be replayed
 * @param relayed each broker reaches the ensemble through its own {@link FaultyLink}, so it can
 *     be crashed (its session left to expire), hung or paused. Without (the scale run: a
 *     thousand relays would be five thousand threads) brokers connect directly, a kill closes
 *     the session — the ensemble drops its ephemerals at once instead of after the timeout —
 *     and hanging or pausing a broker is refused.
 */
public record FleetConfig(String ensemble, String chroot, int brokers, Duration sessionTimeout,
    long isrCheckIntervalMs, long isrQuietMs, long isrMaxDelayMs, long seed, boolean relayed) {
  public FleetConfig {
    Objects.requireNonNull(ensemble, "ensemble");
    Objects.requireNonNull(chroot, "chroot");
    if (!chroot.isEmpty() && (!chroot.startsWith("/") || chroot.endsWith("/"))) {
      throw new IllegalArgumentException("chroot must look like /a/b, was '" + chroot + "'");
    }
    if (brokers < 1) {
      throw new IllegalArgumentException("a fleet needs at least 1 broker, was " + brokers);
    }
  }

  /** Kafka's ISR notification timings scaled down 10x, as tests and demos use them. */
  public static FleetConfig fast(String ensemble, String chroot, int brokers,
      Duration sessionTimeout, long seed) {
    return new FleetConfig(ensemble, chroot, brokers, sessionTimeout, 250, 500, 6_000, seed, true);
  }

  /** The same fleet with brokers connected straight to the ensemble (see {@code relayed}). */
  public FleetConfig direct() {
    return new FleetConfig(ensemble, chroot, brokers, sessionTimeout, isrCheckIntervalMs, isrQuietMs,
        isrMaxDelayMs, seed, false);
  }
}
