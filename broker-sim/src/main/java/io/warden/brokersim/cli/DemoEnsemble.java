package io.warden.brokersim.cli;

import io.warden.coordinator.config.FourLetterWord;
import io.warden.coordinator.config.HostPort;
import io.warden.coordinator.config.ServerRole;
import io.warden.coordinator.config.ServerSpec;
import io.warden.coordinator.config.WardenConfig;
import io.warden.coordinator.net.PeerEndpoint;
import io.warden.coordinator.node.NodeStatus;
import io.warden.coordinator.server.WardenServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The demo's embedded Warden ensemble: N real servers on loopback, every port bound to 0. The
 * peer ports they got are published in a map the members dial through, because the server.N
 * lines cannot name ports that are only known after binding. Only the demo launcher may embed
 * coordinator nodes (DESIGN.md §2).
 */
final class DemoEnsemble implements AutoCloseable {
  private final Path root;
  private final List<ServerSpec> specs = new ArrayList<>();
  private final Map<Integer, PeerEndpoint> directory = new ConcurrentHashMap<>();
  private final Map<Integer, WardenServer> running = new TreeMap<>();
  private final Map<Integer, Integer> clientPorts = new TreeMap<>();

  DemoEnsemble(Path root, int members) {
    this.root = root;
    for (int id = 1; id <= members; id++) {
      specs.add(new ServerSpec(id, "127.0.0.1", 0, 0, ServerRole.PARTICIPANT,
          Optional.of(new HostPort("127.0.0.1", 0))));
    }
  }

  /** Starts every member (together: a lone member of an ensemble does not serve). */
  void startAll() {
    specs.forEach(s -> start(s.id()));
  }

  synchronized void start(int id) {
    if (running.containsKey(id)) {
      throw new IllegalStateException("coordinator " + id + " is running");
    }
    WardenConfig config = WardenConfig.builder()
        .dataDir(root.resolve("server-" + id))
        .clientPortAddress("127.0.0.1").clientPort(clientPorts.getOrDefault(id, 0))
        .adminServerAddress("127.0.0.1").adminServerPort(0)
        .tickTimeMs(500).minSessionTimeoutMs(1_000).maxSessionTimeoutMs(10_000)
        .initLimitTicks(10).syncLimitTicks(5)
        .fourLetterWords(EnumSet.allOf(FourLetterWord.class))
        .servers(specs).serverId(id).standaloneEnabled(false)
        .build();
    WardenServer s = WardenServer.start(config, UnaryOperator.identity(), x -> x, directory::get);
    directory.put(id, new PeerEndpoint(id, "127.0.0.1", s.peerPort(), false));
    clientPorts.put(id, s.clientPort()); // a restarted member comes back where clients look
    running.put(id, s);
  }

  synchronized void stop(int id) {
    WardenServer s = running.remove(id);
    if (s == null) {
      throw new IllegalStateException("coordinator " + id + " is not running");
    }
    directory.remove(id);
    s.close();
  }

  /** Every member's client address, running or not (a restarted member keeps its port). */
  synchronized String connectString() {
    return new TreeMap<>(clientPorts).values().stream().map(p -> "127.0.0.1:" + p)
        .collect(Collectors.joining(","));
  }

  /** Every member's id, running or not. */
  List<Integer> memberIds() {
    return specs.stream().map(ServerSpec::id).toList();
  }

  synchronized List<Integer> runningIds() {
    return List.copyOf(running.keySet());
  }

  /** Each running member's status (mode, leader, term, commit index). */
  synchronized Map<Integer, NodeStatus> status() {
    Map<Integer, NodeStatus> out = new TreeMap<>();
    running.forEach((id, s) -> out.put(id, s.runtime().status()));
    return out;
  }

  @Override
  public synchronized void close() {
    for (int id : List.copyOf(running.keySet())) {
      stop(id);
    }
  }
}
