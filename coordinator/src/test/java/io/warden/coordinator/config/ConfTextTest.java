package io.warden.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfTextTest {
  @TempDir
  Path dir;

  @Test
  void standaloneLooksLikeZooKeepersConf() {
    WardenConfig c = Cfg.parse(dir, "tickTime=2000\nclientPort=2181").config();

    assertThat(c.toConfText()).isEqualTo("""
        clientPort=2181
        secureClientPort=-1
        dataDir=%1$s
        dataLogDir=%1$s
        tickTime=2000
        maxClientCnxns=60
        minSessionTimeout=4000
        maxSessionTimeout=40000
        clientPortListenBacklog=-1
        serverId=1
        """.formatted(dir));
  }

  @Test
  void directorySizesGoWhereZooKeeperPutsThem() {
    WardenConfig c = Cfg.parse(dir, "").config();

    assertThat(c.toConfText(4096)).contains(
        "dataDir=" + dir + "\ndataDirSize=4096\ndataLogDir=" + dir + "\ndataLogSize=4096\n");
  }

  @Test
  void anEnsembleAddsItsQuorumSettingsAndMembership() throws Exception {
    Files.writeString(dir.resolve("myid"), "2");
    WardenConfig c = Cfg.parse(dir, """
        initLimit=10
        syncLimit=5
        server.1=10.0.0.1:2888:3888
        server.2=[2001:db8::2]:2889:3889;2182
        server.3=10.0.0.3:2888:3888
        server.4=10.0.0.4:2888:3888:observer
        """).config();

    assertThat(c.toConfText()).endsWith("""
        clientPortListenBacklog=-1
        serverId=2
        initLimit=10
        syncLimit=5
        electionPort=3889
        quorumPort=2889
        peerType=0
        membership:\s
        server.1=10.0.0.1:2888:3888:participant
        server.2=[2001:db8::2]:2889:3889:participant;0.0.0.0:2182
        server.3=10.0.0.3:2888:3888:participant
        server.4=10.0.0.4:2888:3888:observer
        version=0
        """);
    assertThat(c.toConfText()).startsWith("clientPort=2182\n");
  }
}
