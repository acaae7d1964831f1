package io.warden.brokersim.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The formats of layout §1.2, checked against the document's examples. */
class LayoutTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static JsonNode tree(byte[] b) throws Exception {
    return M.readTree(b);
  }

  private static JsonNode tree(String s) throws Exception {
    return M.readTree(s);
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void partitionStateMatchesTheDocumentExample() throws Exception {
    String doc = "{\"version\":1,\"leader\":2,\"leader_epoch\":7,\"controller_epoch\":3,"
        + "\"isr\":[2,3]}";
    PartitionState s = Layout.decodePartitionState(doc.getBytes(StandardCharsets.UTF_8), "p");
    assertThat(s).isEqualTo(new PartitionState(2, 7, 3, List.of(2, 3)));
    assertThat(str(Layout.encodePartitionState(s))).isEqualTo(doc);
  }

  @Test
  void partitionStateWritesRecoveryStateOnlyWhileRecovering() throws Exception {
    PartitionState recovering = new PartitionState(1, 0, 1, List.of(1),
        PartitionState.LeaderRecoveryState.RECOVERING);
    JsonNode n = tree(Layout.encodePartitionState(recovering));
    assertThat(n.get("leader_recovery_state").asInt()).isEqualTo(1);
    assertThat(Layout.decodePartitionState(Layout.encodePartitionState(recovering), "p"))
        .isEqualTo(recovering);
  }

  @Test
  void noLeaderIsMinusOne() throws Exception {
    PartitionState s = new PartitionState(PartitionState.NO_LEADER, 4, 2, List.of(3));
    assertThat(str(Layout.encodePartitionState(s)))
        .isEqualTo("{\"version\":1,\"leader\":-1,\"leader_epoch\":4,\"controller_epoch\":2,"
            + "\"isr\":[3]}");
  }

  @Test
  void brokerRegistrationMatchesTheDocumentExample() throws Exception {
    String doc = "{\"version\":5,\"host\":\"b1.example\",\"port\":9092,"
        + "\"endpoints\":[\"PLAINTEXT://b1.example:9092\",\"REPLICATION://b1.example:9093\"],"
        + "\"listener_security_protocol_map\":{\"PLAINTEXT\":\"PLAINTEXT\",\"REPLICATION\":\"SSL\"},"
        + "\"jmx_port\":-1,\"timestamp\":\"1700000000000\",\"rack\":\"r1\","
        + "\"features\":{\"metadata.version\":{\"min_version\":1,\"max_version\":21}}}";
    BrokerRegistration b = Layout.decodeBroker(doc.getBytes(StandardCharsets.UTF_8), "/b");
    assertThat(b.host()).isEqualTo("b1.example");
    assertThat(b.port()).isEqualTo(9092);
    assertThat(b.rack()).contains("r1");
    assertThat(b.timestampMs()).isEqualTo(1_700_000_000_000L);
    assertThat(b.features()).containsEntry("metadata.version",
        new BrokerRegistration.SupportedFeature(1, 21));
    assertThat(str(Layout.encodeBroker(b))).isEqualTo(doc);
  }

  @Test
  void brokerWithoutRackOmitsTheKeyAndTimestampIsAString() throws Exception {
    JsonNode n = tree(Layout.encodeBroker(BrokerRegistration.simulated("h", 9092, 5L)));
    assertThat(n.has("rack")).isFalse();
    assertThat(n.get("timestamp").isTextual()).isTrue();
    assertThat(n.get("version").asInt()).isEqualTo(5);
    assertThat(n.get("endpoints").get(0).asText()).isEqualTo("PLAINTEXT://h:9092");
  }

  @Test
  void topicAssignmentMatchesTheDocumentExample() throws Exception {
    String doc = "{\"version\":3,\"partitions\":{\"0\":[1,2,3],\"1\":[2,3,1]},"
        + "\"adding_replicas\":{},\"removing_replicas\":{},\"topic_id\":\"abc\"}";
    TopicAssignment a = Layout.decodeTopic(doc.getBytes(StandardCharsets.UTF_8), "/t");
    assertThat(a.partitions()).containsEntry(0, List.of(1, 2, 3)).containsEntry(1, List.of(2, 3, 1));
    assertThat(a.topicId()).contains("abc");
    assertThat(str(Layout.encodeTopic(a))).isEqualTo(doc);
  }

  @Test
  void topicAssignmentWithoutIdIsStillVersion3AndVersion1IsRead() throws Exception {
    TopicAssignment a = new TopicAssignment(new TreeMap<>(Map.of(0, List.of(1))), new TreeMap<>(),
        new TreeMap<>(), Optional.empty());
    assertThat(tree(Layout.encodeTopic(a)).get("version").asInt()).isEqualTo(3);
    TopicAssignment v1 = Layout.decodeTopic(
        "{\"version\":1,\"partitions\":{\"0\":[1,2]}}".getBytes(StandardCharsets.UTF_8), "/t");
    assertThat(v1.partitions()).containsEntry(0, List.of(1, 2));
    assertThat(v1.addingReplicas()).isEmpty();
  }

  @Test
  void controllerIsVersion2WithStringTimestamp() throws Exception {
    byte[] b = Layout.encodeController(ControllerInfo.zkController(3, 1234L));
    assertThat(tree(b)).isEqualTo(tree(
        "{\"version\":2,\"brokerid\":3,\"timestamp\":\"1234\",\"kraftControllerEpoch\":-1}"));
    assertThat(Layout.decodeController(b)).isEqualTo(new ControllerInfo(3, 1234L, -1));
    // version 1 (before 3.4) has no kraftControllerEpoch
    assertThat(Layout.decodeController(
        "{\"version\":1,\"brokerid\":2,\"timestamp\":\"5\"}".getBytes(StandardCharsets.UTF_8))
        .brokerId()).isEqualTo(2);
  }

  @Test
  void controllerEpochIsABareDecimalString() {
    assertThat(str(Layout.encodeControllerEpoch(7))).isEqualTo("7");
    assertThat(Layout.decodeControllerEpoch("0".getBytes(StandardCharsets.UTF_8))).isZero();
    assertThatThrownBy(() -> Layout.decodeControllerEpoch("x".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/controller_epoch");
  }

  @Test
  void clusterIdVersionIsAStringAndTheIdIs22UrlSafeChars() throws Exception {
    String id = Layout.newClusterId(new Random(1));
    assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]{22}");
    JsonNode n = tree(Layout.encodeClusterId(id));
    assertThat(n.get("version").isTextual()).isTrue();
    assertThat(n.get("version").asText()).isEqualTo("1");
    assertThat(Layout.decodeClusterId(Layout.encodeClusterId(id))).isEqualTo(id);
  }

  @Test
  void isrChangeNotification() throws Exception {
    List<TopicPartition> tps = List.of(new TopicPartition("t", 0), new TopicPartition("u", 3));
    assertThat(str(Layout.encodeIsrChange(tps))).isEqualTo(
        "{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0},"
            + "{\"topic\":\"u\",\"partition\":3}]}");
    assertThat(Layout.decodeIsrChange(Layout.encodeIsrChange(tps), "n")).isEqualTo(tps);
  }

  @Test
  void entityConfigValuesAreStrings() throws Exception {
    EntityConfig c = EntityConfig.of(Map.of("retention.ms", "1000",
        EntityConfig.UNCLEAN_LEADER_ELECTION_ENABLE, "true"));
    JsonNode n = tree(Layout.encodeEntityConfig(c));
    assertThat(n.get("version").asInt()).isEqualTo(1);
    assertThat(n.get("config").get("retention.ms").isTextual()).isTrue();
    assertThat(Layout.decodeEntityConfig(Layout.encodeEntityConfig(c), "c")).isEqualTo(c);
    assertThat(c.uncleanLeaderElectionEnabled()).isTrue();
    assertThat(str(Layout.encodeEntityConfig(EntityConfig.of(Map.of()))))
        .isEqualTo("{\"version\":1,\"config\":{}}");
  }

  @Test
  void configChangeVersion2AndVersion1() {
    assertThat(str(Layout.encodeConfigChange("topics/foo")))
        .isEqualTo("{\"version\":2,\"entity_path\":\"topics/foo\"}");
    assertThat(Layout.decodeConfigChange(
        "{\"version\":1,\"entity_type\":\"topics\",\"entity_name\":\"foo\"}"
            .getBytes(StandardCharsets.UTF_8), "c")).isEqualTo("topics/foo");
  }

  @Test
  void paths() {
    TopicPartition tp = new TopicPartition("orders", 4);
    assertThat(Layout.brokerPath(7)).isEqualTo("/brokers/ids/7");
    assertThat(Layout.partitionStatePath(tp)).isEqualTo("/brokers/topics/orders/partitions/4/state");
    assertThat(Layout.deleteTopicMarkerPath("orders")).isEqualTo("/admin/delete_topics/orders");
    assertThat(Layout.topicConfigPath("orders")).isEqualTo("/config/topics/orders");
    assertThat(Layout.isrChangeSequentialPath()).isEqualTo("/isr_change_notification/isr_change_");
    assertThat(Layout.configChangeSequentialPath()).isEqualTo("/config/changes/config_change_");
    assertThat(Layout.TOP_LEVEL_PATHS).contains("/brokers/ids", "/brokers/topics",
        "/admin/delete_topics", "/brokers/seqid", "/isr_change_notification", "/config/changes",
        "/config/topics");
    assertThat(Layout.brokerIdOf("12")).contains(12);
    assertThat(Layout.brokerIdOf("x")).isEmpty();
  }

  @Test
  void malformedDataNamesThePath() {
    assertThatThrownBy(() -> Layout.decodePartitionState("{".getBytes(StandardCharsets.UTF_8),
        "/brokers/topics/t/partitions/0/state"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/brokers/topics/t");
    assertThatThrownBy(() -> Layout.decodePartitionState(null, "/s"))
        .hasMessageContaining("/s has no data");
  }
}
