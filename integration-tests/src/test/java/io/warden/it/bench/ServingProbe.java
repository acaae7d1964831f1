package io.warden.it.bench;

import io.warden.coordinator.badinput.WireClient;
import io.warden.protocol.ConnectResponse;
import io.warden.protocol.ErrorCode;
import io.warden.protocol.ExistsRequest;
import io.warden.protocol.OpCode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks one server, over the wire protocol itself, whether it serves a path: a session, then
 * {@code exists}. Each attempt is a fresh connection, so a restart is seen within one poll
 * interval of the server becoming ready. (A client library would instead wait out its reconnect
 * backoff — up to two seconds with ours and ZooKeeper's after a refused attempt — which is the
 * client's delay, not the server's restart time.) Works alike against ZooKeeper and Warden.
 */
final class ServingProbe {
  private static final Duration POLL = Duration.ofMillis(20);
  /** A server that accepted the connection may be slow right after a restart: give it time. */
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
  private static final int SESSION_TIMEOUT_MS = 30_000;

  private ServingProbe() {
  }

  /** Polls until {@code port} on loopback creates a session and finds {@code path}. */
  static void awaitServes(int port, String path, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "never tried";
    while (true) {
      try {
        if (serves(port, path)) {
          return;
        }
        last = path + " not there yet";
      } catch (UncheckedIOException | IllegalStateException e) {
        // refused, closed (not serving yet) or reset: try again
        last = e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("127.0.0.1:" + port + " did not serve " + path + " within " + timeout
            + " (last attempt: " + last + ")");
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** One attempt: true if a session was created and {@code path} exists. */
  private static boolean serves(int port, String path) {
    try (WireClient c = WireClient.connect(port)) {
      c.setReadTimeout(REPLY_TIMEOUT);
      c.sendConnect(0, SESSION_TIMEOUT_MS, 0, new byte[WireClient.PASSWORD_BYTES]);
      ConnectResponse session = c.readConnectResponse();
      if (session.sessionId() == 0 || session.timeoutMs() <= 0) {
        return false;
      }
      WireClient.Reply reply = c.call(1, OpCode.EXISTS, new ExistsRequest(path, false));
      // end the session now instead of leaving it to expire; the answer does not matter
      c.send(2, OpCode.CLOSE_SESSION, null);
      return reply.err() == ErrorCode.OK.code();
    }
  }
}
