package io.warden.brokersim.fleet;

import io.warden.brokersim.controller.ReplicaAssignment;
import io.warden.brokersim.layout.EntityConfig;
import io.warden.brokersim.layout.Layout;
import io.warden.brokersim.layout.TopicAssignment;
import io.warden.client.BlockingWardenClient;
import io.warden.client.NodeData;
import io.warden.client.WardenException;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import io.warden.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Topic administration the way Kafka's AdminZkClient writes it (layout §4.1–§4.3): validate,
 * assign replicas over the registered brokers, write {@code /config/topics/<t>} and then
 * {@code /brokers/topics/<t>}; add partitions by rewriting the assignment; delete by creating the
 * {@code /admin/delete_topics/<t>} marker. The controller does the rest.
 */
public final class TopicAdmin {
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final int MAX_NAME_LENGTH = 249;

  private final java.util.function.Supplier<BlockingWardenClient> session;
  private final Random random;

  /** {@code session} gives the current admin session (a new one after an expiry). */
  public TopicAdmin(java.util.function.Supplier<BlockingWardenClient> session, Random random) {
    this.session = session;
    this.random = random;
  }

  /** An expected refusal (topic exists, already marked for deletion, ...). */
  public static final class AdminException extends Exception {
    public AdminException(String message) {
      super(message);
    }
  }

  public TopicAssignment createTopic(String topic, int partitions, int replicationFactor,
      Map<String, String> config) throws WardenException, InterruptedException, AdminException {
    validateName(topic);
    if (zk().exists(Layout.deleteTopicMarkerPath(topic)) != null) {
      throw new AdminException("topic " + topic + " is marked for deletion");
    }
    if (zk().exists(Layout.topicPath(topic)) != null) {
      throw new AdminException("topic " + topic + " already exists");
    }
    if (topic.contains(".") || topic.contains("_")) {
      String norm = topic.replace('.', '_');
      for (String other : zk().getChildren(Layout.BROKER_TOPICS)) {
        if (other.replace('.', '_').equals(norm)) {
          throw new AdminException("topic " + topic + " collides with " + other);
        }
      }
    }
    List<Integer> brokers = registeredBrokers();
    TopicAssignment a;
    try {
      a = TopicAssignment.of(ReplicaAssignment.forNewTopic(brokers, partitions, replicationFactor,
          random), Layout.newTopicId(random));
    } catch (IllegalArgumentException e) {
      throw new AdminException(e.getMessage());
    }
    writeConfig(topic, EntityConfig.of(config));
    try {
      zk().create(Layout.topicPath(topic), Layout.encodeTopic(a), Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NODE_EXISTS) {
        throw new AdminException("topic " + topic + " already exists");
      }
      throw e;
    }
    return a;
  }

  /** Grows {@code topic} to {@code totalPartitions} (setData any-version on the assignment). */
  public TopicAssignment addPartitions(String topic, int totalPartitions)
      throws WardenException, InterruptedException, AdminException {
    NodeData d;
    try {
      d = zk().getData(Layout.topicPath(topic));
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NO_NODE) {
        throw new AdminException("topic " + topic + " does not exist");
      }
      throw e;
    }
    TopicAssignment current = Layout.decodeTopic(d.data(), Layout.topicPath(topic));
    int existing = current.partitionCount();
    if (totalPartitions <= existing) {
      throw new AdminException("topic " + topic + " has " + existing
          + " partitions; the new count must be larger, was " + totalPartitions);
    }
    List<Integer> p0 = current.replicas(0);
    TopicAssignment next;
    try {
      next = current.plus(ReplicaAssignment.forAddedPartitions(registeredBrokers(), existing,
          totalPartitions - existing, p0.size(), p0.get(0)));
    } catch (IllegalArgumentException e) {
      throw new AdminException(e.getMessage());
    }
    zk().setData(Layout.topicPath(topic), Layout.encodeTopic(next), -1);
    return next;
  }

  public void deleteTopic(String topic) throws WardenException, InterruptedException,
      AdminException {
    if (zk().exists(Layout.topicPath(topic)) == null) {
      throw new AdminException("topic " + topic + " does not exist");
    }
    try {
      zk().create(Layout.deleteTopicMarkerPath(topic), null, Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
    } catch (WardenException e) {
      if (e.code() == ErrorCode.NODE_EXISTS) {
        throw new AdminException("topic " + topic + " is already marked for deletion");
      }
      throw e;
    }
  }

  /**
   * Changes a topic's config: the entity znode, then a config_change notification (creation
   * writes none, §4.1).
   */
  public void alterTopicConfig(String topic, Map<String, String> config)
      throws WardenException, InterruptedException {
    writeConfig(topic, EntityConfig.of(config));
    zk().create(Layout.configChangeSequentialPath(),
        Layout.encodeConfigChange(Layout.topicEntityPath(topic)), Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_SEQUENTIAL);
  }

  private void writeConfig(String topic, EntityConfig config)
      throws WardenException, InterruptedException {
    byte[] data = Layout.encodeEntityConfig(config);
    try {
      zk().setData(Layout.topicConfigPath(topic), data, -1);
    } catch (WardenException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        throw e;
      }
      zk().create(Layout.topicConfigPath(topic), data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
  }

  private List<Integer> registeredBrokers() throws WardenException, InterruptedException {
    return zk().getChildren(Layout.BROKER_IDS).stream().map(Layout::brokerIdOf)
        .flatMap(java.util.Optional::stream).sorted().toList();
  }

  private static void validateName(String topic) throws AdminException {
    if (topic.isEmpty() || topic.equals(".") || topic.equals("..")
        || topic.length() > MAX_NAME_LENGTH || !LEGAL.matcher(topic).matches()) {
      throw new AdminException("illegal topic name '" + topic + "'");
    }
  }

  private BlockingWardenClient zk() {
    return session.get();
  }
}
