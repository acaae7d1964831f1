package io.warden.coordinator.fsm;

import io.warden.coordinator.session.Session;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.JuteRecord;
import java.util.List;

/** What applying one entry produced, for the server that proposed it (if it is this one). */
public sealed interface Outcome {

  /** A no-op entry. */
  record Nothing() implements Outcome {
  }

  /**
   * A client write finished: {@code err} goes in the reply header; {@code body} (null for
   * header-only replies) follows it when err is OK. A multi always has err OK.
   */
  record TxnDone(ErrorCode err, JuteRecord body) implements Outcome {
  }

  record SessionCreated(Session session) implements Outcome {
  }

  /** The session ended; {@code existed} is false when it was already gone (a duplicate close). */
  record SessionClosed(long sessionId, boolean expired, boolean existed) implements Outcome {
  }

  record Reaped(List<String> paths) implements Outcome {
  }

  Outcome NOTHING = new Nothing();
}
