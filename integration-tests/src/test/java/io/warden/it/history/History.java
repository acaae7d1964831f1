package io.warden.it.history;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one run recorded, for {@link Checkers}: the operations of every workload, the final
 * state read after the faults healed, the ephemeral sessions and observations, the watch records.
 * A workload a run did not use leaves its parts empty.
 */
public record History(
    List<Op> ops,
    Set<String> finalSet,
    long finalCounter,
    List<Long> finalQueue,
    Map<Long, EphemeralChecker.Session> sessions,
    List<EphemeralChecker.Node> ephemerals,
    List<EphemeralChecker.Observation> observations,
    long ephemeralBoundNanos,
    List<WatchChecker.Record> watches,
    List<WatchChecker.Change> changes) {

  public History {
    ops = List.copyOf(ops);
    finalSet = Set.copyOf(finalSet);
    finalQueue = List.copyOf(finalQueue);
    sessions = Map.copyOf(sessions);
    ephemerals = List.copyOf(ephemerals);
    observations = List.copyOf(observations);
    watches = List.copyOf(watches);
    changes = List.copyOf(changes);
  }
}
