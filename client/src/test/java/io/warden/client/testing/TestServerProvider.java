package io.warden.client.testing;

/**
 * Supplies the {@link TestServer}s of the shared suite. Registered with
 * {@code META-INF/services/io.warden.client.testing.TestServerProvider}; when none is on the
 * classpath {@link TestServers} falls back to an embedded Apache ZooKeeper.
 */
public interface TestServerProvider {
  /** Starts a fresh, empty server (or ensemble) and returns once it accepts clients. */
  TestServer start() throws Exception;
}
