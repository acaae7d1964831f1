package io.warden.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.warden.client.ConnectionState;
import io.warden.client.WardenClient;
import io.warden.client.WardenException;
import io.warden.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GroupMembershipTest extends RecipeTestBase {

  @Test
  void membersJoinAndLeaveAndObserversHearIt() throws Exception {
    GroupMembership observer = new GroupMembership(client(), path);
    List<String> heard = new CopyOnWriteArrayList<>();
    observer.addListener(new GroupMembership.Listener() {
      @Override
      public void joined(String memberId, byte[] data) {
        heard.add("+" + memberId);
      }

      @Override
      public void left(String memberId) {
        heard.add("-" + memberId);
      }
    });
    closeLater(observer).start();
    GroupMembership a = new GroupMembership(client(), path);
    a.join("a", "host-a".getBytes(UTF_8));
    GroupMembership b = new GroupMembership(client(), path);
    b.join("b", null);
    await().atMost(Duration.ofSeconds(5)).until(() -> observer.members().size() == 2);
    assertThat(observer.members().get("a")).isEqualTo("host-a".getBytes(UTF_8));
    a.leave();
    await().atMost(Duration.ofSeconds(5)).until(() -> observer.members().keySet().equals(
        java.util.Set.of("b")));
    assertThat(heard).containsExactly("+a", "+b", "-a");
  }

  @Test
  void aDeadMemberLeavesTheGroup() throws Exception {
    GroupMembership observer = closeLater(new GroupMembership(client(), path)).start();
    WardenClient doomed = client();
    new GroupMembership(doomed, path).join("doomed", null);
    await().atMost(Duration.ofSeconds(5)).until(() -> observer.members().containsKey("doomed"));
    doomed.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> observer.members().isEmpty());
  }

  @Test
  void anIdIsOneMember() throws Exception {
    new GroupMembership(client(), path).join("same", null);
    WardenException taken = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> new GroupMembership(client(), path).join("same", null), WardenException.class);
    assertThat(taken.code()).isEqualTo(ErrorCode.NODE_EXISTS);
  }

  @Test
  void isMemberIsFalseWhileSuspended() throws Exception {
    Proxied p = proxiedClient(Duration.ofSeconds(8));
    GroupMembership g = new GroupMembership(p.client(), path);
    g.join("m", null);
    assertThat(g.isMember()).isTrue();
    p.proxy().cut();
    await().atMost(Duration.ofSeconds(10)).until(() -> p.is(ConnectionState.SUSPENDED));
    assertThat(g.isMember()).isFalse();
    p.proxy().heal();
    await().atMost(Duration.ofSeconds(10)).until(g::isMember);
  }

  @Test
  void badIdsAndMisuseFailClearly() throws Exception {
    GroupMembership g = new GroupMembership(client(), path);
    assertThatThrownBy(() -> g.join("a/b", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> g.join("", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(g::leave).isInstanceOf(IllegalStateException.class);
    g.join("ok", null);
    assertThatThrownBy(() -> g.join("again", null)).isInstanceOf(IllegalStateException.class);
  }
}
