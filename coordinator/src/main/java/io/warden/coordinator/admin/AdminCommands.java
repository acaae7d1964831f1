package io.warden.coordinator.admin;

import io.warden.coordinator.node.ConnectionInfo;
import io.warden.coordinator.node.NodeRuntime;
import io.warden.coordinator.node.NodeStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The administrative commands — ruok, isro, srvr, stat, mntr, conf, cons, wchs, envi — as
 * ZooKeeper's four-letter-word text (client port) and as JSON-ready maps (HTTP
 * {@code /commands/<name>}). Data owned by the core thread is fetched with a query to it, so
 * nothing here blocks or reads another thread's state directly.
 */
public final class AdminCommands {
  public static final Set<String> NAMES = Set.of("ruok", "isro", "srvr", "stat", "mntr", "conf", "cons", "wchs", "envi");
  static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests\n";

  private final NodeRuntime runtime;
  private final Supplier<String> conf;
  private final String hostName;

  /**
   * @param conf the effective configuration as {@code conf} prints it ({@code key=value} lines)
   */
  public AdminCommands(NodeRuntime runtime, Supplier<String> conf) {
    this.runtime = runtime;
    this.conf = conf;
    this.hostName = localHostName(); // resolved once here: envi runs on an event loop
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (Exception e) {
      return "<NA>";
    }
  }

  /** The text a four-letter word prints; fails for unknown names. */
  public CompletableFuture<String> text(String name) {
    if (name.equals("ruok")) {
      return CompletableFuture.completedFuture("imok");
    }
    if (name.equals("isro")) {
      return CompletableFuture.completedFuture("rw");
    }
    if (name.equals("envi")) {
      return CompletableFuture.completedFuture(envi());
    }
    if (name.equals("conf")) {
      return CompletableFuture.completedFuture(conf.get());
    }
    if (!runtime.isServing()) {
      return CompletableFuture.completedFuture(NOT_SERVING);
    }
    return switch (name) {
      case "srvr" -> snapshot().thenApply(s -> srvr(s.status, null));
      case "stat" -> snapshot().thenApply(s -> srvr(s.status, s.connections));
      case "mntr" -> snapshot().thenApply(s -> mntr(s.status));
      case "cons" -> snapshot().thenApply(s -> cons(s.connections));
      case "wchs" -> snapshot().thenApply(s -> s.status.watchingConnections() + " connections watching "
          + s.status.watchedPaths() + " paths\nTotal watches:" + s.status.watchCount() + "\n");
      default -> CompletableFuture.failedFuture(new IllegalArgumentException("unknown command: " + name));
    };
  }

  /** The same information as structured data for the HTTP admin server. */
  public CompletableFuture<Map<String, Object>> json(String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("command", name);
    switch (name) {
      case "ruok" -> {
        out.put("error", null);
        return CompletableFuture.completedFuture(out);
      }
      case "isro" -> {
        out.put("read_only", false);
        return CompletableFuture.completedFuture(out);
      }
      case "conf" -> {
        for (String line : conf.get().split("\n")) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            out.put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
        return CompletableFuture.completedFuture(out);
      }
      case "envi" -> {
        out.putAll(environment());
        return CompletableFuture.completedFuture(out);
      }
      default -> {
      }
    }
    if (!NAMES.contains(name)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("unknown command: " + name));
    }
    if (!runtime.isServing()) {
      out.put("error", NOT_SERVING.trim());
      return CompletableFuture.completedFuture(out);
    }
    return snapshot().thenApply(s -> {
      switch (name) {
        case "srvr", "stat", "mntr" -> {
          out.putAll(mntrMap(s.status));
          if (name.equals("stat")) {
            out.put("connections", s.connections);
          }
        }
        case "cons" -> out.put("connections", s.connections);
        case "wchs" -> {
          out.put("num_connections", s.status.watchingConnections());
          out.put("num_paths", s.status.watchedPaths());
          out.put("num_total_watches", s.status.watchCount());
        }
        default -> throw new IllegalStateException(name);
      }
      return out;
    });
  }

  private record Snapshot(NodeStatus status, List<ConnectionInfo> connections) {
  }

  private CompletableFuture<Snapshot> snapshot() {
    return runtime.query(loop -> new Snapshot(loop.status(), loop.connectionInfos()));
  }

  private static String srvr(NodeStatus s, List<ConnectionInfo> clients) {
    StringBuilder sb = new StringBuilder();
    sb.append("Zookeeper version: ").append(WardenVersion.zookeeperStyle()).append('\n');
    if (clients != null) {
      sb.append("Clients:\n");
      for (ConnectionInfo c : clients) {
        sb.append(" /").append(c.remote()).append("[1](queued=").append(c.queued())
            .append(",recved=").append(c.received()).append(",sent=").append(c.sent()).append(")\n");
      }
      sb.append('\n');
    }
    sb.append("Latency min/avg/max: ").append(s.minLatencyMs()).append('/').append(s.avgLatencyMs())
        .append('/').append(s.maxLatencyMs()).append('\n');
    sb.append("Received: ").append(s.packetsReceived()).append('\n');
    sb.append("Sent: ").append(s.packetsSent()).append('\n');
    sb.append("Connections: ").append(s.connectionCount()).append('\n');
    sb.append("Outstanding: ").append(s.outstandingRequests()).append('\n');
    sb.append("Zxid: 0x").append(Long.toHexString(s.appliedIndex())).append('\n');
    sb.append("Mode: ").append(s.mode()).append('\n');
    sb.append("Node count: ").append(s.znodeCount()).append('\n');
    // Warden's additions, after ZooKeeper's lines so scripts that parse those keep working
    sb.append("Term: ").append(s.term()).append('\n');
    sb.append("Leader: ").append(s.leaderId()).append('\n');
    sb.append("Commit index: ").append(s.commitIndex()).append('\n');
    sb.append("Applied index: ").append(s.appliedIndex()).append('\n');
    return sb.toString();
  }

  private static Map<String, Object> mntrMap(NodeStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", WardenVersion.zookeeperStyle());
    m.put("server_state", s.mode());
    m.put("avg_latency", s.avgLatencyMs());
    m.put("max_latency", s.maxLatencyMs());
    m.put("min_latency", s.minLatencyMs());
    m.put("packets_received", s.packetsReceived());
    m.put("packets_sent", s.packetsSent());
    m.put("num_alive_connections", s.connectionCount());
    m.put("outstanding_requests", s.outstandingRequests());
    m.put("znode_count", s.znodeCount());
    m.put("watch_count", s.watchCount());
    m.put("ephemerals_count", s.ephemeralCount());
    m.put("approximate_data_size", s.approximateDataBytes());
    m.put("global_sessions", s.sessionCount());
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      m.put("open_file_descriptor_count", unix.getOpenFileDescriptorCount());
      m.put("max_file_descriptor_count", unix.getMaxFileDescriptorCount());
    }
    if ("leader".equals(s.mode())) {
      m.put("followers", s.replicationLag().size()); // every member the leader replicates to
    }
    m.put("warden_term", s.term());
    m.put("warden_leader_id", s.leaderId());
    m.put("warden_elections", s.elections());
    m.put("warden_leader_changes", s.leaderChanges());
    m.put("warden_commit_index", s.commitIndex());
    m.put("warden_applied_index", s.appliedIndex());
    m.put("warden_snapshot_index", s.lastSnapshotIndex());
    m.put("warden_log_retained_entries", s.retainedLogEntries());
    m.put("warden_tree_digest", Long.toHexString(s.treeDigest()));
    return m;
  }

  private static String mntr(NodeStatus s) {
    StringBuilder sb = new StringBuilder();
    mntrMap(s).forEach((k, v) -> sb.append(k.startsWith("warden_") ? k : "zk_" + k).append('\t').append(v).append('\n'));
    return sb.toString();
  }

  private static String cons(List<ConnectionInfo> conns) {
    StringBuilder sb = new StringBuilder();
    for (ConnectionInfo c : conns) {
      sb.append(" /").append(c.remote()).append("[1](queued=").append(c.queued())
          .append(",recved=").append(c.received()).append(",sent=").append(c.sent())
          .append(",sid=0x").append(Long.toHexString(c.sessionId()))
          .append(",lop=").append(c.lastOp())
          .append(",est=").append(c.establishedWallMs())
          .append(",to=").append(c.timeoutMs())
          .append(",lcxid=0x").append(Integer.toHexString(c.lastCxid()))
          .append(",lzxid=0x").append(Long.toHexString(c.lastZxid()))
          .append(",lresp=").append(c.lastResponseWallMs())
          .append(",llat=").append(c.lastLatencyMs())
          .append(",minlat=").append(c.minLatencyMs())
          .append(",avglat=").append(c.avgLatencyMs())
          .append(",maxlat=").append(c.maxLatencyMs())
          .append(")\n");
    }
    sb.append('\n');
    return sb.toString();
  }

  private String envi() {
    StringBuilder sb = new StringBuilder("Environment:\n");
    environment().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  private Map<String, Object> environment() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zookeeper.version", WardenVersion.zookeeperStyle());
    m.put("host.name", hostName);
    for (String p : List.of("java.version", "java.vendor", "java.home", "java.class.path", "java.library.path",
        "java.io.tmpdir", "os.name", "os.arch", "os.version", "user.name", "user.home", "user.dir")) {
      m.put(p, System.getProperty(p, "<NA>"));
    }
    Runtime rt = Runtime.getRuntime();
    m.put("os.memory.free", rt.freeMemory() / (1024 * 1024) + "MB");
    m.put("os.memory.max", rt.maxMemory() / (1024 * 1024) + "MB");
    m.put("os.memory.total", rt.totalMemory() / (1024 * 1024) + "MB");
    return m;
  }
}
