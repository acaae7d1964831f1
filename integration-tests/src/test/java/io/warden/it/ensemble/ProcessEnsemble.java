package io.warden.it.ensemble;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Warden ensemble of real processes on loopback, configured with ordinary zoo.cfg files and
 * myid files, as an operator would. The ports are picked free by binding port 0 and releasing
 * it just before the configs are written: the server.N lines must name every peer port up
 * front, so this is the one place where ports cannot be bound to 0 by their owner.
 */
public final class ProcessEnsemble implements AutoCloseable {
  /**
   * Where node {@code from} finds node {@code to}'s peer port: the loopback address its own hosts
   * file gives {@code to}'s name. The server.N lines — which every member must list identically
   * (they are part of the handshake's ensemble fingerprint) — name hosts, and each node resolves
   * them through its own hosts file ({@code -Djdk.net.hosts.file}, with Vert.x told to use the
   * JDK resolver), so a test can put a proxy on every directed peer link without the nodes
   * disagreeing about the ensemble.
   */
  @FunctionalInterface
  public interface PeerRoutes {
    String addressFor(int from, int to);
  }

  private final Map<Integer, NodeProcess> nodes = new LinkedHashMap<>();
  private final Map<Integer, Integer> peerPorts = new LinkedHashMap<>();

  private ProcessEnsemble() {
  }

  static ProcessEnsemble create(Path root, int size) {
    return create(root, size, Map.of(), null);
  }

  /**
   * @param settings zoo.cfg keys that replace or add to the defaults below
   * @param routes null: peers are addressed as 127.0.0.1; otherwise by name, routed per node
   */
  public static ProcessEnsemble create(Path root, int size, Map<String, String> settings, PeerRoutes routes) {
    ProcessEnsemble e = new ProcessEnsemble();
    List<Integer> ports = freePorts(3 * size);
    StringBuilder servers = new StringBuilder();
    for (int id = 1; id <= size; id++) {
      int quorum = ports.get(3 * (id - 1));
      int election = ports.get(3 * (id - 1) + 1);
      int client = ports.get(3 * (id - 1) + 2);
      e.peerPorts.put(id, quorum);
      servers.append("server.").append(id).append('=').append(routes == null ? "127.0.0.1" : hostName(id))
          .append(':').append(quorum).append(':').append(election)
          .append(":participant;127.0.0.1:").append(client).append('\n');
    }
    for (int id = 1; id <= size; id++) {
      Path dir = root.resolve("server-" + id);
      int client = ports.get(3 * (id - 1) + 2);
      Map<String, String> cfg = new LinkedHashMap<>();
      cfg.put("tickTime", "2000");
      cfg.put("initLimit", "10");
      cfg.put("syncLimit", "5");
      cfg.put("dataDir", dir.resolve("data").toString());
      cfg.put("clientPortAddress", "127.0.0.1");
      cfg.put("clientPort", Integer.toString(client));
      cfg.put("admin.enableServer", "false");
      cfg.put("4lw.commands.whitelist", "*");
      cfg.put("standaloneEnabled", "false");
      cfg.putAll(settings);
      List<String> jvmOptions = new ArrayList<>();
      try {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data").resolve("myid"), id + "\n");
        Files.writeString(dir.resolve("zoo.cfg"), cfg.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
            .collect(Collectors.joining("\n", "", "\n")) + servers);
        if (routes != null) {
          StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
          for (int peer = 1; peer <= size; peer++) {
            hosts.append(peer == id ? "127.0.0.1" : routes.addressFor(id, peer)).append(' ').append(hostName(peer))
                .append('\n');
          }
          Files.writeString(dir.resolve("hosts"), hosts);
          jvmOptions.add("-Djdk.net.hosts.file=" + dir.resolve("hosts"));
          jvmOptions.add("-Dvertx.disableDnsResolver=true");
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      e.nodes.put(id, new NodeProcess(id, dir.resolve("zoo.cfg"), dir.resolve("server.log"), client, jvmOptions));
    }
    return e;
  }

  private static String hostName(int id) {
    return "warden-" + id;
  }

  /** The port node {@code id} listens on for its peers (on 127.0.0.1). */
  public int peerPort(int id) {
    return peerPorts.get(id);
  }

  public void startAll() {
    nodes.values().forEach(NodeProcess::start);
  }

  public NodeProcess node(int id) {
    return nodes.get(id);
  }

  public List<Integer> ids() {
    return List.copyOf(nodes.keySet());
  }

  public String connectString() {
    return nodes.values().stream().map(n -> "127.0.0.1:" + n.clientPort()).collect(Collectors.joining(","));
  }

  /** Waits until every live node serves and exactly one leads; returns the leader's id. */
  public int awaitStable(Duration timeout) {
    int[] leader = new int[1];
    try {
      await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
        int leaders = 0;
        for (NodeProcess n : nodes.values()) {
          if (!n.isAlive()) {
            continue;
          }
          String mode = n.mode();
          if (mode.isEmpty()) {
            return false;
          }
          if (mode.equals("leader")) {
            leaders++;
            leader[0] = n.id();
          }
        }
        return leaders == 1;
      });
    } catch (RuntimeException ex) {
      throw new IllegalStateException("the ensemble did not settle within " + timeout + ":\n" + describe(), ex);
    }
    return leader[0];
  }

  /** Each node's mode and the tail of its log, for failure messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (NodeProcess n : nodes.values()) {
      sb.append("--- server ").append(n.id()).append(n.isAlive() ? " (alive, mode '" + n.mode() + "')" : " (dead)")
          .append('\n').append(n.logTail(15)).append('\n');
    }
    return sb.toString();
  }

  @Override
  public void close() {
    nodes.values().forEach(NodeProcess::kill);
  }

  private static List<Integer> freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot find free ports", ex);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    }
  }
}
