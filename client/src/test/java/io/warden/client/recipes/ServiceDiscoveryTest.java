package io.warden.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.client.WardenClient;
import io.warden.protocol.Acl;
import io.warden.protocol.CreateMode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceDiscoveryTest extends RecipeTestBase {
  private static ServiceInstance api(String id, int port) {
    return new ServiceInstance("api", id, "10.0.0.1", port, Map.of("zone", "a \"quoted\"\n"));
  }

  @Test
  void instancesRoundTripThroughJson() {
    ServiceInstance i = api("i-1", 8080);
    assertThat(new String(i.toJson(), UTF_8)).startsWith("{\"name\":\"api\",\"id\":\"i-1\"");
    assertThat(ServiceInstance.fromJson(i.toJson())).isEqualTo(i);
    assertThat(ServiceInstance.fromJson((" { \"name\" : \"api\", \"id\":\"x\", \"host\":\"h\","
        + " \"port\": 1 } ").getBytes(UTF_8)).metadata()).isEmpty();
    assertThatThrownBy(() -> ServiceInstance.fromJson("{\"name\":".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> ServiceInstance.fromJson("{\"name\":\"a\"}".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void registeredInstancesAreFoundAndUnregisteredOnesAreNot() throws Exception {
    ServiceDiscovery d = new ServiceDiscovery(client(), path);
    d.register(api("i-1", 1));
    d.register(api("i-2", 2));
    // The reader is another session, maybe on another server of an ensemble: as in ZooKeeper,
    // it sees the writer's changes once its server has applied them; sync waits for that.
    WardenClient readerClient = client();
    ServiceDiscovery reader = new ServiceDiscovery(readerClient, path);
    readerClient.blocking().sync(path);
    assertThat(reader.instances("api")).extracting(ServiceInstance::id).containsExactly("i-1", "i-2");
    d.unregister(api("i-1", 1));
    readerClient.blocking().sync(path);
    assertThat(reader.instances("api")).containsExactly(api("i-2", 2));
    assertThat(reader.instances("nothing")).isEmpty();
  }

  @Test
  void theLiveViewFollowsRegistrationsAndDeadSessions() throws Exception {
    ServiceDiscovery.Cache cache = closeLater(new ServiceDiscovery(client(), path).cache("api"));
    AtomicInteger changes = new AtomicInteger();
    cache.addListener(changes::incrementAndGet);
    WardenClient doomed = client();
    new ServiceDiscovery(doomed, path).register(api("i-1", 1));
    new ServiceDiscovery(client(), path).register(api("i-2", 2));
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.instances().size() == 2);
    doomed.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.instances().equals(
        java.util.List.of(api("i-2", 2))));
    assertThat(changes.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void reRegisteringUpdatesOurOwnInstance() throws Exception {
    ServiceDiscovery d = new ServiceDiscovery(client(), path);
    d.register(api("i-1", 1));
    d.register(api("i-1", 2));
    assertThat(d.instances("api")).containsExactly(api("i-1", 2));
  }

  @Test
  void garbageNodesAreSkipped() throws Exception {
    WardenClient c = client();
    ServiceDiscovery d = new ServiceDiscovery(c, path);
    d.register(api("good", 1));
    c.blocking().create(path + "/api/bad", "not json".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE,
        CreateMode.EPHEMERAL);
    assertThat(d.instances("api")).extracting(ServiceInstance::id).containsExactly("good");
  }

  @Test
  void badInstancesFailClearly() {
    assertThatThrownBy(() -> new ServiceInstance("a/b", "i", "h", 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service name");
    assertThatThrownBy(() -> new ServiceInstance("a", "i", "h", 70000, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> new ServiceInstance("a", "", "h", 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
