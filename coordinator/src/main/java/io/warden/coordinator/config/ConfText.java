package io.warden.coordinator.config;

import java.util.OptionalLong;

/**
 * Renders a configuration as ZooKeeper's {@code conf} four-letter word does
 * ({@code ZooKeeperServer.dumpConf}, plus {@code QuorumZooKeeperServer.dumpConf} in an ensemble),
 * so that scripts reading {@code conf} find the keys where they expect them. Differences:
 * dataDir is printed as configured (ZooKeeper appends its {@code version-2} subdirectory);
 * {@code electionAlg} is left out (Warden elects with Raft, there is no algorithm number to
 * report); secureClientPort is always -1 (no TLS port).
 */
final class ConfText {
  /** ZooKeeper's value when no secure client port is configured. */
  private static final int NO_SECURE_CLIENT_PORT = -1;

  private ConfText() {
  }

  static String render(WardenConfig c, OptionalLong dataDirSizeBytes) {
    StringBuilder sb = new StringBuilder();
    line(sb, "clientPort", c.clientPort());
    line(sb, "secureClientPort", NO_SECURE_CLIENT_PORT);
    line(sb, "dataDir", c.dataDir());
    dataDirSizeBytes.ifPresent(size -> line(sb, "dataDirSize", size));
    line(sb, "dataLogDir", c.dataDir());
    dataDirSizeBytes.ifPresent(size -> line(sb, "dataLogSize", size));
    line(sb, "tickTime", c.tickTimeMs());
    line(sb, "maxClientCnxns", c.maxClientCnxns());
    line(sb, "minSessionTimeout", c.minSessionTimeoutMs());
    line(sb, "maxSessionTimeout", c.maxSessionTimeoutMs());
    line(sb, "clientPortListenBacklog", c.clientPortListenBacklog());
    line(sb, "serverId", c.serverId());
    if (!c.isStandalone()) {
      ensemble(sb, c);
    }
    return sb.toString();
  }

  private static void ensemble(StringBuilder sb, WardenConfig c) {
    ServerSpec self = c.self().orElseThrow(
        () -> new IllegalStateException("replicated config without its own server line"));
    line(sb, "initLimit", c.initLimitTicks());
    line(sb, "syncLimit", c.syncLimitTicks());
    line(sb, "electionPort", self.electionPort());
    line(sb, "quorumPort", self.quorumPort());
    // ZooKeeper prints LearnerType.ordinal(): 0 participant, 1 observer
    line(sb, "peerType", self.role().ordinal());
    sb.append("membership: \n");
    for (ServerSpec s : c.servers()) {
      line(sb, "server." + s.id(), s.toConfigValue());
    }
    // the dynamic-configuration version; Warden has no reconfig yet, so it never moves
    line(sb, "version", 0);
  }

  private static void line(StringBuilder sb, String key, Object value) {
    sb.append(key).append('=').append(value).append('\n');
  }
}
