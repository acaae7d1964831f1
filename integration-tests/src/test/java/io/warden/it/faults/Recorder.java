package io.warden.it.faults;

import io.warden.it.history.EphemeralChecker;
import io.warden.it.history.Op;
import io.warden.it.history.WatchChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread-safe collection of one run's history, written by every worker as it goes. */
final class Recorder {
  final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
  final Map<Long, EphemeralChecker.Session> sessions = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<EphemeralChecker.Node> ephemerals = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<EphemeralChecker.Observation> observations = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<WatchChecker.Record> watches = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();

  void op(Op op) {
    ops.add(op);
    count.incrementAndGet();
  }

  void observation(EphemeralChecker.Observation o) {
    observations.add(o);
    count.incrementAndGet();
  }

  /** Operations and observations recorded so far. */
  int count() {
    return count.get();
  }

  List<Op> opsSnapshot() {
    return new ArrayList<>(ops);
  }
}
