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
final class ProcessEnsemble implements AutoCloseable {
  private final Map<Integer, NodeProcess> nodes = new LinkedHashMap<>();

  private ProcessEnsemble() {
  }

  static ProcessEnsemble create(Path root, int size) {
    ProcessEnsemble e = new ProcessEnsemble();
    List<Integer> ports = freePorts(3 * size);
    StringBuilder servers = new StringBuilder();
    for (int id = 1; id <= size; id++) {
      int quorum = ports.get(3 * (id - 1));
      int election = ports.get(3 * (id - 1) + 1);
      int client = ports.get(3 * (id - 1) + 2);
      servers.append("server.").append(id).append("=127.0.0.1:").append(quorum).append(':').append(election)
          .append(":participant;127.0.0.1:").append(client).append('\n');
    }
    for (int id = 1; id <= size; id++) {
      Path dir = root.resolve("server-" + id);
      int client = ports.get(3 * (id - 1) + 2);
      try {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data").resolve("myid"), id + "\n");
        Files.writeString(dir.resolve("zoo.cfg"), String.join("\n",
            "tickTime=2000",
            "initLimit=10",
            "syncLimit=5",
            "dataDir=" + dir.resolve("data"),
            "clientPortAddress=127.0.0.1",
            "clientPort=" + client,
            "admin.enableServer=false",
            "4lw.commands.whitelist=*",
            "standaloneEnabled=false",
            servers.toString()));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      e.nodes.put(id, new NodeProcess(id, dir.resolve("zoo.cfg"), dir.resolve("server.log"), client));
    }
    return e;
  }

  void startAll() {
    nodes.values().forEach(NodeProcess::start);
  }

  NodeProcess node(int id) {
    return nodes.get(id);
  }

  List<Integer> ids() {
    return List.copyOf(nodes.keySet());
  }

  String connectString() {
    return nodes.values().stream().map(n -> "127.0.0.1:" + n.clientPort()).collect(Collectors.joining(","));
  }

  /** Waits until every live node serves and exactly one leads; returns the leader's id. */
  int awaitStable(Duration timeout) {
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
  String describe() {
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
