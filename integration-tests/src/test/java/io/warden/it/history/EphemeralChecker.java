package io.warden.it.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ephemerals follow their session: once a session is dead (its client vanished at
 * {@code diedAtNanos}), its nodes are gone within the session timeout plus a bound; while a
 * session lives, its acknowledged nodes never vanish. Observations are reads after sync, so
 * "present" means present at some instant inside the read's interval.
 */
public final class EphemeralChecker {
  /** A session and when its client vanished ({@link Long#MAX_VALUE} while it lives). */
  public record Session(long id, long diedAtNanos, long timeoutNanos) {
    public boolean alive(long atNanos) {
      return atNanos < diedAtNanos;
    }

    public boolean died() {
      return diedAtNanos != Long.MAX_VALUE;
    }
  }

  /** An acknowledged ephemeral create. */
  public record Node(String path, long owner, long ackedAtNanos) {
  }

  /** The ephemerals present as one read after sync saw them. */
  public record Observation(long invokeNanos, long completeNanos, Set<String> present) {
  }

  private EphemeralChecker() {
  }

  public static List<Anomaly> check(Map<Long, Session> sessions, List<Node> nodes, List<Observation> observations,
      long boundNanos) {
    List<Anomaly> out = new ArrayList<>();
    for (Node n : nodes) {
      Session s = sessions.get(n.owner());
      for (Observation o : observations) {
        boolean present = o.present().contains(n.path());
        if (present && s.died() && o.invokeNanos() > s.diedAtNanos() + s.timeoutNanos() + boundNanos) {
          out.add(new Anomaly(Anomaly.Kind.LEAKED_EPHEMERAL, n + " of a session dead since " + s.diedAtNanos()
              + " is present at " + o.invokeNanos() + " (timeout " + s.timeoutNanos() + " ns + bound " + boundNanos
              + " ns)"));
          break;
        }
        if (!present && o.invokeNanos() > n.ackedAtNanos() && s.alive(o.completeNanos())) {
          out.add(new Anomaly(Anomaly.Kind.LOST_EPHEMERAL, n + " of a live session is missing at " + o.invokeNanos()));
          break;
        }
      }
    }
    return out;
  }
}
