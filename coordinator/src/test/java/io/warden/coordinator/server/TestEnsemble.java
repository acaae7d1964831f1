package io.warden.coordinator.server;

import static org.awaitility.Awaitility.await;

import io.warden.coordinator.config.HostPort;
import io.warden.coordinator.config.ServerRole;
import io.warden.coordinator.config.ServerSpec;
import io.warden.coordinator.config.WardenConfig;
import io.warden.coordinator.net.PeerEndpoint;
import io.warden.coordinator.node.NodeStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * An in-JVM ensemble of real Warden servers on loopback: every port is bound to 0, and the peer
 * ports the servers got are published in a directory the others dial through (the server.N lines
 * all say port 0, so every member computes the same ensemble fingerprint).
 */
public final class TestEnsemble implements AutoCloseable {
  private final Path root;
  private final List<ServerSpec> specs;
  private final UnaryOperator<WardenConfig.Builder> adjust;
  private final Map<Integer, PeerEndpoint> directory = new ConcurrentHashMap<>();
  private final Map<Integer, WardenServer> running = new TreeMap<>();
  /** A restarted member binds the client port it had, so clients find it where they left it. */
  private final Map<Integer, Integer> clientPorts = new ConcurrentHashMap<>();

  private TestEnsemble(Path root, int voters, int observers, UnaryOperator<WardenConfig.Builder> adjust) {
    this.root = root;
    this.adjust = adjust;
    List<ServerSpec> s = new ArrayList<>();
    for (int id = 1; id <= voters + observers; id++) {
      s.add(new ServerSpec(id, "127.0.0.1", 0, 0, id <= voters ? ServerRole.PARTICIPANT : ServerRole.OBSERVER,
          Optional.of(new HostPort("127.0.0.1", 0))));
    }
    this.specs = List.copyOf(s);
  }

  /** Starts every member (in parallel: a lone member of an ensemble does not serve). */
  public static TestEnsemble start(Path root, int voters, int observers) {
    return start(root, voters, observers, UnaryOperator.identity());
  }

  public static TestEnsemble start(Path root, int voters, int observers, UnaryOperator<WardenConfig.Builder> adjust) {
    TestEnsemble e = new TestEnsemble(root, voters, observers, adjust);
    for (ServerSpec s : e.specs) {
      e.startServer(s.id());
    }
    return e;
  }

  public WardenConfig config(int id) {
    return adjust.apply(TestServers.config(root.resolve("server-" + id))
        .clientPort(clientPorts.getOrDefault(id, 0))
        .servers(specs)
        .serverId(id)
        .standaloneEnabled(false)
        .fourLetterWords(java.util.EnumSet.allOf(io.warden.coordinator.config.FourLetterWord.class))
        .initLimitTicks(10)
        .syncLimitTicks(5)).build();
  }

  /** Starts (or restarts, on its old data) member {@code id}; returns once its ports are open. */
  public synchronized WardenServer startServer(int id) {
    if (running.containsKey(id)) {
      throw new IllegalStateException("server " + id + " is running");
    }
    WardenServer server = WardenServer.start(config(id), UnaryOperator.identity(), s -> s, directory::get);
    directory.put(id, new PeerEndpoint(id, "127.0.0.1", server.peerPort(), id > voters()));
    clientPorts.put(id, server.clientPort());
    running.put(id, server);
    return server;
  }

  /** Stops member {@code id} (its data stays for a restart). */
  public synchronized void stopServer(int id) {
    WardenServer s = running.remove(id);
    if (s == null) {
      throw new IllegalStateException("server " + id + " is not running");
    }
    directory.remove(id);
    s.close();
  }

  public synchronized WardenServer server(int id) {
    WardenServer s = running.get(id);
    if (s == null) {
      throw new IllegalStateException("server " + id + " is not running");
    }
    return s;
  }

  public synchronized List<Integer> runningIds() {
    return List.copyOf(running.keySet());
  }

  public int voters() {
    return (int) specs.stream().filter(s -> s.role() == ServerRole.PARTICIPANT).count();
  }

  /** Every running member's client address. */
  public synchronized String connectString() {
    return running.values().stream().map(WardenServer::connectString).collect(Collectors.joining(","));
  }

  /** Every member's client address, running or not (a stopped member comes back on its port). */
  public String fullConnectString() {
    return clientPorts.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> "127.0.0.1:" + e.getValue()).collect(Collectors.joining(","));
  }

  public NodeStatus status(int id) {
    return server(id).runtime().status();
  }

  /** Waits until every running member serves and they agree on one leader; returns its id. */
  public int awaitStable(Duration timeout) {
    int[] leader = new int[1];
    await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> {
      List<Integer> ids = runningIds();
      int agreed = -1;
      for (int id : ids) {
        NodeStatus st = status(id);
        if (st == null || !st.serving() || st.leaderId() == 0 || (agreed != -1 && st.leaderId() != agreed)) {
          return false;
        }
        agreed = st.leaderId();
      }
      if (agreed == -1 || !ids.contains(agreed) || !"leader".equals(status(agreed).mode())) {
        return false;
      }
      leader[0] = agreed;
      return true;
    });
    return leader[0];
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    for (int id : List.copyOf(running.keySet())) {
      try {
        stopServer(id);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
