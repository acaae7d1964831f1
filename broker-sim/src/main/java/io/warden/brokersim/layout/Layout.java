package io.warden.brokersim.layout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Every znode path and JSON format of ZooKeeper-mode Kafka that broker-sim uses, in one place
 * (shared/docs/kafka-metadata-layout.md §1). Encoders write compact JSON with Kafka's key names,
 * versions and value types (strings where Kafka writes strings: {@code timestamp}, the cluster
 * id's {@code version}); decoders parse by key, so key order does not matter, as in Kafka.
 * Malformed data is broken data: decoders throw {@link IllegalArgumentException} naming the path.
 */
public final class Layout {
  private Layout() {
  }

  // ---- paths (§1.1) --------------------------------------------------------------------------

  public static final String CLUSTER = "/cluster";
  public static final String CLUSTER_ID = "/cluster/id";
  public static final String CONTROLLER = "/controller";
  public static final String CONTROLLER_EPOCH = "/controller_epoch";
  public static final String BROKERS = "/brokers";
  public static final String BROKER_IDS = "/brokers/ids";
  public static final String BROKER_SEQID = "/brokers/seqid";
  public static final String BROKER_TOPICS = "/brokers/topics";
  public static final String ADMIN = "/admin";
  public static final String DELETE_TOPICS = "/admin/delete_topics";
  public static final String REASSIGN_PARTITIONS = "/admin/reassign_partitions";
  public static final String PREFERRED_REPLICA_ELECTION = "/admin/preferred_replica_election";
  public static final String ISR_CHANGE_NOTIFICATION = "/isr_change_notification";
  public static final String LOG_DIR_EVENT_NOTIFICATION = "/log_dir_event_notification";
  public static final String CONFIG = "/config";
  public static final String CONFIG_TOPICS = "/config/topics";
  public static final String CONFIG_CHANGES = "/config/changes";
  public static final String CONFIG_CLIENTS = "/config/clients";
  public static final String CONFIG_USERS = "/config/users";
  public static final String CONFIG_BROKERS = "/config/brokers";
  public static final String CONFIG_IPS = "/config/ips";
  public static final String CONSUMERS = "/consumers";
  public static final String LATEST_PRODUCER_ID_BLOCK = "/latest_producer_id_block";
  public static final String FEATURE = "/feature";

  /** Prefix of the persistent-sequential children of {@link #ISR_CHANGE_NOTIFICATION}. */
  public static final String ISR_CHANGE_PREFIX = "isr_change_";
  /** Prefix of the persistent-sequential children of {@link #CONFIG_CHANGES}. */
  public static final String CONFIG_CHANGE_PREFIX = "config_change_";
  /** Prefix of the persistent-sequential children of {@link #LOG_DIR_EVENT_NOTIFICATION}. */
  public static final String LOG_DIR_EVENT_PREFIX = "log_dir_event_";

  /** What every broker creates at start, in Kafka's order (§1.3); null data, NodeExists ignored. */
  public static final List<String> TOP_LEVEL_PATHS = List.of(CONSUMERS, BROKER_IDS, BROKER_TOPICS,
      CONFIG_CHANGES, DELETE_TOPICS, BROKER_SEQID, ISR_CHANGE_NOTIFICATION,
      LATEST_PRODUCER_ID_BLOCK, LOG_DIR_EVENT_NOTIFICATION, CONFIG_TOPICS, CONFIG_CLIENTS,
      CONFIG_USERS, CONFIG_BROKERS, CONFIG_IPS);

  public static String brokerPath(int brokerId) {
    return BROKER_IDS + "/" + brokerId;
  }

  public static String topicPath(String topic) {
    return BROKER_TOPICS + "/" + topic;
  }

  public static String partitionsPath(String topic) {
    return topicPath(topic) + "/partitions";
  }

  public static String partitionPath(TopicPartition tp) {
    return partitionsPath(tp.topic()) + "/" + tp.partition();
  }

  public static String partitionStatePath(TopicPartition tp) {
    return partitionPath(tp) + "/state";
  }

  public static String deleteTopicMarkerPath(String topic) {
    return DELETE_TOPICS + "/" + topic;
  }

  public static String topicConfigPath(String topic) {
    return CONFIG_TOPICS + "/" + topic;
  }

  /** The path given to a persistent-sequential create; the server appends 10 digits. */
  public static String isrChangeSequentialPath() {
    return ISR_CHANGE_NOTIFICATION + "/" + ISR_CHANGE_PREFIX;
  }

  public static String configChangeSequentialPath() {
    return CONFIG_CHANGES + "/" + CONFIG_CHANGE_PREFIX;
  }

  /** Parses the id from a {@code /brokers/ids} child name; non-numeric names are not brokers. */
  public static Optional<Integer> brokerIdOf(String childName) {
    try {
      return Optional.of(Integer.parseInt(childName));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  // ---- JSON ----------------------------------------------------------------------------------

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Kafka's cluster id: a random UUID as 22 characters of unpadded URL-safe base64 (§1.2.1). */
  public static String newClusterId(java.util.Random random) {
    return base64Uuid(new UUID(random.nextLong(), random.nextLong()));
  }

  /** Topic ids use the same encoding as cluster ids. */
  public static String newTopicId(java.util.Random random) {
    return base64Uuid(new UUID(random.nextLong(), random.nextLong()));
  }

  private static String base64Uuid(UUID u) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
    b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  public static byte[] encodeClusterId(String id) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", "1"); // a string, unlike every other version field (§1.2.1)
    o.put("id", id);
    return bytes(o);
  }

  public static String decodeClusterId(byte[] data) {
    return text(parse(data, CLUSTER_ID), "id", CLUSTER_ID);
  }

  public static byte[] encodeController(ControllerInfo c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", 2);
    o.put("brokerid", c.brokerId());
    o.put("timestamp", Long.toString(c.timestampMs()));
    o.put("kraftControllerEpoch", c.kraftControllerEpoch());
    return bytes(o);
  }

  public static ControllerInfo decodeController(byte[] data) {
    JsonNode n = parse(data, CONTROLLER);
    int version = integer(n, "version", CONTROLLER);
    int kraftEpoch = version >= 2 && n.has("kraftControllerEpoch")
        ? n.get("kraftControllerEpoch").asInt() : ControllerInfo.ZK_CONTROLLER_KRAFT_EPOCH;
    long ts = n.has("timestamp") ? Long.parseLong(n.get("timestamp").asText()) : 0L;
    return new ControllerInfo(integer(n, "brokerid", CONTROLLER), ts, kraftEpoch);
  }

  /** {@code /controller_epoch} is a bare decimal string, not JSON (§1.2.2). */
  public static byte[] encodeControllerEpoch(int epoch) {
    return Integer.toString(epoch).getBytes(StandardCharsets.UTF_8);
  }

  public static int decodeControllerEpoch(byte[] data) {
    if (data == null) {
      throw new IllegalArgumentException(CONTROLLER_EPOCH + " has no data");
    }
    String s = new String(data, StandardCharsets.UTF_8).trim();
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(CONTROLLER_EPOCH + " is not a number: '" + s + "'", e);
    }
  }

  public static byte[] encodeBroker(BrokerRegistration b) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", BrokerRegistration.VERSION);
    if (b.host() == null) {
      o.putNull("host");
    } else {
      o.put("host", b.host());
    }
    o.put("port", b.port());
    ArrayNode eps = o.putArray("endpoints");
    b.endpoints().forEach(eps::add);
    ObjectNode map = o.putObject("listener_security_protocol_map");
    new TreeMap<>(b.listenerSecurityProtocolMap()).forEach(map::put);
    o.put("jmx_port", b.jmxPort());
    o.put("timestamp", Long.toString(b.timestampMs()));
    b.rack().ifPresent(r -> o.put("rack", r));
    ObjectNode features = o.putObject("features");
    new TreeMap<>(b.features()).forEach((name, range) -> {
      ObjectNode f = features.putObject(name);
      f.put("min_version", range.minVersion());
      f.put("max_version", range.maxVersion());
    });
    return bytes(o);
  }

  public static BrokerRegistration decodeBroker(byte[] data, String path) {
    JsonNode n = parse(data, path);
    JsonNode host = n.get("host");
    List<String> endpoints = new ArrayList<>();
    n.path("endpoints").forEach(e -> endpoints.add(e.asText()));
    Map<String, String> protocols = new TreeMap<>();
    n.path("listener_security_protocol_map").fields()
        .forEachRemaining(e -> protocols.put(e.getKey(), e.getValue().asText()));
    Map<String, BrokerRegistration.SupportedFeature> features = new TreeMap<>();
    n.path("features").fields().forEachRemaining(e -> features.put(e.getKey(),
        new BrokerRegistration.SupportedFeature(e.getValue().path("min_version").asInt(),
            e.getValue().path("max_version").asInt())));
    Optional<String> rack = n.hasNonNull("rack") ? Optional.of(n.get("rack").asText())
        : Optional.empty();
    long ts = Long.parseLong(text(n, "timestamp", path));
    return new BrokerRegistration(host == null || host.isNull() ? null : host.asText(),
        n.path("port").asInt(-1), endpoints, protocols, n.path("jmx_port").asInt(-1), ts, rack,
        features);
  }

  public static byte[] encodeTopic(TopicAssignment a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", TopicAssignment.VERSION);
    putReplicaMap(o.putObject("partitions"), a.partitions());
    putReplicaMap(o.putObject("adding_replicas"), a.addingReplicas());
    putReplicaMap(o.putObject("removing_replicas"), a.removingReplicas());
    a.topicId().ifPresent(id -> o.put("topic_id", id));
    return bytes(o);
  }

  public static TopicAssignment decodeTopic(byte[] data, String path) {
    JsonNode n = parse(data, path);
    Optional<String> id = n.hasNonNull("topic_id") ? Optional.of(n.get("topic_id").asText())
        : Optional.empty();
    return new TopicAssignment(replicaMap(n.get("partitions"), path),
        replicaMap(n.get("adding_replicas"), path), replicaMap(n.get("removing_replicas"), path),
        id);
  }

  public static byte[] encodePartitionState(PartitionState s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", PartitionState.VERSION);
    o.put("leader", s.leader());
    o.put("leader_epoch", s.leaderEpoch());
    o.put("controller_epoch", s.controllerEpoch());
    ArrayNode isr = o.putArray("isr");
    s.isr().forEach(isr::add);
    if (s.leaderRecoveryState() != PartitionState.LeaderRecoveryState.RECOVERED) {
      o.put("leader_recovery_state", s.leaderRecoveryState().value()); // absent = RECOVERED
    }
    return bytes(o);
  }

  public static PartitionState decodePartitionState(byte[] data, String path) {
    JsonNode n = parse(data, path);
    List<Integer> isr = new ArrayList<>();
    n.path("isr").forEach(i -> isr.add(i.asInt()));
    return new PartitionState(integer(n, "leader", path), integer(n, "leader_epoch", path),
        integer(n, "controller_epoch", path), isr,
        PartitionState.LeaderRecoveryState.of(n.path("leader_recovery_state").asInt(0)));
  }

  public static byte[] encodeIsrChange(List<TopicPartition> partitions) {
    return bytes(partitionList(partitions));
  }

  public static List<TopicPartition> decodeIsrChange(byte[] data, String path) {
    List<TopicPartition> out = new ArrayList<>();
    for (JsonNode p : parse(data, path).path("partitions")) {
      out.add(new TopicPartition(text(p, "topic", path), integer(p, "partition", path)));
    }
    return out;
  }

  public static byte[] encodeEntityConfig(EntityConfig c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", EntityConfig.VERSION);
    ObjectNode cfg = o.putObject("config");
    c.config().forEach(cfg::put);
    return bytes(o);
  }

  public static EntityConfig decodeEntityConfig(byte[] data, String path) {
    SortedMap<String, String> m = new TreeMap<>();
    parse(data, path).path("config").fields()
        .forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return new EntityConfig(m);
  }

  /** A config change notification, version 2: {@code {"version":2,"entity_path":"topics/t"}}. */
  public static byte[] encodeConfigChange(String entityPath) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", 2);
    o.put("entity_path", entityPath);
    return bytes(o);
  }

  /** The entity path of a notification; version 1 ({@code entity_type}/{@code entity_name}) too. */
  public static String decodeConfigChange(byte[] data, String path) {
    JsonNode n = parse(data, path);
    return switch (integer(n, "version", path)) {
      case 1 -> text(n, "entity_type", path) + "/" + text(n, "entity_name", path);
      case 2 -> text(n, "entity_path", path);
      default -> throw new IllegalArgumentException(path + ": unknown config change version "
          + n.get("version"));
    };
  }

  public static String topicEntityPath(String topic) {
    return "topics/" + topic;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static ObjectNode partitionList(List<TopicPartition> partitions) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", 1);
    ArrayNode arr = o.putArray("partitions");
    for (TopicPartition tp : partitions) {
      ObjectNode p = arr.addObject();
      p.put("topic", tp.topic());
      p.put("partition", tp.partition());
    }
    return o;
  }

  private static void putReplicaMap(ObjectNode into, Map<Integer, List<Integer>> m) {
    new TreeMap<>(m).forEach((p, replicas) -> {
      ArrayNode arr = into.putArray(Integer.toString(p)); // keys are decimal strings
      replicas.forEach(arr::add);
    });
  }

  private static SortedMap<Integer, List<Integer>> replicaMap(JsonNode n, String path) {
    SortedMap<Integer, List<Integer>> m = new TreeMap<>();
    if (n == null || n.isNull()) {
      return m;
    }
    n.fields().forEachRemaining(e -> {
      List<Integer> replicas = new ArrayList<>();
      e.getValue().forEach(r -> replicas.add(r.asInt()));
      try {
        m.put(Integer.parseInt(e.getKey()), replicas);
      } catch (NumberFormatException x) {
        throw new IllegalArgumentException(path + ": partition key '" + e.getKey()
            + "' is not a number", x);
      }
    });
    return m;
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + n, e);
    }
  }

  private static JsonNode parse(byte[] data, String path) {
    if (data == null || data.length == 0) {
      throw new IllegalArgumentException(path + " has no data");
    }
    try {
      JsonNode n = JSON.readTree(data);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException(path + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new IllegalArgumentException(path + " is not valid JSON: "
          + new String(data, StandardCharsets.UTF_8), e);
    }
  }

  private static int integer(JsonNode n, String key, String path) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToInt()) {
      throw new IllegalArgumentException(path + ": '" + key + "' missing or not an int");
    }
    return v.asInt();
  }

  private static String text(JsonNode n, String key, String path) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(path + ": '" + key + "' missing");
    }
    return v.asText();
  }
}
