package io.warden.it.client;

import io.warden.client.testing.TestServer;
import io.warden.client.testing.TestServerProvider;
import io.warden.coordinator.server.TestEnsemble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs the client's shared suite against a 3-node Warden ensemble in this JVM (ServiceLoader
 * finds this class through META-INF/services). Clients get all three addresses.
 */
public final class WardenEnsembleProvider implements TestServerProvider {
  private static final Duration STABLE = Duration.ofSeconds(30);

  @Override
  public TestServer start() throws IOException {
    Path dir = Files.createTempDirectory("warden-suite-");
    TestEnsemble ensemble = TestEnsemble.start(dir, 3, 0);
    ensemble.awaitStable(STABLE);
    return new EnsembleServer(dir, ensemble);
  }

  private record EnsembleServer(Path dir, TestEnsemble ensemble) implements TestServer {
    @Override
    public String connectString() {
      return ensemble.fullConnectString();
    }

    @Override
    public String description() {
      return "Warden ensemble of 3 at " + connectString();
    }

    @Override
    public void stop() {
      for (int id : ensemble.runningIds()) {
        ensemble.stopServer(id);
      }
    }

    @Override
    public void restart() {
      for (int id = 1; id <= 3; id++) {
        ensemble.startServer(id);
      }
      ensemble.awaitStable(STABLE);
    }

    @Override
    public boolean canExpireSessions() {
      return true;
    }

    /** The leader expires it through the log, as its own timeout would. */
    @Override
    public void expireSession(long sessionId) {
      int leader = ensemble.awaitStable(STABLE);
      boolean proposed = ensemble.server(leader).runtime()
          .query(loop -> loop.expireSessionNow(sessionId)).join();
      if (!proposed) {
        throw new IllegalStateException("server " + leader + " did not expire session 0x"
            + Long.toHexString(sessionId) + " (not a confirmed leader, or no such session)");
      }
    }

    @Override
    public void close() {
      try {
        ensemble.close();
      } finally {
        deleteTree(dir);
      }
    }

    private static void deleteTree(Path root) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + root, e);
      }
    }
  }
}
