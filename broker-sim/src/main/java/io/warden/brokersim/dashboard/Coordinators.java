package io.warden.brokersim.dashboard;

import java.util.List;

/**
 * The coordinator ensemble as the dashboard sees and breaks it. Only the demo launcher, which
 * embeds its coordinators, has one; against an outside ensemble the dashboard shows none. Calls
 * may block: the dashboard makes them on its own threads, never on an event loop.
 */
public interface Coordinators {
  /** One member: mode is what the node reports ("leader", "follower", ...) or "down". */
  record Member(int id, String mode, long term, long commitIndex) {
    public static Member down(int id) {
      return new Member(id, "down", -1, -1);
    }
  }

  /** Every member, running or not, by id. */
  List<Member> members();

  /** Stops member {@code id}; IllegalStateException if it is not running. */
  void stop(int id);

  /** Starts member {@code id} again; IllegalStateException if it is running. */
  void start(int id);
}
