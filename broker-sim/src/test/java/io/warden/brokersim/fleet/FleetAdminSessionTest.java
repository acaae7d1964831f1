package io.warden.brokersim.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.brokersim.broker.SimEvent;
import io.warden.brokersim.testing.EmbeddedZooKeeper;
import io.warden.client.ConnectionState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FleetAdminSessionTest {
  @Test
  void afterTheEnsembleExpiresTheAdminSessionTheFleetOpensANewOneAndTopicCommandsWorkAgain()
      throws Exception {
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper();
        Fleet fleet = Fleet.create(FleetConfig.fast(zk.connectString(), "/admin-expiry", 3,
            Duration.ofSeconds(4), 1))) {
      long first = fleet.adminClient().sessionId();
      zk.expireSession(first);
      await().atMost(Duration.ofSeconds(20)).until(() -> fleet.adminClient().sessionId() != first
          && fleet.adminClient().state() == ConnectionState.CONNECTED);
      assertThat(fleet.snapshot().brokerEpochs()).isEmpty();
      // the topic commands use the new session: a clear answer, not SESSION_EXPIRED
      assertThatThrownBy(() -> fleet.topics().deleteTopic("nope"))
          .isInstanceOf(TopicAdmin.AdminException.class).hasMessageContaining("does not exist");
      assertThat(fleet.events()).anyMatch(e -> e.kind() == SimEvent.Kind.SESSION_EXPIRED
          && e.detail().contains("admin session expired"));
    }
  }
}
