package io.warden.coordinator.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every live session, identical on every replica (it changes only when committed entries are
 * applied). Owned by the core thread.
 */
public final class SessionTable {
  private final Map<Long, Session> sessions = new HashMap<>();

  public void add(Session s) {
    Session previous = sessions.putIfAbsent(s.sessionId(), s);
    if (previous != null) {
      throw new IllegalStateException("session id reused: 0x" + Long.toHexString(s.sessionId()));
    }
  }

  public Session remove(long sessionId) {
    return sessions.remove(sessionId);
  }

  public Session get(long sessionId) {
    return sessions.get(sessionId);
  }

  public boolean contains(long sessionId) {
    return sessions.containsKey(sessionId);
  }

  public int size() {
    return sessions.size();
  }

  public Collection<Session> all() {
    return sessions.values();
  }

  /** A copy in id order: deterministic for snapshots and digests. */
  public List<Session> sortedCopy() {
    List<Session> out = new ArrayList<>(sessions.values());
    out.sort(Comparator.comparingLong(Session::sessionId));
    return out;
  }

  public void clear() {
    sessions.clear();
  }
}
