package io.warden.client.testing;

/**
 * A running ZooKeeper-protocol server (one node or an ensemble) that the shared client and recipe
 * suite runs against. Get one from {@link TestServers#start()}; the suite never reaches past this
 * interface, so the same test classes run against an embedded Apache ZooKeeper (client/) and
 * against embedded Warden nodes (integration-tests/, through a {@link TestServerProvider}).
 *
 * <p>What every implementation must offer:
 * <ul>
 *   <li>client addresses on 127.0.0.1 and ephemeral ports, in a connect string (several hosts
 *       allowed, no chroot);
 *   <li>session timeouts from 1 s to 10 s granted as requested (ZooKeeper's 2 to 20 ticks with a
 *       500 ms tick), 3.6+ features (persistent watches, multiRead, getEphemerals, TTL and
 *       container nodes), digest auth;
 *   <li>{@link #stop()} and {@link #restart()}: every node stops serving clients and comes back
 *       on the same addresses with its durable state, so sessions survive if the restart is
 *       quicker than their timeout.
 * </ul>
 * Optional capability: {@link #expireSession(long)} (check {@link #canExpireSessions()}); tests
 * that need it skip themselves when it is missing.
 */
public interface TestServer extends AutoCloseable {
  /** Client addresses, e.g. {@code 127.0.0.1:41234} or several comma-separated. */
  String connectString();

  /** What is running, for test output. */
  String description();

  /** Every node stops serving clients (connections drop); durable state is kept. */
  void stop() throws Exception;

  /** Serves again on the same addresses with the state {@link #stop()} kept. */
  void restart() throws Exception;

  /** Whether {@link #expireSession(long)} is supported. */
  default boolean canExpireSessions() {
    return false;
  }

  /** Expires a session now, as the server's own expiry would (optional capability). */
  default void expireSession(long sessionId) {
    throw new UnsupportedOperationException(description() + " cannot expire sessions on demand");
  }

  /** Stops everything and deletes what was written; never throws a checked exception. */
  @Override
  void close();
}
